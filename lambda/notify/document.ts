// Notify (pure): the machine-readable part of an alert: decision and outcome as JSON between marker lines,
// shortened when needed to fit the SNS message size limit.
import type {
  Decision,
  DenyNote,
  EventSummary,
  Grant,
  NodeRoleEvidence,
  PlanStep,
  PolicyRef,
  RemediationOutcome,
} from '../domain/types';
import type { AlertMode } from './alert-input';
import type { AlertKind } from './alert-kind';

export const ALERT_JSON_BEGIN = '-----BEGIN EKS-ECR-GUARD ALERT JSON-----';
export const ALERT_JSON_END = '-----END EKS-ECR-GUARD ALERT JSON-----';
export const ALERT_DOCUMENT_TYPE = 'eks-ecr-guard.alert';

/** What machines get: the same object is embedded in the message and returned by `formatAlert`. */
export interface AlertDocument {
  readonly type: typeof ALERT_DOCUMENT_TYPE;
  readonly version: 1;
  /** The alert kind the decision maps to when exempt roles are reported; null for no-alert verdicts. */
  readonly kind: AlertKind | null;
  readonly mode: AlertMode;
  readonly account: string | null;
  readonly partition: string;
  readonly subject: string;
  readonly consoleUrl: string | null;
  /** Lists (or, in the last resort, long strings) were shortened to fit the message size limit. */
  readonly truncated: boolean;
  /** Path of each shortened list → how many entries were left out. Empty when nothing was. */
  readonly omitted: Readonly<Record<string, number>>;
  readonly decision: Decision;
  readonly outcome: RemediationOutcome | null;
}

/**
 * How much to keep. `bulkyLimit` caps the lists that grow with the account (grants, evidence, denies, unknown
 * policies, warnings); `coreLimit` the ones bounded by the ECR catalogue and the plan; `maxString` each string.
 */
export interface Shortening {
  readonly bulkyLimit: number;
  readonly coreLimit: number;
  readonly maxString: number;
}

export const KEEP_EVERYTHING: Shortening = {
  bulkyLimit: Number.POSITIVE_INFINITY,
  coreLimit: Number.POSITIVE_INFINITY,
  maxString: Number.POSITIVE_INFINITY,
};

class Shortener {
  readonly omitted: Record<string, number> = {};
  constructor(private readonly shortening: Shortening) {}

  bulky<T>(path: string, items: readonly T[]): readonly T[] {
    return this.take(path, items, this.shortening.bulkyLimit);
  }

  core<T>(path: string, items: readonly T[]): readonly T[] {
    return this.take(path, items, this.shortening.coreLimit);
  }

  text(value: string): string {
    const max = this.shortening.maxString;
    if (value.length <= max) return value;
    this.omitted.longStrings = (this.omitted.longStrings ?? 0) + 1;
    return `${value.slice(0, max)}…`;
  }

  optionalText<T extends string | null | undefined>(value: T): T | string {
    return typeof value === 'string' ? this.text(value) : value;
  }

  private take<T>(path: string, items: readonly T[], limit: number): readonly T[] {
    if (items.length <= limit) return items;
    this.omitted[path] = (this.omitted[path] ?? 0) + items.length - limit;
    return items.slice(0, limit);
  }
}

function shortenRef(s: Shortener, ref: PolicyRef): PolicyRef {
  return { ...ref, name: s.text(ref.name), arn: s.optionalText(ref.arn) };
}

function shortenEvent(s: Shortener, event: EventSummary): EventSummary {
  return {
    ...event,
    id: s.optionalText(event.id),
    name: s.optionalText(event.name),
    time: s.optionalText(event.time),
    actor: s.optionalText(event.actor),
    sourceIp: s.optionalText(event.sourceIp),
    userAgent: s.optionalText(event.userAgent),
    account: s.optionalText(event.account),
  };
}

function shortenEvidence(s: Shortener, evidence: NodeRoleEvidence): NodeRoleEvidence {
  return {
    ...evidence,
    region: s.optionalText(evidence.region),
    cluster: s.optionalText(evidence.cluster),
    nodegroup: s.optionalText(evidence.nodegroup),
    accessEntryType: s.optionalText(evidence.accessEntryType),
    fargateProfile: s.optionalText(evidence.fargateProfile),
    roleArn: s.optionalText(evidence.roleArn),
    detail: s.optionalText(evidence.detail),
  };
}

