// Use case "handle event": the one pipeline from a raw EventBridge event to alerts (parse at the edge → decide →
// remediate behind the gate → notify → count); the sweep remediates and counts through the same code.
import { type GuardConfig, METRIC, VIOLATION_METRIC } from '../contract';
import { ignoredDecision } from '../domain/decision';
import type { Decision, RemediationOutcome } from '../domain/types';
import { usageHold } from '../domain/usage';
import { guardActorArn, parseRoleChangeEvent } from '../events/role-change';
import type { ChangeEvaluator } from './evaluate-change';
import { CentralAlertPublishError, type Notifier } from './notify';
import {
  owedPublish,
  type PendingOutcome,
  type PendingOutcomeStore,
  pendingOutcomeKey,
} from './pending-outcomes';
import type { FindingsPublisher } from './publish-findings';
import { type Remediator, shouldRemediate } from './remediate';
import type { GuardLogger, GuardMetrics } from './telemetry';
import type { UsageLookup } from './usage-evidence';

/** What remediating a decision needs: the gate's config, the remediator, and where to report. */
export interface RemediationPipeline {
  readonly config: GuardConfig;
  readonly remediator: Remediator;
  readonly logger: GuardLogger;
  readonly metrics: GuardMetrics;
  /** Milliseconds clock. */
  readonly now: () => number;
  /** The CloudTrail usage lookup made before a fix; absent: no lookup (the gate then ignores usage). */
  readonly usage?: UsageLookup;
}

/** What handling an event needs on top: the evaluator, the notifier, and the guard's own role (loop safety). */
export interface EventPipeline extends RemediationPipeline {
  readonly evaluator: ChangeEvaluator;
  readonly notifier: Notifier;
  /** The guard functions' role ARN; its own changes come back as events and need no look. Null = unknown. */
  readonly guardRoleArn: string | null;
  /**
   * Where a remediation's alert waits when its publish fails, so the retry publishes it (a retry otherwise finds
   * the role fixed and sends nothing). Absent or null: the failure is only logged.
   */
  readonly pendingOutcomes?: PendingOutcomeStore | null;
  /** Security Hub findings (opt-in `securityHub`); null or absent when off. */
  readonly findings?: FindingsPublisher | null;
}

/** What one event led to; JSON-serialisable (it is the idempotency record's stored result). */
export interface EventResult {
  readonly eventId: string | null;
  readonly eventName: string | null;
  readonly outcomes: readonly {
    readonly verdict: Decision['verdict'];
    /** `change` when the verdict is about the change alone (the role was not re-read); null for ignored events. */
    readonly scope: 'role' | 'change' | null;
    readonly role: string | null;
    readonly severity: Decision['severity'];
    readonly remediation: RemediationOutcome['status'] | null;
    readonly alerted: boolean;
  }[];
}

export interface ProcessedDecision {
  readonly decision: Decision;
  readonly outcome: RemediationOutcome | null;
  readonly alerted: boolean;
}

/** The event path: parse at the edge, evaluate, remediate behind the gate, alert, and record metrics. */
export async function handleEvent(
  pipeline: EventPipeline,
  raw: unknown,
): Promise<EventResult & { details: ProcessedDecision[] }> {
  const started = pipeline.now();
  const change = parseRoleChangeEvent(raw);
  pipeline.logger.appendKeys?.({ correlation_id: change.event.id, eventName: change.event.name });

  const eventKey =
    change.event.id === null || change.event.name === null
      ? null
      : pendingOutcomeKey(change.event.id, change.event.name);
  // A retry after a failed publish: the owed alerts go first, and their roles are not decided again (the role is
  // fixed by now, so a new decision would be "compliant" and silent; the stored one says what the guard did).
  const republished = await republishPending(pipeline, eventKey);
  const owedRoles = new Set(republished.map((entry) => entry.decision.role?.name ?? null));

  // Loop safety: the guard's own attach/detach/put calls come back as events; they need no look.
  const ownChange = pipeline.guardRoleArn !== null && guardActorArn(raw) === pipeline.guardRoleArn;
  const decisions = ownChange
    ? [ignoredDecision(change.event, 'The change was made by eks-ecr-guard itself.')]
    : await pipeline.evaluator.evaluate(change);

  const details: ProcessedDecision[] = [...republished];
  for (const decision of decisions) {
    if (republished.length > 0 && owedRoles.has(decision.role?.name ?? null)) continue;
    details.push(await handleDecision(pipeline, decision, eventKey));
  }
  // After the alerts: a Security Hub failure is logged and counted by the publisher, never thrown.
  if (pipeline.findings) await pipeline.findings.publishDecisions(details);
  pipeline.metrics.addMetric(METRIC.eventsEvaluated, 'Count', 1);
  pipeline.metrics.addMetric(METRIC.decisionLatency, 'Milliseconds', pipeline.now() - started);
  return {
    eventId: change.event.id,
    eventName: change.event.name,
    outcomes: details.map(({ decision, outcome, alerted }) => ({
      verdict: decision.verdict,
      scope: decision.scope ?? null,
      role: decision.role?.name ?? null,
      severity: decision.severity,
      remediation: outcome?.status ?? null,
      alerted,
    })),
    details,
  };
}

