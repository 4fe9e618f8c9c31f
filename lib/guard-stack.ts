// Infrastructure (CDK) layer: the home-Region stack holding the guard (and the optional trail), built from config.
import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { type GuardAppConfig, GuardConfigError } from './config';
import { EksEcrGuard, type EksEcrGuardProps } from './eks-ecr-guard';
import type { LogRetentionDays } from './guard-defaults';
import { GuardTrail } from './guard-trail';

export interface EksEcrGuardStackProps extends StackProps {
  readonly config: GuardAppConfig;
}

export class EksEcrGuardStack extends Stack {
  readonly guard: EksEcrGuard;
  readonly trail: GuardTrail | undefined;

  constructor(scope: Construct, id: string, props: EksEcrGuardStackProps) {
    super(scope, id, {
      description:
        'eks-ecr-guard: detects (and optionally removes) ECR write access on EKS node roles (CIS EKS 5.1.3)',
      ...props,
    });
    this.guard = new EksEcrGuard(this, 'Guard', guardPropsFromConfig(this, props.config));
    this.trail = props.config.createTrail ? new GuardTrail(this, 'Trail') : undefined;
  }
}

/** The central topic (and its key) from their ARNs; a key alone is a config error. */
function centralAlertProps(
  scope: Construct,
  config: GuardAppConfig,
): Pick<EksEcrGuardProps, 'centralAlertTopic' | 'centralAlertKeyArn'> {
  const { centralAlertTopicArn: topicArn, centralAlertKeyArn: keyArn } = config;
  if (topicArn === undefined) {
    if (keyArn === undefined) return {};
    throw new GuardConfigError(
      'centralAlertKeyArn',
      'set without centralAlertTopicArn',
      'the key of that topic',
    );
  }
  return {
    centralAlertTopic: sns.Topic.fromTopicArn(scope, 'CentralAlertTopic', topicArn),
    ...(keyArn === undefined ? {} : { centralAlertKeyArn: keyArn }),
  };
}

/** The construct's props from the app's config; `scope` (the stack) holds the imported topics. */
export function guardPropsFromConfig(scope: Construct, config: GuardAppConfig): EksEcrGuardProps {
  return {
    mode: config.mode,
    replacementPolicy: config.replacementPolicy,
    alertTopic: config.alertTopicArn
      ? sns.Topic.fromTopicArn(scope, 'ExistingAlertTopic', config.alertTopicArn)
      : undefined,
    notificationEmails: config.notificationEmails,
    chatTopic: config.chatTopicArn
      ? sns.Topic.fromTopicArn(scope, 'ChatTopic', config.chatTopicArn)
      : undefined,
    ...centralAlertProps(scope, config),
    operationsEmails: config.operationsEmails,
    exemptRoles: config.exemptRoles,
    extraPullActions: config.extraPullActions,
    eksRegions: config.eksRegions,
    sweepSchedule:
      config.sweepSchedule === undefined ? false : events.Schedule.expression(config.sweepSchedule),
    logRetention: toRetentionDays(config.logRetentionDays),
    notifyExempt: config.notifyExempt,
    securityHub: config.securityHub,
    nodeRoleCacheTtl: Duration.seconds(config.nodeRoleCacheTtlSeconds),
    digestWhenClean: config.digestWhenClean,
    silenceAlarmDays: config.silenceAlarmDays,
    usageWindowDays: config.usageWindowDays,
    usageLookupBudgetSeconds: config.usageLookupBudgetSeconds,
    fixWhenUsageUnknown: config.fixWhenUsageUnknown,
    ownerTagKeys: config.ownerTagKeys,
  };
}

/** RetentionDays members carry their number of days as value. */
function toRetentionDays(days: LogRetentionDays): logs.RetentionDays {
  const match = Object.values(logs.RetentionDays).find(
    (value): value is logs.RetentionDays => value === days,
  );
  if (match === undefined) throw new RangeError(`CloudWatch Logs has no ${days}-day retention`);
  return match;
}
