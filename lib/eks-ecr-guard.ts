// Infrastructure (CDK) layer: the EksEcrGuard construct (rule → event Lambda, scheduled sweep, topics, table, alarms).
import { Aws, CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import {
  configEnvironment,
  type DigestWhenClean,
  ENV,
  GUARD_CONFIG_DEFAULTS,
  type GuardMode,
  IDEMPOTENCY_TABLE_KEY,
  IDEMPOTENCY_TABLE_TTL_ATTRIBUTE,
  OWNER_TAG_KEYS_DEFAULT,
  type ReplacementPolicyName,
  SILENCE_ALARM_DAYS_DEFAULT,
  SILENCE_ALARM_DAYS_LIMITS,
  STACK_OUTPUT_KEYS,
} from '../lambda/contract';
import { bindCentralAlerts, type CentralAlertBinding } from './central-alerts';
import { DeadLetterQueue } from './dead-letter-queue';
import { EncryptedTopic } from './encrypted-topic';
import { GUARD_DEFAULTS } from './guard-defaults';
import { GUARD_ENTRIES, GuardFunction } from './guard-function';
import { GuardMonitoring } from './guard-monitoring';
import {
  acknowledgeReadFindings,
  acknowledgeRemediationFindings,
  readStatements,
  remediationStatements,
  securityHubStatements,
} from './guard-permissions';
import { iamPolicyChangePattern } from './iam-event-pattern';
import { regionalChangePattern } from './regional-event-pattern';

export interface EksEcrGuardProps {
  /**
   * `alert` only reports; `remediate` also replaces ECR write policies on node roles.
   * @default 'alert'
   */
  readonly mode?: GuardMode;
  /**
   * AWS managed pull policy attached in place of a removed write policy (remediate mode).
   * @default 'AmazonEC2ContainerRegistryReadOnly'
   */
  readonly replacementPolicy?: ReplacementPolicyName;
  /**
   * Topic that receives the alerts. If it is encrypted with a customer managed key, that key's policy must
   * let the guard roles (`eventFunction.role`, `sweepFunction.role`) use it.
   * @default - a new topic encrypted with a new customer managed key
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * E-mail addresses subscribed to the alert topic.
   * @default []
   */
  readonly notificationEmails?: readonly string[];
  /**
   * Second topic for Amazon Q Developer in chat applications custom notifications.
   * @default - none
   */
  readonly chatTopic?: sns.ITopic;
  /**
   * The organization's central alert topic (another account): the event function publishes each alert there too,
   * with the account id and name (docs/organizations.md "Central alerts"). Import it from its literal ARN.
   * @default - none
   */
  readonly centralAlertTopic?: sns.ITopic;
  /**
   * The central topic's KMS key.
   * @default - any key of the topic's account and Region, used only through SNS
   */
  readonly centralAlertKeyArn?: string;
  /**
   * E-mail addresses subscribed to the operations (alarm) topic.
   * @default []
   */
  readonly operationsEmails?: readonly string[];
  /**
   * Roles never changed nor reported as violations (names or ARNs; the runtime matches them).
   * @default []
   */
  readonly exemptRoles?: readonly string[];
  /**
   * ECR actions treated as pull, on top of the built-in pull allowance.
   * @default []
   */
  readonly extraPullActions?: readonly string[];
  /**
   * Regions searched for EKS clusters.
   * @default [] (every Region enabled in the account)
   */
  readonly eksRegions?: readonly string[];
  /**
   * When the sweep (full audit) runs; `false` = only on demand.
   * @default Schedule.expression('cron(0 6 * * ? *)') (daily, 06:00 UTC)
   */
  readonly sweepSchedule?: events.Schedule | false;
  /**
   * Retention of the functions' log groups.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Also notify when an exempt role gains ECR write access.
   * @default false
   */
  readonly notifyExempt?: boolean;
  /**
   * Import each decision on a node role into this account's Security Hub as an ASFF finding, and let the sweep
   * reconcile them (docs/security-hub.md). Adds securityhub:BatchImportFindings and securityhub:GetFindings.
   * @default false
   */
  readonly securityHub?: boolean;
  /**
   * How long the event function caches its index of node roles.
   * @default Duration.seconds(300)
   */
  readonly nodeRoleCacheTtl?: Duration;
  /**
   * When a sweep that finds nothing to act on still publishes a short "all clean" digest, so silence never means
   * "not running": every sweep (`daily`), the Monday sweep (`weekly`), or never (`false`).
   * @default 'weekly'
   */
  readonly digestWhenClean?: DigestWhenClean;
  /**
   * Days (1 to 7) without a single event-function invocation before an alarm tells the operations topic that
   * no IAM change arrived (a stopped trail, a broken forwarder, a disabled rule); 0 = no such alarm.
   * @default 7
   */
  readonly silenceAlarmDays?: number;
  /**
   * Days of CloudTrail Event history searched for the node role's ECR writes before a fix (1 to 90).
   * @default 14
   */
  readonly usageWindowDays?: number;
  /**
   * Seconds the usage lookup of one role may take (1 to 45); past it the usage is unknown.
   * @default 20
   */
  readonly usageLookupBudgetSeconds?: number;
  /**
   * Fix a role whose ECR usage could not be looked up (AccessDenied, throttled, budget spent).
   * @default false
   */
  readonly fixWhenUsageUnknown?: boolean;
  /**
   * Tag keys that name a node role's owner, in order of preference: looked up on the role, else its node group, else
   * its cluster (keys compare ignoring case). The owner goes into alerts (and the `owner` message attribute), the
   * digest and the per-owner metrics; a node role with none of them anywhere is a low-severity finding.
   * @default ['owner', 'team']
   */
  readonly ownerTagKeys?: readonly string[];
}

interface ResolvedProps {
  readonly mode: GuardMode;
  readonly replacementPolicy: ReplacementPolicyName;
  readonly alertTopic: sns.ITopic | undefined;
  readonly notificationEmails: readonly string[];
  readonly chatTopic: sns.ITopic | undefined;
  readonly centralAlerts: CentralAlertBinding | undefined;
  readonly operationsEmails: readonly string[];
  readonly exemptRoles: readonly string[];
  readonly extraPullActions: readonly string[];
  readonly eksRegions: readonly string[];
  readonly sweepSchedule: events.Schedule | false;
  readonly logRetention: logs.RetentionDays;
  readonly notifyExempt: boolean;
  readonly securityHub: boolean;
  readonly nodeRoleCacheTtl: Duration;
  readonly digestWhenClean: DigestWhenClean;
  readonly silenceAlarmDays: number;
  readonly usageWindowDays: number;
  readonly usageLookupBudgetSeconds: number;
  readonly fixWhenUsageUnknown: boolean;
  readonly ownerTagKeys: readonly string[];
}

/** The one place where defaults are applied. */
function resolveProps(props: EksEcrGuardProps): ResolvedProps {
  return {
    mode: props.mode ?? GUARD_DEFAULTS.mode,
    replacementPolicy: props.replacementPolicy ?? GUARD_DEFAULTS.replacementPolicy,
    alertTopic: props.alertTopic,
    notificationEmails: props.notificationEmails ?? [],
    chatTopic: props.chatTopic,
    centralAlerts: centralAlerts(props),
    operationsEmails: props.operationsEmails ?? [],
    exemptRoles: props.exemptRoles ?? [],
    extraPullActions: props.extraPullActions ?? [],
    eksRegions: props.eksRegions ?? [],
    sweepSchedule: props.sweepSchedule ?? events.Schedule.expression(GUARD_DEFAULTS.sweepSchedule),
    logRetention: props.logRetention ?? logs.RetentionDays.THREE_MONTHS,
    notifyExempt: props.notifyExempt ?? GUARD_DEFAULTS.notifyExempt,
    securityHub: props.securityHub ?? GUARD_CONFIG_DEFAULTS.securityHub,
    nodeRoleCacheTtl: props.nodeRoleCacheTtl ?? Duration.seconds(GUARD_DEFAULTS.nodeRoleCacheTtlSeconds),
    digestWhenClean: props.digestWhenClean ?? GUARD_CONFIG_DEFAULTS.digestWhenClean,
    silenceAlarmDays: silenceAlarmDays(props.silenceAlarmDays ?? SILENCE_ALARM_DAYS_DEFAULT),
    usageWindowDays: props.usageWindowDays ?? GUARD_DEFAULTS.usageWindowDays,
    usageLookupBudgetSeconds: props.usageLookupBudgetSeconds ?? GUARD_DEFAULTS.usageLookupBudgetSeconds,
    fixWhenUsageUnknown: props.fixWhenUsageUnknown ?? GUARD_DEFAULTS.fixWhenUsageUnknown,
    ownerTagKeys: props.ownerTagKeys ?? OWNER_TAG_KEYS_DEFAULT,
  };
}

function centralAlerts(props: EksEcrGuardProps): CentralAlertBinding | undefined {
  if (props.centralAlertTopic === undefined) {
    if (props.centralAlertKeyArn !== undefined)
      throw new Error('EksEcrGuard: centralAlertKeyArn needs centralAlertTopic');
    return undefined;
  }
  return { topic: props.centralAlertTopic, keyArn: props.centralAlertKeyArn };
}

/** CloudWatch refuses an alarm that looks back more than 7 days (period x evaluation periods). */
function silenceAlarmDays(days: number): number {
  const { min, max } = SILENCE_ALARM_DAYS_LIMITS;
  if (!Number.isInteger(days) || days < min || days > max) {
    throw new Error(
      `EksEcrGuard: silenceAlarmDays must be a whole number from ${min} to ${max} (0 = no alarm), got ${days}`,
    );
  }
  return days;
}

/**
 * Watches IAM changes on the default event bus of this stack's Region (IAM's CloudTrail events arrive in
 * us-east-1; elsewhere they must be forwarded, see IamEventForwarderStack) and audits on a schedule.
 */
export class EksEcrGuard extends Construct {
  readonly eventFunction: GuardFunction;
  readonly sweepFunction: GuardFunction;
  readonly alertTopic: sns.ITopic;
  readonly operationsTopic: sns.ITopic;
  readonly idempotencyTable: dynamodb.Table;
  readonly eventRule: events.Rule;
  /** EKS/ECR changes: made in this Region, or forwarded from a watched one (same target, same DLQ). */
  readonly regionalEventRule: events.Rule;
  readonly sweepRule: events.Rule | undefined;
  readonly failureQueue: DeadLetterQueue;
  readonly ruleDeadLetterQueue: DeadLetterQueue;
  readonly monitoring: GuardMonitoring;

  constructor(scope: Construct, id: string, props: EksEcrGuardProps = {}) {
    super(scope, id);
    const config = resolveProps(props);

    this.failureQueue = new DeadLetterQueue(this, 'EventFailureQueue');
    this.ruleDeadLetterQueue = new DeadLetterQueue(this, 'RuleTargetDlq');

    this.eventFunction = new GuardFunction(this, 'EventFunction', {
      entry: GUARD_ENTRIES.event,
      description: 'eks-ecr-guard: evaluates an IAM change against EKS node roles',
      // 60 s: an evaluation is a handful of IAM reads plus, when the node-role cache is cold, EKS listings in
      // every Region (parallel); seconds in practice. 60 s covers a cold index in a large account without
      // letting a hung call hold concurrency for long.
      timeout: Duration.seconds(60),
      // 512 MB: Lambda CPU scales with memory; this shortens the cold start (≈1.4 MB bundle with zod and the SDK)
      // while the work itself is I/O bound, so more memory would not pay for itself.
      memorySize: 512,
      logRetention: config.logRetention,
      retryAttempts: 2,
      // The maximum: a security event should survive a long throttle; when it expires it lands in the queue.
      maxEventAge: Duration.hours(6),
      onFailureQueue: this.failureQueue,
    });

    this.sweepFunction = new GuardFunction(this, 'SweepFunction', {
      entry: GUARD_ENTRIES.sweep,
      description: 'eks-ecr-guard: scheduled audit of every EKS node role',
      // 10 min: GetAccountAuthorizationDetails pages through every role and policy of the account, then EKS is
      // listed in every Region; minutes in a large account, under Lambda's 15-minute cap with headroom.
      timeout: Duration.minutes(10),
      // 1024 MB: the account's policy documents are held and analysed in memory at once.
      memorySize: 1024,
      logRetention: config.logRetention,
      // One retry for transient throttling; a real failure raises the SweepFunctionErrors alarm.
      retryAttempts: 1,
      maxEventAge: Duration.hours(1),
      // The schedule invokes it asynchronously: a run that still fails (or expires) lands in the same queue as the
      // event function's, whose depth alarm tells the operators.
      onFailureQueue: this.failureQueue,
    });

    this.idempotencyTable = new dynamodb.Table(this, 'IdempotencyTable', {
      partitionKey: { name: IDEMPOTENCY_TABLE_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: IDEMPOTENCY_TABLE_TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS managed key: the table holds event ids and short-lived results, no secrets; a customer managed key
      // would add $1/month and a key policy without narrowing who can read the table (IAM already does).
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      // Idempotency records expire within hours; nothing to keep when the guard is removed.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    this.alertTopic = this.createAlertTopic(config);
    const ops = new EncryptedTopic(this, 'OperationsTopic', {
      purpose: 'operations (alarms)',
      emails: config.operationsEmails,
    });
    ops.allowServiceToPublish(
      'AllowCloudWatchAlarmsToPublish',
      'cloudwatch.amazonaws.com',
      `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
    );
    this.operationsTopic = ops.topic;

    this.configureFunctions(config);

    this.eventRule = new events.Rule(this, 'IamChangeRule', {
      description: 'eks-ecr-guard: IAM changes that can grant a role ECR write access',
      eventPattern: iamPolicyChangePattern({
        excludedRoleArns: [this.eventFunction.role.roleArn, this.sweepFunction.role.roleArn],
      }),
    });
    this.regionalEventRule = new events.Rule(this, 'RegionalChangeRule', {
      description: 'eks-ecr-guard: EKS/ECR changes that can make a node role or grant one ECR write access',
      eventPattern: regionalChangePattern(),
    });
    for (const rule of [this.eventRule, this.regionalEventRule]) {
      rule.addTarget(
        new targets.LambdaFunction(this.eventFunction.function, {
          deadLetterQueue: this.ruleDeadLetterQueue,
          retryAttempts: 10,
          maxEventAge: Duration.hours(24),
        }),
      );
    }

    this.sweepRule = config.sweepSchedule === false ? undefined : this.scheduleSweep(config.sweepSchedule);

    this.monitoring = new GuardMonitoring(this, 'Monitoring', {
      eventFunction: this.eventFunction.function,
      sweepFunction: this.sweepFunction.function,
      failureQueue: this.failureQueue,
      ruleDeadLetterQueue: this.ruleDeadLetterQueue,
      operationsTopic: this.operationsTopic,
      silenceAlarmDays: config.silenceAlarmDays,
    });
    this.addCheckDeployOutputs();
  }

  /** What `eks-ecr-guard check-deploy` looks up, under fixed output keys (one guard per stack). */
  private addCheckDeployOutputs(): void {
    const outputs: readonly [string, string, string][] = [
      [
        STACK_OUTPUT_KEYS.eventRuleName,
        this.eventRule.ruleName,
        'EventBridge rule that sends IAM changes to the guard',
      ],
      [
        STACK_OUTPUT_KEYS.eventLogGroupName,
        this.eventFunction.logGroup.logGroupName,
        "Log group of the guard's event function",
      ],
      [STACK_OUTPUT_KEYS.alertTopicArn, this.alertTopic.topicArn, 'SNS topic of the alerts'],
      [STACK_OUTPUT_KEYS.operationsTopicArn, this.operationsTopic.topicArn, 'SNS topic of the alarms'],
    ];
    for (const [key, value, description] of outputs) {
      new CfnOutput(this, key, { value, description }).overrideLogicalId(key);
    }
  }

  private createAlertTopic(config: ResolvedProps): sns.ITopic {
    if (config.alertTopic) {
      for (const email of config.notificationEmails) {
        config.alertTopic.addSubscription(new subscriptions.EmailSubscription(email));
      }
      return config.alertTopic;
    }
    const alerts = new EncryptedTopic(this, 'AlertTopic', {
      purpose: 'alerts',
      emails: config.notificationEmails,
    });
    alerts.allowRolesToPublish('AllowGuardFunctionsToPublish', [
      this.eventFunction.role,
      this.sweepFunction.role,
    ]);
    return alerts.topic;
  }

  /** Environment (each setting its own variable) and permissions of both functions. */
  private configureFunctions(config: ResolvedProps): void {
    const environment = configEnvironment({
      config: {
        mode: config.mode,
        replacementPolicy: config.replacementPolicy,
        exemptRoles: [...config.exemptRoles],
        extraPullActions: [...config.extraPullActions],
        eksRegions: [...config.eksRegions],
        nodeRoleCacheTtlSeconds: config.nodeRoleCacheTtl.toSeconds(),
        notifyExempt: config.notifyExempt,
        digestWhenClean: config.digestWhenClean,
        usageWindowDays: config.usageWindowDays,
        usageLookupBudgetSeconds: config.usageLookupBudgetSeconds,
        fixWhenUsageUnknown: config.fixWhenUsageUnknown,
        securityHub: config.securityHub,
        ownerTagKeys: [...config.ownerTagKeys],
      },
      partition: Aws.PARTITION,
      accountId: Aws.ACCOUNT_ID,
    });
    if (!environment.ok) throw new Error(`EksEcrGuard: ${environment.problems.join('; ')}`);
    const sweepReads = { eksRegions: config.eksRegions, includeAccountAuthorizationDetails: true };
    const eventReads = { eksRegions: config.eksRegions, includeAccountAuthorizationDetails: false };
    for (const [fn, reads] of [
      [this.eventFunction, eventReads],
      [this.sweepFunction, sweepReads],
    ] as const) {
      fn.addEnvironmentVariables(environment.value)
        .bindTopic(this.alertTopic, ENV.alertTopicArn)
        .addStatements(...readStatements(reads));
      acknowledgeReadFindings(fn, reads);
      if (config.chatTopic) fn.bindTopic(config.chatTopic, ENV.chatTopicArn);
      else fn.addEnvironment(ENV.chatTopicArn, '');
    }
    this.eventFunction.bindTable(this.idempotencyTable, ENV.idempotencyTableName);
    // The event path's alerts also go to the organization's central topic; the sweep's digest stays in the account.
    if (config.centralAlerts) bindCentralAlerts(this.eventFunction, config.centralAlerts);
    // Opt-in: both paths import findings into this account's own Security Hub; the sweep also reads them back.
    if (config.securityHub) {
      for (const fn of [this.eventFunction, this.sweepFunction]) fn.addStatements(...securityHubStatements());
    }
    // Only in remediate mode, both paths fix what they find (the sweep catches what events missed), with the
    // same conditioned statements; in alert mode neither function has any IAM write permission.
    if (config.mode === 'remediate') {
      for (const fn of [this.eventFunction, this.sweepFunction]) {
        fn.addStatements(...remediationStatements(config.replacementPolicy));
        acknowledgeRemediationFindings(fn);
      }
    }
  }

  private scheduleSweep(schedule: events.Schedule): events.Rule {
    const rule = new events.Rule(this, 'SweepSchedule', {
      description: 'eks-ecr-guard: scheduled audit of EKS node roles',
      schedule,
    });
    rule.addTarget(
      new targets.LambdaFunction(this.sweepFunction.function, {
        deadLetterQueue: this.ruleDeadLetterQueue,
        retryAttempts: 2,
        maxEventAge: Duration.hours(1),
      }),
    );
    return rule;
  }
}
