// Adapters between the Powertools utilities and the small logging/metrics/tracing surfaces the guard uses.
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import type { AwsClients } from './gateways/aws-clients';
import type { GuardMetrics } from './usecases/telemetry';

const UNITS = {
  Count: MetricUnit.Count,
  Milliseconds: MetricUnit.Milliseconds,
  Percent: MetricUnit.Percent,
  Seconds: MetricUnit.Seconds,
} as const;

export function powertoolsMetrics(metrics: Metrics): GuardMetrics {
  return {
    addMetric: (name, unit, value) => metrics.addMetric(name, UNITS[unit], value),
    // A single metric is published at once with the default dimensions (service) and these.
    addDimensionedMetric: (name, unit, value, dimensions) => {
      const single = metrics.singleMetric();
      single.addDimensions({ ...dimensions });
      single.addMetric(name, UNITS[unit], value);
    },
  };
}

/** X-Ray subsegments for every AWS call (a no-op when tracing is disabled). */
export function tracedClients(tracer: Tracer, clients: AwsClients): AwsClients {
  const traced = new WeakSet<object>();
  const capture = <T extends object>(client: T): T => {
    if (!traced.has(client)) {
      tracer.captureAWSv3Client(client);
      traced.add(client);
    }
    return client;
  };
  const ecrFor = clients.ecrFor;
  return {
    iam: capture(clients.iam),
    sns: capture(clients.sns),
    account: capture(clients.account),
    eksFor: (region) => capture(clients.eksFor(region)),
    ...(ecrFor === undefined ? {} : { ecrFor: (region: string) => capture(ecrFor(region)) }),
    cloudtrailFor: (region) => capture(clients.cloudtrailFor(region)),
  };
}
