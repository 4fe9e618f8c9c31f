// Use case "usage evidence": before a fix, looks up in CloudTrail (through the CloudTrail gateway) whether the
// node role made ECR write calls lately, in the regions where it could push, within LookupEvents' rate (2 requests
// per second per region) and a time budget; the answer goes on the decision, for the gate and the alert.

import type { Decision } from '../domain/types';
import {
  roleWriteCall,
  type UsageCall,
  type UsageEvidence,
  type UsageSearch,
  usedEvidence,
} from '../domain/usage';

/** Reads one page of a region's ECR events (the CloudTrail gateway). */
export interface EcrEventSource {
  ecrEvents(
    region: string,
    window: { readonly start: Date; readonly end: Date },
    nextToken: string | undefined,
  ): Promise<{ readonly records: readonly string[]; readonly nextToken: string | undefined }>;
}

export interface UsageLookupOptions {
  readonly source: EcrEventSource;
  /** The regions the guard watches (the EKS regions): where the role could push. */
  readonly regions: () => Promise<readonly string[]>;
  readonly windowDays: number;
  readonly budgetSeconds: number;
  /** ECR's CloudTrail event source (`ecr.amazonaws.com`). */
  readonly eventSource: string;
  /** Write event names: ECR write actions without the `ecr:` prefix. */
  readonly writeEventNames: ReadonlySet<string>;
  /** Stop once this many write calls are found. @default 20 */
  readonly enoughCalls?: number;
  /** Requests per second per region. @default 2 (LookupEvents' limit) */
  readonly requestsPerSecond?: number;
  /** Milliseconds clock. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const DAY_MS = 86_400_000;

const errorName = (error: unknown): string =>
  error instanceof Error ? error.name : typeof error === 'string' ? error : 'Error';

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation']);
const THROTTLED = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException']);

/** Does the decision call for a usage lookup: a violation on a role whose ARN is known. */
export function needsUsageLookup(decision: Decision): decision is Decision & { role: { arn: string } } {
  return decision.verdict === 'violation' && typeof decision.role?.arn === 'string';
}

export class UsageLookup {
  private readonly interval: number;
  /** region → time (ms) of the last request, shared by every lookup of this container (the limit is per account). */
  private readonly lastRequest = new Map<string, number>();

  constructor(private readonly options: UsageLookupOptions) {
    this.interval = Math.ceil(1000 / (options.requestsPerSecond ?? 2));
  }

  /**
   * The role's ECR writes in the window: the regions of its EKS evidence first, then the other watched ones; stops
   * at enough calls, and says `unknown` when the budget runs out or CloudTrail refuses.
   */
  async lookup(decision: Decision): Promise<UsageEvidence | null> {
    if (!needsUsageLookup(decision)) return null;
    const { options } = this;
    const started = options.now();
    const deadline = started + options.budgetSeconds * 1000;
    const window = { start: new Date(started - options.windowDays * DAY_MS), end: new Date(started) };
    const searched: string[] = [];
    const search = (): UsageSearch => ({
      windowDays: options.windowDays,
      since: window.start.toISOString(),
      regions: [...searched],
    });
    const match = {
      roleArn: decision.role.arn,
      eventSource: options.eventSource,
      writeEventNames: options.writeEventNames,
    };
    const enough = options.enoughCalls ?? 20;
    const calls: UsageCall[] = [];
    let regions: readonly string[];
    try {
      regions = orderRegions(decision, await options.regions());
    } catch (error) {
      return { ...search(), status: 'unknown', reason: 'error', detail: `regions: ${errorText(error)}` };
    }
    for (const region of regions) {
      let token: string | undefined;
      do {
        const waitUntil = Math.max(
          options.now(),
          (this.lastRequest.get(region) ?? -Infinity) + this.interval,
        );
        if (waitUntil >= deadline) {
          if (calls.length > 0) return usedEvidence(search(), calls, false);
          return {
            ...search(),
            status: 'unknown',
            reason: 'budget-exhausted',
            detail: `the ${options.budgetSeconds}s budget ran out while searching ${region}`,
          };
        }
        const wait = waitUntil - options.now();
        if (wait > 0) await options.sleep(wait);
        this.lastRequest.set(region, options.now());
        let page: Awaited<ReturnType<EcrEventSource['ecrEvents']>>;
        try {
          page = await options.source.ecrEvents(region, window, token);
        } catch (error) {
          if (calls.length > 0) return usedEvidence(search(), calls, false);
          const name = errorName(error);
          const reason = ACCESS_DENIED.has(name)
            ? 'access-denied'
            : THROTTLED.has(name)
              ? 'throttled'
              : 'error';
          return { ...search(), status: 'unknown', reason, detail: `${region}: ${errorText(error)}` };
        }
        for (const record of page.records) {
          const call = roleWriteCall(record, match);
          if (call !== null) calls.push({ ...call, region: call.region || region });
        }
        if (calls.length >= enough) return usedEvidence(search(), calls, false);
        token = page.nextToken;
      } while (token !== undefined);
      searched.push(region);
    }
    return calls.length > 0 ? usedEvidence(search(), calls, true) : { ...search(), status: 'not-used' };
  }
}

/** The regions of the role's EKS evidence first (where its nodes run), then the rest of the watched regions. */
function orderRegions(decision: Decision, watched: readonly string[]): string[] {
  const own = decision.nodeRole.evidence.flatMap((evidence) =>
    evidence.region === null ? [] : [evidence.region],
  );
  return [...new Set([...own, ...watched])];
}
