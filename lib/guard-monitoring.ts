// Infrastructure (CDK) layer: alarms (to the operations topic) and the dashboard of the guard's KPIs and health.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  METRIC,
  METRICS_NAMESPACE,
  type MetricName,
  OPEN_VIOLATION_METRIC,
  OWNER_DIMENSION,
  SERVICE_NAME,
  VIOLATION_METRIC,
} from '../lambda/contract';

export interface GuardMonitoringProps {
  readonly eventFunction: lambda.IFunction;
  readonly sweepFunction: lambda.IFunction;
  /** Lambda's on-failure destination of the event function. */
  readonly failureQueue: IQueue;
  /** Dead-letter queue of the EventBridge rule targets. */
  readonly ruleDeadLetterQueue: IQueue;
  readonly operationsTopic: ITopic;
  /** Days without an event-function invocation before the silence alarm fires; 0 = no silence alarm. */
  readonly silenceAlarmDays: number;
}

const PERIOD = Duration.minutes(5);

/** Severity order of the dashboard's widgets. */
const SEVERITY_LEVELS = ['critical', 'high', 'medium'] as const;

/** A metric the handlers emit through Powertools (namespace EksEcrGuard, dimension service). */
export function guardMetric(
  metricName: MetricName,
  statistic = cloudwatch.Stats.SUM,
  period = PERIOD,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME },
    statistic,
    period,
  });
}

export class GuardMonitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: GuardMonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.operationsTopic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        alarmDescription: `eks-ecr-guard: ${description}`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
    };

    alarm(
      'EventFunctionErrors',
      props.eventFunction.metricErrors({ period: PERIOD }),
      'the event function failed; IAM changes may have gone unchecked',
    );
    alarm(
      'EventFunctionThrottles',
      props.eventFunction.metricThrottles({ period: PERIOD }),
      'the event function was throttled',
    );
    alarm(
      'FailureDestinationNotEmpty',
      props.failureQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
      'invocations failed every retry of a guard function (event or sweep); inspect the failure queue',
    );
    alarm(
      'RuleTargetDlqNotEmpty',
      props.ruleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: PERIOD,
        statistic: 'Maximum',
      }),
      'EventBridge could not invoke a guard function; inspect the rule dead-letter queue',
    );
    // Named after the metric it watches.
    alarm(
      METRIC.remediationFailures,
      guardMetric(METRIC.remediationFailures),
      'a remediation did not finish (the alert lists what is left to do by hand)',
    );
    if (props.silenceAlarmDays > 0) this.alarms.push(silenceAlarm(this, props, action));
    alarm(
      'SweepFunctionErrors',
      props.sweepFunction.metricErrors({ period: PERIOD }),
      'the scheduled sweep failed; the compliance KPIs are stale',
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
      widgets: [
        ...kpiWidgets(),
        ...healthWidgets(props),
        [new cloudwatch.AlarmStatusWidget({ alarms: this.alarms, width: 24 })],
      ],
    });
  }
}

/**
 * No invocation of the event function for `silenceAlarmDays` whole days: no IAM change reached the guard. Missing
 * data is breaching, because a function nobody invokes has no Invocations datapoints at all.
 */