/** One decision of an event: count its verdict, remediate behind the gate, alert. */
export async function handleDecision(
  pipeline: EventPipeline,
  decision: Decision,
  eventKey: string | null = null,
): Promise<ProcessedDecision> {
  const { logger, metrics } = pipeline;
  logger.info('decision', {
    verdict: decision.verdict,
    severity: decision.severity,
    role: decision.role?.name ?? null,
    reason: decision.reason,
    ecrWriteActions: decision.ecrWriteActions,
  });
  if (decision.verdict === 'violation' && decision.severity !== null) {
    metrics.addMetric(VIOLATION_METRIC[decision.severity], 'Count', 1);
  }
  if (decision.verdict === 'indeterminate') metrics.addMetric(METRIC.indeterminate, 'Count', 1);
  const unreadable = (decision.nodeRole.clusterNotes ?? []).filter(
    (note) => note.kind === 'access-entries-unreadable',
  );
  if (unreadable.length > 0) metrics.addMetric(METRIC.accessEntriesUnreadable, 'Count', unreadable.length);

  const looked = await withUsageEvidence(pipeline, decision);
  const outcome = await remediateDecision(pipeline, looked);
  try {
    const sent = await pipeline.notifier.notify(looked, outcome);
    return { decision: looked, outcome, alerted: sent.sent };
  } catch (error) {
    if (error instanceof CentralAlertPublishError) {
      // The alert topic has it: keep only the central publish for the retry (which skips this role's decision, so
      // nothing is sent twice). Without a store the retry would send the alert topic's copy again: not retried.
      const kept = await keepPending(pipeline, eventKey, { decision: looked, outcome, owed: 'central' });
      reportCentralFailure(pipeline, looked, error, kept);
      if (!kept) return { decision: looked, outcome, alerted: true };
      throw error;
    }
    // The invocation fails and is retried, but a retry finds the role already fixed (compliant, no alert): keep
    // the outcome for the retry to publish, and say here, where the Errors alarm leads, what the guard changed.
    if (outcome !== null) {
      const kept = await keepPending(pipeline, eventKey, { decision, outcome });
      logger.error('the alert for a remediation could not be published', {
        role: decision.role?.name ?? null,
        status: outcome.status,
        applied: outcome.applied,
        notDone: outcome.notDone,
        error: errorText(error),
        keptForRetry: kept,
      });
    }
    throw error;
  }
}

/** A central publish that failed: logged (what is owed, whether the retry will send it) and counted. */
function reportCentralFailure(
  pipeline: EventPipeline,
  decision: Decision,
  error: CentralAlertPublishError,
  keptForRetry: boolean,
): void {
  pipeline.metrics.addMetric(METRIC.centralAlertFailures, 'Count', 1);
  pipeline.logger.error('the alert could not be published to the central topic; the alert topic has it', {
    role: decision.role?.name ?? null,
    topicArn: error.topicArn,
    published: error.published,
    error: errorText(error.cause),
    keptForRetry,
  });
}

/** Stores an owed alert for the retry; false (and logged) when there is no store or it fails too. */
async function keepPending(
  pipeline: EventPipeline,
  eventKey: string | null,
  pending: PendingOutcome,
): Promise<boolean> {
  const store = pipeline.pendingOutcomes ?? null;
  if (store === null || eventKey === null) return false;
  try {
    await store.save(eventKey, [pending]);
    return true;
  } catch (error) {
    pipeline.logger.error('the unpublished remediation outcome could not be kept for the retry', {
      role: pending.decision.role?.name ?? null,
      error: errorText(error),
    });
    return false;
  }
}

