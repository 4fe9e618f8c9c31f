// Use case "publish findings" (opt-in `securityHub`): turns node-role decisions into ASFF findings and imports them
// into the account's own Security Hub, from the event pipeline (the roles an event touched) and the sweep (every
// node role, plus the reconciliation that closes the findings of roles that left the audit).
import { METRIC } from '../contract';
import type { AuditReport } from '../domain/audit-report';
import type { Decision, RemediationStatus } from '../domain/types';
import type { RefusedFinding, StoredOwnedFinding as StoredFinding } from '../gateways/securityhub-gateway';
import {
  type AsffFinding,
  defaultProductArn,
  type FindingTarget,
  findingForDecision,
  GENERATOR_ID,
  retiredFinding,
} from '../report/asff';
import type { GuardLogger, GuardMetrics } from './telemetry';

/** What the use case needs of Security Hub (the SecurityHubGateway). */
export interface FindingsStore {
  importFindings(findings: readonly AsffFinding[]): Promise<RefusedFinding[]>;
  ownedFindings(productArn: string, generatorId: string): Promise<StoredFinding[]>;
  findingsById(productArn: string, ids: readonly string[]): Promise<StoredFinding[]>;
}

export interface FindingsPublisherDeps {
  readonly store: FindingsStore;
  readonly target: FindingTarget;
  readonly logger: GuardLogger;
  readonly metrics: GuardMetrics;
  /** Milliseconds clock. */
  readonly now: () => number;
}

/** What one publication did. */
export interface PublishResult {
  /** Findings Security Hub accepted (created or updated). */
  readonly imported: number;
  /** Findings of roles that left the audit, closed (PASSED, archived) by the reconciliation. */
  readonly retired: number;
  /** Findings still refused after the one retry (or not sent because Security Hub could not be reached). */
  readonly failed: readonly RefusedFinding[];
}

/** BatchImportFindings limits (AWS-FACTS §18), with room for the request envelope under the 6 MB. */
export const IMPORT_LIMITS = { findings: 100, bytes: 6 * 1024 * 1024 - 64 * 1024 } as const;

/** Remediation outcomes after which the role holds no ECR write access (verified, or already so). */
/** The remediation statuses after which the role no longer writes (usage holds and errors are not fixes). */
const FIXED: ReadonlySet<string> = new Set<RemediationStatus>(['applied', 'not-needed']);

export class FindingsPublisher {
  private readonly productArn: string;

  constructor(private readonly deps: FindingsPublisherDeps) {
    this.productArn = defaultProductArn(deps.target);
  }

  /** The event path: one finding per node-role decision, its creation time kept when it exists already. */
  async publishDecisions(
    processed: readonly {
      readonly decision: Decision;
      readonly outcome: { readonly status: RemediationStatus } | null;
    }[],
  ): Promise<PublishResult> {
    const now = this.isoNow();
    const findings = processed.flatMap(({ decision, outcome }) => {
      const remediated = outcome !== null && FIXED.has(outcome.status);
      const finding = findingForDecision(decision, this.deps.target, now, { remediated });
      return finding === null ? [] : [finding];
    });
    if (findings.length === 0) return { imported: 0, retired: 0, failed: [] };
    return this.guarded(findings, async () => {
      const stored = await this.deps.store.findingsById(
        this.productArn,
        findings.map((f) => f.Id),
      );
      return this.importAll(
        findings.map((f) => stamped(f, stored)),
        0,
      );
    });
  }

  /**
   * The sweep: every node role's finding, and every finding the guard owns (product + generator) whose role is
   * no longer in the audit (deleted, or no longer a node role) closed as PASSED and archived. After it, no
   * finding of the guard is FAILED for a role that is compliant or gone.
   */
  async reconcile(
    report: Pick<AuditReport, 'roles'>,
    remediations: ReadonlyMap<string, { readonly status: string }>,
    options: {
      /**
       * False when part of the account could not be read (an EKS Region unreachable): a role missing from the
       * audit may then still be a node role, so no finding is closed for being absent. @default true
       */
      readonly complete?: boolean;
    } = {},
  ): Promise<PublishResult> {
    const now = this.isoNow();
    const current = report.roles.flatMap((role) => {
      const status = remediations.get(role.roleName)?.status;
      const remediated = status !== undefined && FIXED.has(status);
      const finding = findingForDecision(role.decision, this.deps.target, now, { remediated });
      return finding === null ? [] : [finding];
    });
    return this.guarded(current, async () => {
      const stored = await this.deps.store.ownedFindings(this.productArn, GENERATOR_ID);
      const currentIds = new Set(current.map((f) => f.Id));
      if (options.complete === false) {
        this.deps.logger.warn(
          'Security Hub: the audit is incomplete, no finding is closed for an absent role',
          {
            owned: stored.length,
          },
        );
      }
      const retired = (options.complete === false ? [] : stored)
        .filter((owned) => !currentIds.has(owned.id))
        .filter((owned) => owned.complianceStatus !== 'PASSED' || owned.recordState !== 'ARCHIVED')
        .map((owned) => retiredFinding(owned, this.deps.target, now));
      const all = [...current, ...retired].map((f) => stamped(f, stored));
      return this.importAll(all, retired.length);
    });
  }