function silenceAlarm(
  scope: Construct,
  props: GuardMonitoringProps,
  action: actions.SnsAction,
): cloudwatch.Alarm {
  const days = props.silenceAlarmDays;
  const alarm = new cloudwatch.Alarm(scope, 'EventFunctionSilent', {
    metric: props.eventFunction.metricInvocations({
      period: Duration.days(1),
      statistic: cloudwatch.Stats.SUM,
    }),
    alarmDescription:
      `eks-ecr-guard: the event function has not been invoked for ${days} day(s); no IAM change reached the ` +
      'guard. Check that the trail is logging, the rule (and the us-east-1 forwarder) is enabled, and run ' +
      'eks-ecr-guard check-deploy (docs/check-deploy.md).',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: days,
    datapointsToAlarm: days,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
  alarm.addAlarmAction(action);
  return alarm;
}

/** Every owner's series of a per-owner metric (dimensions Owner and service), daily maxima. */
function ownerSearch(name: MetricName): cloudwatch.MathExpression {
  const schema = `{${METRICS_NAMESPACE},${OWNER_DIMENSION},service}`;
  return new cloudwatch.MathExpression({
    expression: `SEARCH('${schema} MetricName="${name}" service="${SERVICE_NAME}"', 'Maximum', 86400)`,
    label: '',
    period: Duration.days(1),
    usingMetrics: {},
  });
}

function kpiWidgets(): cloudwatch.IWidget[][] {
  const daily = (name: MetricName, statistic: string = cloudwatch.Stats.SUM) =>
    guardMetric(name, statistic, Duration.days(1));
  return [
    [
      new cloudwatch.SingleValueWidget({
        title: 'Node roles (last sweep)',
        metrics: [
          daily(METRIC.complianceRatio, cloudwatch.Stats.MINIMUM),
          daily(METRIC.nodeRolesTotal, cloudwatch.Stats.MAXIMUM),
          daily(METRIC.nodeRolesCompliant, cloudwatch.Stats.MINIMUM),
        ],
        width: 12,
      }),
      new cloudwatch.SingleValueWidget({
        title: 'Open violations (last sweep)',
        metrics: SEVERITY_LEVELS.map((level) =>
          daily(OPEN_VIOLATION_METRIC[level], cloudwatch.Stats.MAXIMUM),
        ),
        width: 12,
      }),
    ],
    // Next to the node-role KPIs: where push access belongs (pod roles), the playbook's migration KPI.
    [
      new cloudwatch.SingleValueWidget({
        title: 'Pod roles with ECR push (last sweep)',
        metrics: [
          METRIC.podRolesWithPush,
          METRIC.podRolesTotal,
          METRIC.clustersWithPodRolePush,
          METRIC.podRolesPushUnknown,
        ].map((name) => daily(name, cloudwatch.Stats.MAXIMUM)),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Workloads that push the right way (pod roles with ECR push)',
        left: [METRIC.podRolesWithPush, METRIC.clustersWithPodRolePush].map((name) =>
          daily(name, cloudwatch.Stats.MAXIMUM),
        ),
        width: 12,
      }),
    ],
    // Per team: the owner-dimensioned KPIs, one line per owner value (a search, so new owners appear by themselves).
    [
      new cloudwatch.SingleValueWidget({
        title: 'Node roles with no owner tag (last sweep)',
        metrics: [daily(METRIC.untaggedNodeRoles, cloudwatch.Stats.MAXIMUM)],
        width: 6,
      }),
      ...[METRIC.ownerOpenViolations, METRIC.ownerNodeRoles].map(
        (name) =>
          new cloudwatch.GraphWidget({
            title: `${name} by owner`,
            left: [ownerSearch(name)],
            width: 9,
          }),
      ),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Violations detected',
        left: [...SEVERITY_LEVELS.map((level) => VIOLATION_METRIC[level]), METRIC.indeterminate].map((name) =>
          guardMetric(name),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Events and remediations',
        left: [METRIC.eventsEvaluated, METRIC.remediationsApplied, METRIC.remediationFailures].map((name) =>
          guardMetric(name),
        ),
        width: 12,
      }),
    ],
    [
      new cloudwatch.GraphWidget({
        title: 'Decision latency (ms)',
        left: [
          guardMetric(METRIC.decisionLatency, cloudwatch.Stats.percentile(50)),
          guardMetric(METRIC.decisionLatency, cloudwatch.Stats.percentile(99)),
        ],
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Time to remediate (s)',
        left: [
          guardMetric(METRIC.timeToRemediate, cloudwatch.Stats.AVERAGE, Duration.days(1)),
          guardMetric(METRIC.timeToRemediate, cloudwatch.Stats.MAXIMUM, Duration.days(1)),
        ],
        width: 12,
      }),
    ],
  ];
}

function healthWidgets(props: GuardMonitoringProps): cloudwatch.IWidget[][] {
  const functionHealth = (title: string, fn: lambda.IFunction) =>
    new cloudwatch.GraphWidget({
      title,
      left: [
        fn.metricInvocations({ period: PERIOD }),
        fn.metricErrors({ period: PERIOD }),
        fn.metricThrottles({ period: PERIOD }),
      ],
      right: [fn.metricDuration({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM })],
      width: 8,
    });
  return [
    [
      functionHealth('Event function', props.eventFunction),
      functionHealth('Sweep function', props.sweepFunction),
      new cloudwatch.GraphWidget({
        title: 'Undelivered / failed events',
        left: [
          props.failureQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: 'Maximum',
            label: 'Failure destination',
          }),
          props.ruleDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: PERIOD,
            statistic: 'Maximum',
            label: 'Rule DLQ',
          }),
        ],
        width: 8,
      }),
    ],
  ];
}
