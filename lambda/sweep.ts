// Composition of the scheduled sweep: collect the live account (one GAAD pass + EKS inventory), audit it in memory,
// remediate and count violations through the event pipeline's code (use case handle-event), publish one digest and
// the compliance KPIs; a clean sweep sends the short clean digest on the `digestWhenClean` schedule.
import { loadSnapshot } from './account/snapshot-format';
import { SnapshotAccountView } from './account/snapshot-view';
import { buildDependencies, type Dependencies, evaluationSettings, todayUtc } from './composition';
import {
  type LambdaSettings,
  MAX_OWNER_METRIC_VALUES,
  METRIC,
  OPEN_VIOLATION_METRIC,
  OWNER_DIMENSION,
} from './contract';
import { groupByOwner, ownerMetricPoints } from './domain/owner-report';
import type { Decision } from './domain/types';
import type { AwsClients } from './gateways/aws-clients';
import type { EksRegionWarning } from './gateways/eks-gateway';
import { SnsGateway } from './gateways/sns-gateway';
import { cleanDigestDue, formatCleanDigest } from './notify/clean-digest';
import {
  type DigestRemediation,
  digestNeeded,
  formatDigest,
  isFixed,
  type SweepKpis,
  sweepKpis,
} from './notify/digest';
import { type PodRoleKpis, podRoleKpis } from './notify/pod-role-digest';
import {
  type AuditReport,
  type AuditSummary,
  auditAccount,
  SEVERITIES,
  violationsOf,
} from './usecases/audit';
import { type CollectionSources, collectSnapshot, liveCollectionSources } from './usecases/collect-snapshot';
import { ChangeEvaluator } from './usecases/evaluate-change';
import { errorText, remediateDecision, withUsageEvidence } from './usecases/handle-event';
import type { Publisher } from './usecases/notify';
import { type GuardLogger, type GuardMetrics, noMetrics, silentLogger } from './usecases/telemetry';

export interface SweepOptions {
  readonly logger?: GuardLogger;
  readonly metrics?: GuardMetrics;
  /** Milliseconds clock. @default Date.now */
  readonly now?: () => number;
  /** Today as YYYY-MM-DD (UTC), for exemption expiry. @default from `now` */
  readonly today?: () => string;
  /** Remediation's wait between verification reads. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Where the account is read from. @default the live gateways over `clients` */
  readonly sources?: CollectionSources;
  /** Where the digest goes. @default SNS over `clients.sns` */
  readonly publisher?: Publisher;
}

/** What one sweep did; JSON-serialisable (it is the Lambda's return value). */
export interface SweepResult {
  readonly summary: AuditSummary;
  readonly kpis: SweepKpis;
  /** Pod roles that hold ECR push (workloads that push the right way); null without a pod-role audit. */
  readonly podRoleKpis: PodRoleKpis | null;
  readonly remediations: readonly {
    readonly roleName: string;
    readonly status: DigestRemediation['status'];
  }[];
  readonly digest: {
    readonly sent: boolean;
    readonly messageId: string | null;
    readonly subject: string | null;
  };
  readonly eksWarnings: readonly EksRegionWarning[];
  readonly durationMs: number;
}

export class Sweep {
  private readonly deps: Dependencies;
  private readonly sources: CollectionSources;
  private readonly publisher: Publisher;
  private readonly logger: GuardLogger;
  private readonly metrics: GuardMetrics;
  private readonly now: () => number;
  private readonly today: () => string;

  constructor(
    private readonly settings: LambdaSettings,
    clients: AwsClients,
    options: SweepOptions = {},
  ) {
    this.logger = options.logger ?? silentLogger;
    this.metrics = options.metrics ?? noMetrics;
    this.now = options.now ?? Date.now;
    const now = this.now;
    this.today = options.today ?? (() => todayUtc(new Date(now())));
    this.deps = buildDependencies(settings, clients, {
      logger: this.logger,
      metrics: this.metrics,
      now: this.now,
      today: this.today,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    });
    this.sources = options.sources ?? liveCollectionSources(clients, settings.config.eksRegions);
    this.publisher = options.publisher ?? new SnsGateway(clients.sns);
  }

