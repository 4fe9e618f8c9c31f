// Domain (pure): usage evidence of a node role's ECR write access, read from CloudTrail records (who pushed, to
// which repositories, when), and the part of the remediation gate that holds a fix back when the role is in use.
import type { Decision } from './types';

/** Why a lookup could not say whether the role pushed. */
export type UsageUnknownReason = 'budget-exhausted' | 'access-denied' | 'throttled' | 'error';

/** Where and over which time the lookup searched. */
export interface UsageSearch {
  readonly windowDays: number;
  /** ISO time of the start of the window. */
  readonly since: string;
  /** Regions fully searched. */
  readonly regions: readonly string[];
}

/**
 * What CloudTrail says about the role's ECR writes. `used`: the role's sessions (usually EC2 instance ids) made
 * write calls; `not-used`: none in the regions and window searched; `unknown`: the lookup could not finish.
 */
export type UsageEvidence =
  | (UsageSearch & {
      readonly status: 'used';
      /** Session names (EC2 instance ids for instance-profile credentials), sorted. */
      readonly sessions: readonly string[];
      /** Repositories written to, as `region/name`, sorted. */
      readonly repositories: readonly string[];
      readonly eventNames: readonly string[];
      readonly calls: number;
      /** ISO time of the most recent write call found. */
      readonly lastTime: string;
      /** false: the search stopped early, once the evidence was enough. */
      readonly complete: boolean;
    })
  | (UsageSearch & { readonly status: 'not-used' })
  | (UsageSearch & {
      readonly status: 'unknown';
      readonly reason: UsageUnknownReason;
      readonly detail: string;
    });

/** One ECR write call by the role, as read from a CloudTrail record. */
export interface UsageCall {
  readonly eventName: string;
  readonly time: string;
  readonly session: string;
  readonly region: string;
  readonly repository: string | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const pick = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, key) => (isRecord(at) ? at[key] : undefined), value);

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

/** What makes a CloudTrail record a write call by the role. */
export interface WriteCallMatch {
  /** The role ARN as IAM reports it (path included): the session issuer of the role's sessions. */
  readonly roleArn: string;
  /** The ECR service's CloudTrail event source. */
  readonly eventSource: string;
  /** The write event names (ECR action names without the `ecr:` prefix). */
  readonly writeEventNames: ReadonlySet<string>;
}

/**
 * The write call in a CloudTrail record (`CloudTrailEvent`, a JSON string) when the role's session made it: the
 * session issuer ARN equals the role ARN (path included) and the event name is one of the write event names.
 */
export function roleWriteCall(cloudTrailEvent: string | undefined, match: WriteCallMatch): UsageCall | null {
  if (cloudTrailEvent === undefined) return null;
  let record: unknown;
  try {
    record = JSON.parse(cloudTrailEvent);
  } catch {
    return null;
  }
  const eventName = text(pick(record, 'eventName'));
  if (eventName === null || !match.writeEventNames.has(eventName)) return null;
  if (text(pick(record, 'eventSource')) !== match.eventSource) return null;
  const issuer = text(pick(record, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn'));
  if (issuer !== match.roleArn) return null;
  const principal = text(pick(record, 'userIdentity', 'principalId')) ?? '';
  const arn = text(pick(record, 'userIdentity', 'arn')) ?? '';
  const session = principal.includes(':')
    ? principal.slice(principal.indexOf(':') + 1)
    : arn.slice(arn.lastIndexOf('/') + 1) || '(unknown session)';
  return {
    eventName,
    time: text(pick(record, 'eventTime')) ?? '',
    session,
    region: text(pick(record, 'awsRegion')) ?? '',
    repository: text(pick(record, 'requestParameters', 'repositoryName')),
  };
}

/** The `used` evidence of the calls found (at least one). */
export function usedEvidence(
  search: UsageSearch,
  calls: readonly UsageCall[],
  complete: boolean,
): Extract<UsageEvidence, { status: 'used' }> {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  const times = calls.map((call) => call.time).sort();
  return {
    ...search,
    status: 'used',
    sessions: sorted(calls.map((call) => call.session)),
    repositories: sorted(
      calls.flatMap((call) => (call.repository === null ? [] : [`${call.region}/${call.repository}`])),
    ),
    eventNames: sorted(calls.map((call) => call.eventName)),
    calls: calls.length,
    lastTime: times[times.length - 1] ?? '',
    complete,
  };
}

/** Why a fix is held back by the usage evidence. */
export type UsageHold = 'escalated-in-use' | 'held-usage-unknown';

/**
 * The usage part of the remediation gate: in remediate mode a violation whose role CloudTrail shows pushing is not
 * fixed (escalated instead); unknown usage is not fixed either unless `fixWhenUsageUnknown`. Null: no hold (alert
 * mode, not a violation, no push found, or no lookup made).
 */
export function usageHold(
  decision: Pick<Decision, 'verdict' | 'usage'>,
  config: { readonly mode: string; readonly fixWhenUsageUnknown?: boolean },
): UsageHold | null {
  if (config.mode !== 'remediate' || decision.verdict !== 'violation') return null;
  const status = decision.usage?.status;
  if (status === 'used') return 'escalated-in-use';
  if (status === 'unknown' && config.fixWhenUsageUnknown !== true) return 'held-usage-unknown';
  return null;
}