function shortenGrant(s: Shortener, grant: Grant): Grant {
  const actions = s.core('decision.grants[].actions', grant.actions).map((a) => s.text(a));
  return { ...grant, policy: shortenRef(s, grant.policy), statement: s.text(grant.statement), actions };
}

function shortenDeny(s: Shortener, deny: DenyNote): DenyNote {
  const actions = s.core('decision.denies[].actions', deny.actions).map((a) => s.text(a));
  return { ...deny, policy: shortenRef(s, deny.policy), statement: s.text(deny.statement), actions };
}

function shortenStep(s: Shortener, step: PlanStep): PlanStep {
  if (step.op === 'PutRolePolicy') {
    return {
      ...step,
      roleName: s.text(step.roleName),
      policyName: s.text(step.policyName),
      policyDocument: s.text(step.policyDocument),
    };
  }
  return { ...step, roleName: s.text(step.roleName), policyArn: s.text(step.policyArn) };
}

function shortenDecision(s: Shortener, decision: Decision): Decision {
  const { role, exemption } = decision;
  return {
    ...decision,
    reason: s.text(decision.reason),
    event: shortenEvent(s, decision.event),
    role: role === null ? null : { name: s.text(role.name), arn: s.optionalText(role.arn) },
    nodeRole: {
      evidence: s
        .bulky('decision.nodeRole.evidence', decision.nodeRole.evidence)
        .map((e) => shortenEvidence(s, e)),
    },
    ecrWriteActions: s.core('decision.ecrWriteActions', decision.ecrWriteActions).map((a) => s.text(a)),
    grants: s.bulky('decision.grants', decision.grants).map((g) => shortenGrant(s, g)),
    denies: s.bulky('decision.denies', decision.denies).map((d) => shortenDeny(s, d)),
    plan: s.core('decision.plan', decision.plan).map((step) => shortenStep(s, step)),
    unknownPolicies: s
      .bulky('decision.unknownPolicies', decision.unknownPolicies)
      .map((r) => shortenRef(s, r)),
    exemption: exemption === null ? null : { ...exemption, reason: s.text(exemption.reason) },
    warnings: s.bulky('decision.warnings', decision.warnings).map((w) => s.text(w)),
  };
}

function shortenOutcome(s: Shortener, outcome: RemediationOutcome): RemediationOutcome {
  const steps = (path: string, list: readonly PlanStep[]) =>
    s.core(path, list).map((step) => shortenStep(s, step));
  const verification = outcome.verification;
  return {
    ...outcome,
    applied: steps('outcome.applied', outcome.applied),
    notDone: steps('outcome.notDone', outcome.notDone),
    failedStep: outcome.failedStep === null ? null : shortenStep(s, outcome.failedStep),
    error: s.optionalText(outcome.error),
    verification:
      verification === null
        ? null
        : {
            ...verification,
            writeActionsAfter: s.core(
              'outcome.verification.writeActionsAfter',
              verification.writeActionsAfter,
            ),
          },
  };
}

/** The decision and outcome cut down as `shortening` says, with what was left out. */
export function shorten(
  decision: Decision,
  outcome: RemediationOutcome | null,
  shortening: Shortening,
): { decision: Decision; outcome: RemediationOutcome | null; omitted: Readonly<Record<string, number>> } {
  const shortener = new Shortener(shortening);
  const shortDecision = shortenDecision(shortener, decision);
  const shortOutcome = outcome === null ? null : shortenOutcome(shortener, outcome);
  return { decision: shortDecision, outcome: shortOutcome, omitted: shortener.omitted };
}

/** The JSON block as it appears at the end of the e-mail body. */
export function jsonBlock(document: AlertDocument): string {
  return [ALERT_JSON_BEGIN, JSON.stringify(document, null, 2), ALERT_JSON_END].join('\n');
}

/**
 * The alert document embedded in a message body (the SNS `Message`), or null when there is none. Takes the last
 * BEGIN marker line and the END marker line after it, so text above the block cannot confuse it.
 */
export function extractAlertJson(message: string): unknown {
  const lines = message.split(/\r?\n/);
  const begin = lines.lastIndexOf(ALERT_JSON_BEGIN);
  if (begin === -1) return null;
  const end = lines.indexOf(ALERT_JSON_END, begin + 1);
  if (end === -1) return null;
  try {
    return JSON.parse(lines.slice(begin + 1, end).join('\n'));
  } catch {
    return null;
  }
}
