// Entry point of the event Lambda: reads config once, builds SDK clients once (outside the handler), and wires
// Powertools Logger (with the Lambda context), Metrics, Tracer and DynamoDB idempotency around the event path.
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildDependencies, defaultClients } from './composition';
import { settingsFromEnv } from './config';
import { createEventHandler } from './event-handler';
import { PendingOutcomeGateway } from './gateways/pending-outcome-gateway';
import { powertoolsMetrics, tracedClients } from './observability';

const settings = settingsFromEnv(process.env);
const logger = new Logger();
const metrics = new Metrics();
const tracer = new Tracer();

const clients = tracedClients(tracer, defaultClients());
const tableName = settings.idempotencyTableName;
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({ retryMode: 'adaptive' }));
const persistence =
  tableName === null ? null : new DynamoDBPersistenceLayer({ tableName, awsSdkV3Client: dynamodb });

export const handler = createEventHandler({
  deps: buildDependencies(settings, clients, { logger, metrics: powertoolsMetrics(metrics) }),
  persistence,
  // Same table: a remediation's unpublished alert waits there for the retry.
  pendingOutcomes: tableName === null ? null : new PendingOutcomeGateway(dynamodb, tableName),
  flushMetrics: () => metrics.publishStoredMetrics(),
  instrumentation: { logger, tracer },
});