  async run(): Promise<SweepResult> {
    const started = this.now();
    const { report, eksWarnings } = await this.audit();
    const remediations = await this.remediate(report);
    // Security Hub (opt-in): every node role's finding, and the findings of roles gone from the audit closed.
    // (Not closing absent roles' findings when an EKS Region could not be read: they may still be node roles.)
    if (this.deps.findings) {
      await this.deps.findings.reconcile(report, remediations, { complete: eksWarnings.length === 0 });
    }
    const kpis = sweepKpis(report, remediations);
    this.emitKpis(kpis);
    const pods = podRoleKpis(report);
    this.emitPodRoleKpis(pods);
    this.emitOwnerKpis(report, remediations);
    const digest = await this.publishDigest(report, remediations, eksWarnings);
    const durationMs = this.now() - started;
    this.metrics.addMetric(METRIC.sweepDuration, 'Milliseconds', durationMs);
    this.logger.info('sweep finished', {
      summary: report.summary,
      kpis,
      digestSent: digest.sent,
      durationMs,
    });
    return {
      summary: report.summary,
      kpis,
      podRoleKpis: pods,
      remediations: [...remediations].map(([roleName, { status }]) => ({ roleName, status })),
      digest,
      eksWarnings,
      durationMs,
    };
  }

  /** The live collection, audited through an in-memory snapshot view (no per-role IAM calls). */
  private async audit(): Promise<{ report: AuditReport; eksWarnings: readonly EksRegionWarning[] }> {
    const { config, partition, accountId } = this.settings;
    const collected = await collectSnapshot(this.sources, {
      eksConcurrency: config.eksConcurrency,
      accountId,
      partition,
      now: () => new Date(this.now()),
    });
    const eksWarnings = collected.eksWarnings ?? [];
    if (eksWarnings.length > 0) this.logger.warn('EKS regions not read', { eksWarnings });
    const view = new SnapshotAccountView(loadSnapshot(collected, 'live collection'));
    const evaluator = new ChangeEvaluator(view, evaluationSettings(config, view.partition, this.today));
    const report = await auditAccount(view, evaluator, { today: this.today() });
    const unreadable = (report.clusterNotes ?? []).filter(
      (note) => note.kind === 'access-entries-unreadable',
    );
    if (unreadable.length > 0) {
      this.logger.warn('EKS access entries not read', { clusters: unreadable });
      this.metrics.addMetric(METRIC.accessEntriesUnreadable, 'Count', unreadable.length);
    }
    return { report, eksWarnings };
  }

  /**
   * Remediate mode only: each violation passes the same gate, Remediator and counting as on the event path (the
   * Remediator re-reads the live role first, so a role fixed since the collection is left alone). One role's
   * failure never stops the others; it is reported in the digest.
   */
  private async remediate(report: AuditReport): Promise<Map<string, DigestRemediation>> {
    const results = new Map<string, DigestRemediation>();
    for (const role of violationsOf(report)) {
      const result = await this.remediateOne(role.decision);
      if (result !== null) results.set(role.roleName, result);
    }
    return results;
  }

  private async remediateOne(decision: Decision): Promise<DigestRemediation | null> {
    try {
      // Before any fix, the same CloudTrail usage lookup and hold as on the event path.
      const looked = await withUsageEvidence(this.deps, decision);
      const hold = looked.usageHold ?? null;
      if (hold !== null) return { status: hold, error: usageNote(looked) };
      const outcome = await remediateDecision(this.deps, looked);
      return outcome === null ? null : { status: outcome.status, error: outcome.error };
    } catch (error) {
      // The event path lets the invocation fail and be retried; the sweep records the role and carries on.
      this.metrics.addMetric(METRIC.remediationFailures, 'Count', 1);
      const text = errorText(error);
      this.logger.error('remediation threw', { role: decision.role?.name ?? null, error: text });
      return { status: 'error', error: text };
    }
  }

