// Entry point of the scheduled sweep Lambda: reads config once, builds SDK clients once (outside the handler), and
// wires Powertools Logger, Metrics and Tracer around the sweep (collect, audit, remediate, digest, KPIs).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { defaultClients } from './composition';
import { settingsFromEnv } from './config';
import { powertoolsMetrics, tracedClients } from './observability';
import { Sweep, type SweepResult } from './sweep';

const settings = settingsFromEnv(process.env);
const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();

const sweep = new Sweep(settings, tracedClients(tracer, defaultClients()), {
  logger,
  metrics: powertoolsMetrics(metrics),
});

/** Invoked by the EventBridge schedule; the event carries nothing the sweep needs. */
export const handler = async (_event: unknown): Promise<SweepResult> => {
  try {
    return await sweep.run();
  } catch (error) {
    // Throw so the invocation is retried once and the SweepFunctionErrors alarm fires: the KPIs are stale.
    logger.error('sweep failed', {
      error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
    });
    throw error;
  } finally {
    metrics.publishStoredMetrics();
  }
};
