// Use case "handle event": the one pipeline from a raw EventBridge event to alerts (parse at the edge → decide →
// remediate behind the gate → notify → count); the sweep remediates and counts through the same code.
import { type GuardConfig, METRIC, VIOLATION_METRIC } from '../contract';
import { ignoredDecision } from '../domain/decision';
import type { Decision, RemediationOutcome } from '../domain/types';
import { guardActorArn, parseRoleChangeEvent } from '../events/role-change';
import type { ChangeEvaluator } from './evaluate-change';
import type { Notifier } from './notify';
import type { FindingsPublisher } from './publish-findings';
import { type Remediator, shouldRemediate } from './remediate';
import type { GuardLogger, GuardMetrics } from './telemetry';

/** What remediating a decision needs: the gate's config, the remediator, and where to report. */
export interface RemediationPipeline {
  readonly config: GuardConfig;
  readonly remediator: Remediator;
  readonly logger: GuardLogger;
  readonly metrics: GuardMetrics;
  /** Milliseconds clock. */
  readonly now: () => number;
}

/** What handling an event needs on top: the evaluator, the notifier, and the guard's own role (loop safety). */
export interface EventPipeline extends RemediationPipeline {
  readonly evaluator: ChangeEvaluator;
  readonly notifier: Notifier;
  /** The guard functions' role ARN; its own changes come back as events and need no look. Null = unknown. */
  readonly guardRoleArn: string | null;
  /** Security Hub findings (opt-in `securityHub`); null or absent when off. */
  readonly findings?: FindingsPublisher | null;
}

/** What one event led to; JSON-serialisable (it is the idempotency record's stored result). */
export interface EventResult {
  readonly eventId: string | null;
  readonly eventName: string | null;
  readonly outcomes: readonly {
    readonly verdict: Decision['verdict'];
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

  // Loop safety: the guard's own attach/detach/put calls come back as events; they need no look.
  const ownChange = pipeline.guardRoleArn !== null && guardActorArn(raw) === pipeline.guardRoleArn;
  const decisions = ownChange
    ? [ignoredDecision(change.event, 'The change was made by eks-ecr-guard itself.')]
    : await pipeline.evaluator.evaluate(change);

  const details: ProcessedDecision[] = [];
  for (const decision of decisions) {
    details.push(await handleDecision(pipeline, decision));
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

  const outcome = await remediateDecision(pipeline, decision);
  try {
    const sent = await pipeline.notifier.notify(decision, outcome);
    return { decision, outcome, alerted: sent.sent };
  } catch (error) {
    // The invocation fails and is retried, but a retry finds the role already fixed (compliant, no alert):
    // say here, where the Errors alarm leads, what the guard changed that nobody was told about.
    if (outcome !== null) {
      logger.error('the alert for a remediation could not be published', {
        role: decision.role?.name ?? null,
        status: outcome.status,
        applied: outcome.applied,
        notDone: outcome.notDone,
        error: errorText(error),
      });
    }
    throw error;
  }
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