  /** Security Hub is secondary to the alerts: a failure to read or import is reported, never thrown. */
  private async guarded(
    findings: readonly AsffFinding[],
    run: () => Promise<PublishResult>,
  ): Promise<PublishResult> {
    try {
      return await run();
    } catch (error) {
      const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      const failed = findings.map((f) => ({ id: f.Id, errorCode: errorName(error), errorMessage: text }));
      this.report(0, failed);
      return { imported: 0, retired: 0, failed };
    }
  }

  /** Imports in batches; each batch's refused findings (or a batch that failed as a whole) are retried once. */
  private async importAll(findings: readonly AsffFinding[], retired: number): Promise<PublishResult> {
    const failed: RefusedFinding[] = [];
    let imported = 0;
    for (const batch of importBatches(findings)) {
      const refused = await this.importWithRetry(batch);
      imported += batch.length - refused.length;
      failed.push(...refused);
    }
    this.report(imported, failed);
    return { imported, retired, failed };
  }

  private async importWithRetry(batch: readonly AsffFinding[]): Promise<RefusedFinding[]> {
    const first = await this.tryImport(batch);
    if (first.length === 0) return first;
    const refusedIds = new Set(first.map((refused) => refused.id));
    const again = batch.filter((finding) => refusedIds.has(finding.Id));
    // A refusal without a known Id cannot be matched to a finding: keep it as it is.
    const unmatched = first.filter((refused) => !again.some((finding) => finding.Id === refused.id));
    if (again.length === 0) return unmatched;
    return [...unmatched, ...(await this.tryImport(again))];
  }

  private async tryImport(batch: readonly AsffFinding[]): Promise<RefusedFinding[]> {
    try {
      return await this.deps.store.importFindings(batch);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return batch.map((finding) => ({ id: finding.Id, errorCode: errorName(error), errorMessage: text }));
    }
  }

  private report(imported: number, failed: readonly RefusedFinding[]): void {
    const { logger, metrics } = this.deps;
    metrics.addMetric(METRIC.securityHubFindingsImported, 'Count', imported);
    if (failed.length === 0) return;
    metrics.addMetric(METRIC.securityHubImportFailures, 'Count', failed.length);
    logger.error('Security Hub refused findings', {
      count: failed.length,
      failed: failed.slice(0, 20),
    });
  }

  private isoNow(): string {
    return new Date(this.deps.now()).toISOString();
  }
}

/**
 * Batches of at most 100 findings and under the 6 MB request limit, in order (a finding is never split; each is
 * far below its own 240 KB limit: the builder clips every free text).
 */
export function importBatches(findings: readonly AsffFinding[]): AsffFinding[][] {
  const batches: AsffFinding[][] = [];
  let current: AsffFinding[] = [];
  let bytes = 0;
  for (const finding of findings) {
    const size = Buffer.byteLength(JSON.stringify(finding), 'utf8') + 1;
    if (
      current.length > 0 &&
      (current.length >= IMPORT_LIMITS.findings || bytes + size > IMPORT_LIMITS.bytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/**
 * Keeps a stored finding's creation time, and makes `UpdatedAt` later than the stored one (Security Hub ignores an
 * update whose `UpdatedAt` is not later).
 */
export function stamped(finding: AsffFinding, stored: readonly StoredFinding[]): AsffFinding {
  const existing = stored.find((candidate) => candidate.id === finding.Id);
  if (existing === undefined) return finding;
  const previous = Date.parse(existing.updatedAt);
  const now = Date.parse(finding.UpdatedAt);
  const updatedAt =
    Number.isFinite(previous) && previous >= now ? new Date(previous + 1).toISOString() : finding.UpdatedAt;
  return { ...finding, CreatedAt: existing.createdAt, UpdatedAt: updatedAt };
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}