  private emitKpis(kpis: SweepKpis): void {
    this.metrics.addMetric(METRIC.nodeRolesTotal, 'Count', kpis.nodeRolesTotal);
    this.metrics.addMetric(METRIC.nodeRolesCompliant, 'Count', kpis.nodeRolesCompliant);
    this.metrics.addMetric(METRIC.complianceRatio, 'Percent', kpis.complianceRatio);
    for (const severity of SEVERITIES) {
      this.metrics.addMetric(OPEN_VIOLATION_METRIC[severity], 'Count', kpis.open[severity]);
    }
  }

  /** The pod-role KPIs (no dimension: the guard's metrics have none; the digest and audit show them per cluster). */
  private emitPodRoleKpis(pods: PodRoleKpis | null): void {
    if (pods === null) return;
    this.metrics.addMetric(METRIC.podRolesTotal, 'Count', pods.podRolesTotal);
    this.metrics.addMetric(METRIC.podRolesWithPush, 'Count', pods.podRolesWithPush);
    this.metrics.addMetric(METRIC.podRolesPushUnknown, 'Count', pods.podRolesPushUnknown);
    this.metrics.addMetric(METRIC.clustersWithPodRolePush, 'Count', pods.clustersWithPodRolePush);
  }

  /**
   * The untagged count, and per owner (dimension Owner, capped at MAX_OWNER_METRIC_VALUES values plus `other`,
   * `untagged` and `unknown`): node roles, compliant ones (fixed ones included) and open violations.
   */
  private emitOwnerKpis(report: AuditReport, remediations: ReadonlyMap<string, DigestRemediation>): void {
    const untagged = report.summary.untaggedNodeRoles;
    if (untagged === undefined) return;
    this.metrics.addMetric(METRIC.untaggedNodeRoles, 'Count', untagged);
    const emit = this.metrics.addDimensionedMetric?.bind(this.metrics);
    if (emit === undefined) return;
    const groups = groupByOwner(report.roles, (role) => !isFixed(remediations.get(role.roleName)));
    for (const point of ownerMetricPoints(groups, MAX_OWNER_METRIC_VALUES)) {
      const dimensions = { [OWNER_DIMENSION]: point.owner };
      emit(METRIC.ownerNodeRoles, 'Count', point.nodeRoles, dimensions);
      emit(METRIC.ownerNodeRolesCompliant, 'Count', point.compliant, dimensions);
      emit(METRIC.ownerOpenViolations, 'Count', point.openViolations, dimensions);
    }
  }

  private async publishDigest(
    report: AuditReport,
    remediations: ReadonlyMap<string, DigestRemediation>,
    eksWarnings: readonly EksRegionWarning[],
  ): Promise<SweepResult['digest']> {
    const { mode, digestWhenClean } = this.settings.config;
    const needed = digestNeeded(report);
    // Nothing for a person: the short clean digest on its schedule (proof of life), else no message at all.
    if (!needed && !cleanDigestDue(digestWhenClean, new Date(this.now()))) {
      return { sent: false, messageId: null, subject: null };
    }
    const digest = needed
      ? formatDigest({ report, mode, remediations, eksWarnings })
      : formatCleanDigest({ report, mode, eksWarnings });
    const messageId = await this.publisher.publish({
      topicArn: this.settings.alertTopicArn,
      subject: digest.subject,
      message: digest.body,
      attributes: { ...digest.attributes },
    });
    if (digest.omitted > 0) this.logger.warn('digest shortened to fit SNS', { omitted: digest.omitted });
    return { sent: true, messageId, subject: digest.subject };
  }
}

/** The usage evidence of a held fix in a few words, for the digest line. */
function usageNote(decision: Decision): string | null {
  const usage = decision.usage;
  if (usage === undefined) return null;
  if (usage.status === 'used')
    return `${usage.calls} write call(s), last ${usage.lastTime}, sessions ${usage.sessions.join(', ')}`;
  if (usage.status === 'unknown') return `${usage.reason}: ${usage.detail}`;
  return null;
}