/**
 * Publishes the alerts a failed invocation of this event still owes, then forgets them. A publish that fails
 * again keeps what is still owed and fails the invocation, so the next retry tries again.
 */
async function republishPending(
  pipeline: EventPipeline,
  eventKey: string | null,
): Promise<ProcessedDecision[]> {
  const store = pipeline.pendingOutcomes ?? null;
  if (store === null || eventKey === null) return [];
  const pending = await store.load(eventKey);
  if (pending.length === 0) return [];
  const done: ProcessedDecision[] = [];
  for (const [index, entry] of pending.entries()) {
    const { decision, outcome } = entry;
    try {
      const sent = await pipeline.notifier.notify(decision, outcome, owedPublish(entry));
      done.push({ decision, outcome, alerted: sent.sent });
    } catch (error) {
      // What is still owed: this entry (only its central publish, when the alert topic took it now) and the rest.
      const central = error instanceof CentralAlertPublishError;
      const still: PendingOutcome = central ? { ...entry, owed: 'central' } : entry;
      await store.save(eventKey, [still, ...pending.slice(index + 1)]);
      if (central) reportCentralFailure(pipeline, decision, error, true);
      const what = outcome === null ? 'the central alert' : 'the alert for a remediation';
      pipeline.logger.error(`${what} could not be published on the retry either`, {
        role: decision.role?.name ?? null,
        status: outcome?.status ?? null,
        owed: owedPublish(still),
        error: errorText(error),
      });
      throw error;
    }
  }
  await store.clear(eventKey);
  pipeline.logger.info('published the alerts a failed invocation owed', {
    roles: done.map((entry) => entry.decision.role?.name ?? null),
  });
  return done;
}

/**
 * Adds the CloudTrail usage evidence to a violation (before any fix) and what the gate makes of it
 * (`usageHold`), so the alert and the decision JSON show both. The decision as it was when there is no lookup.
 */
export async function withUsageEvidence(
  pipeline: RemediationPipeline,
  decision: Decision,
): Promise<Decision> {
  if (pipeline.usage === undefined) return decision;
  const usage = await pipeline.usage.lookup(decision);
  if (usage === null) return decision;
  const withUsage = { ...decision, usage };
  const hold = usageHold(withUsage, pipeline.config);
  pipeline.logger.info('usage evidence', {
    role: decision.role?.name ?? null,
    usage: usage.status,
    ...(usage.status === 'unknown' ? { why: usage.reason, detail: usage.detail } : {}),
    hold,
  });
  return { ...withUsage, usageHold: hold };
}

/**
 * Remediates a decision when the pure gate allows it (remediate mode, a violation, a plan), and counts and logs
 * the outcome. Null when the gate says no. A remediator that throws is left to the caller (the event path fails
 * the invocation so it is retried; the sweep records the role as not fixed and carries on).
 */
export async function remediateDecision(
  pipeline: RemediationPipeline,
  decision: Decision,
): Promise<RemediationOutcome | null> {
  if (!shouldRemediate(decision, pipeline.config)) return null;
  const { logger, metrics } = pipeline;
  const role = decision.role?.name ?? null;
  const outcome = await pipeline.remediator.remediate(decision);
  if (outcome.status === 'applied') {
    metrics.addMetric(METRIC.remediationsApplied, 'Count', 1);
    const changedAt = Date.parse(decision.event.time ?? '');
    // Time to remediate: from the CloudTrail event time of the change to the verified fix.
    if (Number.isFinite(changedAt)) {
      metrics.addMetric(METRIC.timeToRemediate, 'Seconds', Math.max(0, (pipeline.now() - changedAt) / 1000));
    }
  }
  if (outcome.status === 'failed-safe' || outcome.status === 'failed-pulls-at-risk') {
    metrics.addMetric(METRIC.remediationFailures, 'Count', 1);
    logger.error('remediation failed', {
      role,
      status: outcome.status,
      error: outcome.error,
      failedStep: outcome.failedStep,
    });
  } else {
    logger.info('remediation', { role, status: outcome.status, applied: outcome.applied });
  }
  return outcome;
}

export const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);
