// Infrastructure (CDK) layer: the small stack in a non-home Region that forwards the guard's events (IAM's, in the
// Region where IAM delivers them, and the regional EKS/ECR ones, in each watched Region) to the home Region.
import { Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';
import { EncryptedTopic } from './encrypted-topic';
import { iamPolicyChangePattern } from './iam-event-pattern';
import { regionalChangePattern } from './regional-event-pattern';

/** What the forwarding needs, wherever it is built (a stack of this app, or a StackSet template). */
export interface EventForwardingProps {
  /** Region of the guard stack, whose default bus receives the forwarded events. */
  readonly homeRegion: string;
  /**
   * This stack's Region (the regional rule forwards only events that originated here); `Aws.REGION` in a template
   * deployed to several Regions.
   */
  readonly sourceRegion: string;
  /** Forward IAM's events (this is the Region where IAM delivers them). */
  readonly forwardIamEvents: boolean;
  /** Forward the regional sources' events (this Region is watched in real time). */
  readonly forwardRegionalEvents: boolean;
  /**
   * E-mail addresses told when forwarding fails (alarms cannot notify a topic in another Region).
   * @default []
   */
  readonly operationsEmails?: readonly string[];
}

export interface EventForwarderStackProps extends StackProps, EventForwardingProps {}

/** The resources `addEventForwarding` made. */
export interface EventForwarding {
  /** The IAM rule, when IAM's events are forwarded. */
  readonly rule: events.Rule | undefined;
  /** The regional (EKS/ECR) rule, when this Region is watched. */
  readonly regionalRule: events.Rule | undefined;
  readonly role: iam.Role;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly homeBusArn: string;
}

/** What the stack forwards, for descriptions: "IAM", "EKS/ECR" or "IAM and EKS/ECR". */
export function forwardedSources(props: EventForwardingProps): string {
  return [props.forwardIamEvents ? 'IAM' : null, props.forwardRegionalEvents ? 'EKS/ECR' : null]
    .filter((item) => item !== null)
    .join(' and ');
}

/**
 * IAM's CloudTrail events reach EventBridge only in us-east-1 (cn-north-1 in China), and EKS's and ECR's only in
 * the Region of the call. This stack forwards the matching ones, unchanged (same `source`, same `region`), to the
 * home Region's default bus, where the guard's rules match them again. The guard's role ARN lives in the home
 * stack and is not known here without a cross-Region reference, so the IAM rule does not exclude the guard's own
 * calls: the home rule does. The home Region itself never gets a forwarder (its bus would target itself).
 *
 * The home bus ARN is built from the account and partition pseudo parameters and the home Region name: no
 * cross-stack reference, so the stacks deploy independently. One role (PutEvents on that bus only), one DLQ and
 * one operations topic serve every rule of the stack; each rule has its own failed-invocations alarm.
 */
export class EventForwarderStack extends Stack {
  /** The IAM rule, when this stack forwards IAM's events. */
  readonly rule: events.Rule | undefined;
  /** The regional (EKS/ECR) rule, when this Region is watched. */
  readonly regionalRule: events.Rule | undefined;
  readonly role: iam.Role;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly homeBusArn: string;

  constructor(scope: Construct, id: string, props: EventForwarderStackProps) {
    super(scope, id, {
      description: `eks-ecr-guard: forwards ${forwardedSources(props)} change events to the default event bus in ${props.homeRegion}`,
      ...props,
    });
    const forwarding = addEventForwarding(this, props);
    this.rule = forwarding.rule;
    this.regionalRule = forwarding.regionalRule;
    this.role = forwarding.role;
    this.deadLetterQueue = forwarding.deadLetterQueue;
    this.homeBusArn = forwarding.homeBusArn;
  }
}

/**
 * Adds the forwarding (role, DLQ, rules, operations topic and alarms) directly to `scope`, a stack: the same
 * construct ids, hence the same logical ids, in an EventForwarderStack and in a StackSet template.
 */
export function addEventForwarding(scope: Construct, props: EventForwardingProps): EventForwarding {
  const what = forwardedSources(props);
  const homeBusArn = `arn:${Aws.PARTITION}:events:${props.homeRegion}:${Aws.ACCOUNT_ID}:event-bus/default`;
  const role = new iam.Role(scope, 'ForwardRole', {
    assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
    description: `Lets EventBridge put ${what} change events on the default bus in ${props.homeRegion}`,
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'PutEventsOnHomeDefaultBus',
      actions: ['events:PutEvents'],
      resources: [homeBusArn],
    }),
  );
  const deadLetterQueue = new DeadLetterQueue(scope, 'ForwardDlq');
  const homeBus = events.EventBus.fromEventBusArn(scope, 'HomeBus', homeBusArn);
  const forwardingRule = (id: string, ruleProps: events.RuleProps): events.Rule => {
    const rule = new events.Rule(scope, id, ruleProps);
    rule.addTarget(
      new targets.EventBus(homeBus, {
        // The role's only statement is the one above; the target must not add an unnamed duplicate.
        role: role.withoutPolicyUpdates(),
        deadLetterQueue,
      }),
    );
    return rule;
  };

  const rule = props.forwardIamEvents
    ? forwardingRule('ForwardIamChanges', {
        description: `eks-ecr-guard: forwards IAM changes to ${props.homeRegion}`,
        eventPattern: iamPolicyChangePattern(),
      })
    : undefined;
  const regionalRule = props.forwardRegionalEvents
    ? forwardingRule('ForwardRegionalChanges', {
        description: `eks-ecr-guard: forwards EKS/ECR changes made in ${props.sourceRegion} to ${props.homeRegion}`,
        eventPattern: regionalChangePattern({ originRegion: props.sourceRegion }),
      })
    : undefined;

  addFailureAlarms(scope, { rule, regionalRule, deadLetterQueue }, props.operationsEmails ?? []);
  return { rule, regionalRule, role, deadLetterQueue, homeBusArn };
}

function addFailureAlarms(
  scope: Construct,
  parts: Pick<EventForwarding, 'rule' | 'regionalRule' | 'deadLetterQueue'>,
  emails: readonly string[],
): void {
  const ops = new EncryptedTopic(scope, 'OperationsTopic', {
    purpose: 'forwarder operations (alarms)',
    emails,
  });
  ops.allowServiceToPublish(
    'AllowCloudWatchAlarmsToPublish',
    'cloudwatch.amazonaws.com',
    `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
  );
  const action = new actions.SnsAction(ops.topic);
  const period = Duration.minutes(5);
  const alarms = [
    new cloudwatch.Alarm(scope, 'ForwardDlqNotEmpty', {
      metric: parts.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period,
        statistic: 'Maximum',
      }),
      alarmDescription: 'eks-ecr-guard: change events could not be forwarded to the home Region',
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }),
  ];
  const failed: Array<[string, events.Rule | undefined, string]> = [
    ['ForwardFailedInvocations', parts.rule, 'IAM'],
    ['ForwardRegionalFailedInvocations', parts.regionalRule, 'EKS/ECR'],
  ];
  for (const [id, rule, what] of failed) {
    if (rule === undefined) continue;
    alarms.push(
      new cloudwatch.Alarm(scope, id, {
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: rule.ruleName },
          statistic: cloudwatch.Stats.SUM,
          period,
        }),
        alarmDescription: `eks-ecr-guard: EventBridge failed to forward ${what} change events to the home Region`,
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
  }
  for (const alarm of alarms) alarm.addAlarmAction(action);
}
