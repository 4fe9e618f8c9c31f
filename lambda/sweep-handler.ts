// Entry point of the scheduled sweep Lambda: reads config once, builds SDK clients once (outside the handler), and
// wires Powertools Logger (with the Lambda context), Metrics and Tracer around the sweep (collect, audit, remediate, digest, KPIs).
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { defaultClients } from './composition';
import { settingsFromEnv } from './config';
import { instrumented } from './invocation';
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
const run = async (_event: unknown, _context: Context): Promise<SweepResult> => {
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

/** The Lambda context into the logger (request id, cold start), one trace subsegment per run. */
export const handler = instrumented(run, { logger, tracer, name: 'sweepHandler' });
