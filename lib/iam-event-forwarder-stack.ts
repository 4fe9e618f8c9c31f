// Infrastructure (CDK) layer: the small stack in IAM's event Region that forwards IAM changes to the home Region.
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

export interface IamEventForwarderStackProps extends StackProps {
  /** Region of the guard stack, whose default bus receives the forwarded events. */
  readonly homeRegion: string;
  /**
   * E-mail addresses told when forwarding fails (alarms cannot notify a topic in another Region).
   * @default []
   */
  readonly operationsEmails?: readonly string[];
}

/**
 * IAM's CloudTrail events reach EventBridge only in us-east-1 (cn-north-1 in China). This stack forwards the
 * matching ones, unchanged (still `source: aws.iam`), to the home Region's default bus, where the guard's rule
 * matches them again. The guard's role ARN lives in the home stack and is not known here without a
 * cross-Region reference, so this rule does not exclude the guard's own calls: the home rule does.
 *
 * The home bus ARN is built from the account and partition pseudo parameters and the home Region name: no
 * cross-stack reference, so the stacks deploy independently.
 */
export class IamEventForwarderStack extends Stack {
  readonly rule: events.Rule;
  readonly role: iam.Role;
  readonly deadLetterQueue: DeadLetterQueue;
  readonly homeBusArn: string;

  constructor(scope: Construct, id: string, props: IamEventForwarderStackProps) {
    super(scope, id, {
      description: `eks-ecr-guard: forwards IAM change events to the default event bus in ${props.homeRegion}`,
      ...props,
    });
    this.homeBusArn = `arn:${Aws.PARTITION}:events:${props.homeRegion}:${Aws.ACCOUNT_ID}:event-bus/default`;

    this.role = new iam.Role(this, 'ForwardRole', {
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com'),
      description: `Lets EventBridge put IAM change events on the default bus in ${props.homeRegion}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'PutEventsOnHomeDefaultBus',
        actions: ['events:PutEvents'],
        resources: [this.homeBusArn],
      }),
    );
    this.deadLetterQueue = new DeadLetterQueue(this, 'ForwardDlq');

    this.rule = new events.Rule(this, 'ForwardIamChanges', {
      description: `eks-ecr-guard: forwards IAM changes to ${props.homeRegion}`,
      eventPattern: iamPolicyChangePattern(),
    });
    this.rule.addTarget(
      new targets.EventBus(events.EventBus.fromEventBusArn(this, 'HomeBus', this.homeBusArn), {
        // The role's only statement is the one above; the target must not add an unnamed duplicate.
        role: this.role.withoutPolicyUpdates(),
        deadLetterQueue: this.deadLetterQueue,
      }),
    );

    this.addFailureAlarms(props.operationsEmails ?? []);
  }

  private addFailureAlarms(emails: readonly string[]): void {
    const ops = new EncryptedTopic(this, 'OperationsTopic', {
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
      new cloudwatch.Alarm(this, 'ForwardDlqNotEmpty', {
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period,
          statistic: 'Maximum',
        }),
        alarmDescription: 'eks-ecr-guard: IAM change events could not be forwarded to the home Region',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      new cloudwatch.Alarm(this, 'ForwardFailedInvocations', {
        metric: new cloudwatch.Metric({
          namespace: 'AWS/Events',
          metricName: 'FailedInvocations',
          dimensionsMap: { RuleName: this.rule.ruleName },
          statistic: cloudwatch.Stats.SUM,
          period,
        }),
        alarmDescription: 'eks-ecr-guard: EventBridge failed to forward IAM change events to the home Region',
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
    for (const alarm of alarms) alarm.addAlarmAction(action);
  }
}
