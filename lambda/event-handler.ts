// Lambda adapter for the event path: Powertools idempotency and metric flushing around the handle-event use case.
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { Context } from 'aws-lambda';
import { CHECK_DEPLOY_ROLE_PREFIX, CHECK_DEPLOY_SEEN_MESSAGE } from './contract';
import { type Instrumentation, instrumented } from './invocation';
import { type EventPipeline, type EventResult, handleEvent } from './usecases/handle-event';
import type { PendingOutcomeStore } from './usecases/pending-outcomes';

/**
 * A duplicate delivery of the same CloudTrail record (same eventID, same call) is answered from the stored
 * result, so it sends no second alert. eventName and requestParameters are part of the key because eventIDs
 * are only unique per record, and test fixtures reuse them.
 */
export const IDEMPOTENCY_KEY_JMESPATH = '[detail.eventID, detail.eventName, detail.requestParameters]';
export const IDEMPOTENCY_TTL_SECONDS = 6 * 60 * 60;

export interface EventHandlerOptions {
  readonly deps: EventPipeline;
  /** DynamoDB in the Lambda; any persistence layer in tests. Null disables idempotency (CLI dry runs). */
  readonly persistence: BasePersistenceLayer | null;
  /** Flushes metrics at the end of each invocation (Powertools Metrics.publishStoredMetrics). */
  readonly flushMetrics?: () => void;
  /**
   * Where a remediation's unpublished alert waits for the retry (the idempotency table in the Lambda). Null or
   * absent: a failed publish after a fix is only logged.
   */
  readonly pendingOutcomes?: PendingOutcomeStore | null;
  /** Lambda context into the logger, a trace subsegment per invocation (Powertools Logger and Tracer). */
  readonly instrumentation?: Omit<Instrumentation, 'name'>;
}

export type EventHandler = (event: unknown, context: Context) => Promise<EventResult>;

export function createEventHandler({
  deps,
  persistence,
  flushMetrics,
  pendingOutcomes = null,
  instrumentation = {},
}: EventHandlerOptions): EventHandler {
  const pipeline: EventPipeline = { ...deps, pendingOutcomes };
  const run = async (event: unknown, _context: Context): Promise<EventResult> => {
    try {
      const { details: _details, ...result } = await handleEvent(pipeline, event);
      logCheckDeployEvent(deps, result);
      return result;
    } catch (error) {
      // Throttling, 5xx after SDK retries, SNS failures: throw so the async invocation is retried and then
      // kept by the failure destination. Nothing is swallowed.
      deps.logger.error('event processing failed; the invocation will be retried', {
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      });
      throw error;
    } finally {
      flushMetrics?.();
    }
  };
  const wrap = (handler: EventHandler): EventHandler =>
    instrumented(handler, { ...instrumentation, name: 'eventHandler' });
  if (persistence === null) return wrap(run);
  const config = new IdempotencyConfig({
    eventKeyJmesPath: IDEMPOTENCY_KEY_JMESPATH,
    expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
    throwOnNoIdempotencyKey: false,
  });
  return wrap(makeIdempotent(run, { persistenceStore: persistence, config }));
}

/** The line `eks-ecr-guard check-deploy` waits for: the guard saw and decided its change on the throw-away role. */
function logCheckDeployEvent(deps: EventPipeline, result: EventResult): void {
  for (const outcome of result.outcomes) {
    if (outcome.role?.startsWith(CHECK_DEPLOY_ROLE_PREFIX) === true) {
      deps.logger.info(CHECK_DEPLOY_SEEN_MESSAGE, {
        role: outcome.role,
        eventId: result.eventId,
        eventName: result.eventName,
        verdict: outcome.verdict,
      });
    }
  }
}
