// Tests for the CDK layer: the home stack's functions, topics, queues, table, alarms, dashboard and trail.
import { Match } from 'aws-cdk-lib/assertions';
import { asList, identityStatements, isRecord, resolveIntrinsics, resources } from './support/cfn';
import { synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';
const EVENT_FUNCTION = Match.stringLikeRegexp('evaluates an IAM change');
const SWEEP_FUNCTION = Match.stringLikeRegexp('scheduled audit');

describe('functions', () => {
  const { home } = synthGuardApp();

  it.each([
    ['event', EVENT_FUNCTION, 60, 512],
    ['sweep', SWEEP_FUNCTION, 600, 1024],
  ])(
    '%s function: Node.js 24 on arm64, X-Ray active, its own log group, chosen timeout and memory',
    (_name, description, timeout, memory) => {
      home.hasResourceProperties('AWS::Lambda::Function', {
        Description: description,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: timeout,
        MemorySize: memory,
        Handler: 'index.handler',
        LoggingConfig: { LogGroup: { Ref: Match.anyValue() } },
      });
    },
  );

  it('keeps logs 90 days by default, and the log groups survive the stack', () => {
    const groups = home.findResources('AWS::Logs::LogGroup');
    expect(Object.values(groups)).toHaveLength(2);
    for (const group of Object.values(groups)) {
      expect(group.Properties.RetentionInDays).toBe(90);
      expect(group.DeletionPolicy).toBe('Retain');
    }
  });

  it('sets every environment variable the event function reads', () => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: EVENT_FUNCTION,
      Environment: {
        Variables: {
          GUARD_MODE: 'alert',
          REPLACEMENT_POLICY_NAME: 'AmazonEC2ContainerRegistryReadOnly',
          GUARD_PARTITION: { Ref: 'AWS::Partition' },
          GUARD_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertTopic') },
          CHAT_TOPIC_ARN: '',
          EXEMPT_ROLES: '[]',
          EKS_REGIONS: '[]',
          EXTRA_PULL_ACTIONS: '[]',
          NODE_ROLE_CACHE_TTL_SECONDS: '300',
          NOTIFY_EXEMPT: 'false',
          DIGEST_WHEN_CLEAN: 'weekly',
          IDEMPOTENCY_TABLE_NAME: { Ref: Match.stringLikeRegexp('IdempotencyTable') },
          GUARD_ROLE_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventFunctionRole'), 'Arn'] },
          POWERTOOLS_SERVICE_NAME: 'eks-ecr-guard',
          POWERTOOLS_METRICS_NAMESPACE: 'EksEcrGuard',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('gives the sweep the same settings, its own role ARN and no idempotency table', () => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: SWEEP_FUNCTION,
      Environment: {
        Variables: Match.objectLike({
          GUARD_MODE: 'alert',
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('AlertTopic') },
          GUARD_ROLE_ARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunctionRole'), 'Arn'] },
          IDEMPOTENCY_TABLE_NAME: Match.absent(),
        }),
      },
    });
  });
});

describe('configuration reaches the functions', () => {
  const { home } = synthGuardApp({
    context: {
      mode: 'remediate',
      replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly',
      exemptRoles: 'legacy-node-role,arn:aws:iam::111122223333:role/team/ci',
      eksRegions: '["eu-west-1"]',
      extraPullActions: 'ecr:DescribeRepositories',
      nodeRoleCacheTtlSeconds: '60',
      notifyExempt: 'true',
      chatTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:guard-chat`,
      logRetentionDays: '30',
      digestWhenClean: 'daily',
    },
  });

  it('one variable per setting, lists as JSON arrays', () => {
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: EVENT_FUNCTION,
      Environment: {
        Variables: Match.objectLike({
          GUARD_MODE: 'remediate',
          REPLACEMENT_POLICY_NAME: 'AmazonEC2ContainerRegistryPullOnly',
          EXEMPT_ROLES: '["legacy-node-role","arn:aws:iam::111122223333:role/team/ci"]',
          EKS_REGIONS: '["eu-west-1"]',
          EXTRA_PULL_ACTIONS: '["ecr:DescribeRepositories"]',
          NODE_ROLE_CACHE_TTL_SECONDS: '60',
          NOTIFY_EXEMPT: 'true',
          DIGEST_WHEN_CLEAN: 'daily',
          CHAT_TOPIC_ARN: `arn:aws:sns:us-east-1:${ACCOUNT}:guard-chat`,
        }),
      },
    });
  });

  it('lets both functions publish to the chat topic', () => {
    const chat = identityStatements(home).filter((statement) => statement.sid === 'PublishToChatTopic');
    expect(chat.map((statement) => [statement.actions, statement.resource])).toEqual([
      [['sns:Publish'], `arn:aws:sns:us-east-1:${ACCOUNT}:guard-chat`],
      [['sns:Publish'], `arn:aws:sns:us-east-1:${ACCOUNT}:guard-chat`],
    ]);
    expect(new Set(chat.map((statement) => statement.holder)).size).toBe(2);
  });

  it('applies the log retention', () => {
    const groups = Object.values(home.findResources('AWS::Logs::LogGroup'));
    expect(groups).toHaveLength(2);
    for (const group of groups) {
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });
});

describe('asynchronous failure handling', () => {
  const { home } = synthGuardApp();

  it('retries the event function twice, keeps events 6 h, then sends them to an encrypted queue', () => {
    home.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('EventFunction') },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventFailureQueue'), 'Arn'] } },
      },
    });
  });

  it('retries the sweep function once, keeps a run 1 h, then sends it to the same encrypted queue', () => {
    home.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: Match.stringLikeRegexp('SweepFunction') },
      MaximumRetryAttempts: 1,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventFailureQueue'), 'Arn'] } },
      },
    });
    expect(resources(home, 'AWS::Lambda::EventInvokeConfig')).toHaveLength(2);
  });

  it('lets each function send only to the failure queue', () => {
    const send = identityStatements(home).filter(
      (statement) => statement.sid === 'SendFailedEventsToFailureQueue',
    );
    expect(send.map((statement) => [statement.actions, statement.resource])).toEqual([
      [['sqs:SendMessage'], { 'Fn::GetAtt': [expect.stringMatching(/EventFailureQueue/), 'Arn'] }],
      [['sqs:SendMessage'], { 'Fn::GetAtt': [expect.stringMatching(/EventFailureQueue/), 'Arn'] }],
    ]);
    expect(new Set(send.map((statement) => statement.holder)).size).toBe(2);
  });

  it('encrypts every queue and refuses plain-text access', () => {
    const queues = resources(home, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(2);
    for (const [id, queue] of queues) {
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      home.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('gives the IAM rule target its own DLQ and retry policy', () => {
    home.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.iam'] }),
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('EventFunction'), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('RuleTargetDlq'), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 24 * 3600 },
        }),
      ],
    });
  });

  it('lets only that rule write to the rule DLQ', () => {
    home.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: Match.stringLikeRegexp('RuleTargetDlq') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnEquals: {
                'aws:SourceArn': { 'Fn::GetAtt': [Match.stringLikeRegexp('IamChangeRule'), 'Arn'] },
              },
            },
          }),
        ]),
      },
    });
  });
});

describe('sweep schedule', () => {
  it('runs the sweep daily at 06:00 UTC by default', () => {
    const { home } = synthGuardApp();
    home.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      Targets: [
        Match.objectLike({ Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunction'), 'Arn'] } }),
      ],
    });
  });

  it('takes another expression from config', () => {
    const { home } = synthGuardApp({ context: { sweepSchedule: 'rate(12 hours)' } });
    home.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(12 hours)' });
  });

  it('has no schedule when sweepSchedule is empty, but keeps the function for on-demand runs', () => {
    const { home } = synthGuardApp({ context: { sweepSchedule: '' } });
    expect(
      resources(home, 'AWS::Events::Rule').filter(([, rule]) => rule.Properties?.ScheduleExpression),
    ).toEqual([]);
    home.hasResourceProperties('AWS::Lambda::Function', { Description: SWEEP_FUNCTION });
  });
});

describe('topics', () => {
  const { home } = synthGuardApp({
    context: {
      notificationEmails: 'sec@example.com,oncall@example.com',
      operationsEmails: '["ops@example.com"]',
    },
  });

  it('encrypts both topics with customer managed keys that rotate', () => {
    const topics = resources(home, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    for (const [, topic] of topics) {
      expect(topic.Properties?.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [expect.stringMatching(/TopicKey/), 'Arn'],
      });
    }
    const keys = resources(home, 'AWS::KMS::Key');
    expect(keys).toHaveLength(2);
    for (const [, key] of keys) expect(key.Properties?.EnableKeyRotation).toBe(true);
  });

  it('lets only the guard roles use the alert key, and only through SNS', () => {
    home.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('alerts'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowGuardFunctionsToPublish',
            Effect: 'Allow',
            Principal: {
              AWS: [
                { 'Fn::GetAtt': [Match.stringLikeRegexp('EventFunctionRole'), 'Arn'] },
                { 'Fn::GetAtt': [Match.stringLikeRegexp('SweepFunctionRole'), 'Arn'] },
              ],
            },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'kms:ViaService': Match.anyValue() } },
          },
        ]),
      },
    });
    const viaService = resources(home, 'AWS::KMS::Key')
      .flatMap(([, key]) =>
        isRecord(key.Properties?.KeyPolicy) ? asList(key.Properties.KeyPolicy.Statement) : [],
      )
      .filter(isRecord)
      .find((statement) => statement.Sid === 'AllowGuardFunctionsToPublish');
    expect(resolveIntrinsics(viaService?.Condition)).toEqual({
      StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' },
    });
  });

  it('lets CloudWatch alarms use the operations key and publish to the operations topic of this account', () => {
    home.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('operations'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
    home.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: Match.stringLikeRegexp('OperationsTopic') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AllowCloudWatchAlarmsToPublish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: Match.anyValue(),
            },
          }),
        ]),
      },
    });
  });

  it('enforces TLS on both topics', () => {
    for (const [id] of resources(home, 'AWS::SNS::Topic')) {
      home.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: id }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('subscribes the configured e-mail addresses to the right topic', () => {
    const subscriptions = resources(home, 'AWS::SNS::Subscription').map(([, s]) => [
      s.Properties?.Endpoint,
      s.Properties?.TopicArn,
    ]);
    expect(subscriptions).toEqual(
      expect.arrayContaining([
        ['sec@example.com', { Ref: expect.stringMatching(/AlertTopic/) }],
        ['oncall@example.com', { Ref: expect.stringMatching(/AlertTopic/) }],
        ['ops@example.com', { Ref: expect.stringMatching(/OperationsTopic/) }],
      ]),
    );
    expect(subscriptions).toHaveLength(3);
  });
});

describe('existing alert topic', () => {
  const existing = `arn:aws:sns:us-east-1:${ACCOUNT}:security-alerts`;
  const { home } = synthGuardApp({
    context: { alertTopicArn: existing, notificationEmails: 'sec@example.com' },
  });

  it('creates no alert topic or alert key and points the functions at the existing topic', () => {
    expect(resources(home, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(resources(home, 'AWS::KMS::Key')).toHaveLength(1);
    home.hasResourceProperties('AWS::Lambda::Function', {
      Description: EVENT_FUNCTION,
      Environment: { Variables: Match.objectLike({ ALERT_TOPIC_ARN: existing }) },
    });
    home.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: existing,
      Endpoint: 'sec@example.com',
      Protocol: 'email',
    });
  });
});

describe('idempotency table', () => {
  const { home } = synthGuardApp();

  it('is on-demand, keyed by id, expires items by `expiration`, has PITR and is encrypted', () => {
    home.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});

describe('alarms and dashboard', () => {
  const { home } = synthGuardApp();
  const alarms = resources(home, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties ?? {});

  /** The dimension values of an alarm: literals, or the logical id a Ref / GetAtt points at. */
  const dimensionValues = (alarm: Record<string, unknown>): string[] =>
    asList(alarm.Dimensions)
      .filter(isRecord)
      .map(({ Value }) => {
        if (typeof Value === 'string') return Value;
        if (isRecord(Value) && typeof Value.Ref === 'string') return Value.Ref;
        if (isRecord(Value) && Array.isArray(Value['Fn::GetAtt'])) return String(Value['Fn::GetAtt'][0]);
        return '';
      });
  const alarmOn = (metricName: string, dimension: RegExp) =>
    alarms.filter(
      (alarm) => alarm.MetricName === metricName && dimensionValues(alarm).some((v) => dimension.test(v)),
    );

  it.each([
    ['event function errors', 'Errors', /EventFunction/],
    ['event function throttles', 'Throttles', /EventFunction/],
    ['failure destination depth', 'ApproximateNumberOfMessagesVisible', /EventFailureQueue/],
    ['rule target DLQ depth', 'ApproximateNumberOfMessagesVisible', /RuleTargetDlq/],
    ['remediation failures', 'RemediationFailures', /eks-ecr-guard/],
    ['sweep function errors', 'Errors', /SweepFunction/],
  ])('alarms on %s above zero, to the operations topic', (_name, metricName, dimension) => {
    const [alarm, ...others] = alarmOn(metricName, dimension);
    expect(others).toEqual([]);
    expect(alarm).toMatchObject({
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: expect.stringMatching(/OperationsTopic/) }],
    });
  });

  it('watches the guard metrics in the EksEcrGuard namespace with the service dimension', () => {
    expect(alarmOn('RemediationFailures', /eks-ecr-guard/)[0]).toMatchObject({
      Namespace: 'EksEcrGuard',
      Dimensions: [{ Name: 'service', Value: 'eks-ecr-guard' }],
      Statistic: 'Sum',
    });
    expect(alarms).toHaveLength(7);
  });

  it('alarms when the event function has had no invocation for 7 days (default): Sum per day, missing = breaching', () => {
    const [silent, ...others] = alarms.filter(
      (alarm) =>
        alarm.MetricName === 'Invocations' && dimensionValues(alarm).some((v) => /EventFunction/.test(v)),
    );
    expect(others).toEqual([]);
    expect(silent).toMatchObject({
      Namespace: 'AWS/Lambda',
      Statistic: 'Sum',
      Period: 86_400,
      EvaluationPeriods: 7,
      DatapointsToAlarm: 7,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: expect.stringMatching(/OperationsTopic/) }],
      AlarmDescription: expect.stringMatching(/trail.*rule.*check-deploy/),
    });
    // CloudWatch refuses period x evaluation periods above 7 days (604,800 s).
    expect(Number(silent?.Period) * Number(silent?.EvaluationPeriods)).toBeLessThanOrEqual(604_800);
  });

  it('silenceAlarmDays sets the days, 0 removes the alarm', () => {
    const invocationAlarms = (context: Record<string, unknown>) =>
      resources(synthGuardApp({ context }).home, 'AWS::CloudWatch::Alarm')
        .map(([, alarm]) => alarm.Properties ?? {})
        .filter((alarm) => alarm.MetricName === 'Invocations');
    expect(invocationAlarms({ silenceAlarmDays: '3' })).toEqual([
      expect.objectContaining({ EvaluationPeriods: 3, DatapointsToAlarm: 3, Period: 86_400 }),
    ]);
    expect(invocationAlarms({ silenceAlarmDays: 0 })).toEqual([]);
  });

  it('has a dashboard with every KPI metric and the functions health', () => {
    const [dashboard, ...others] = resources(home, 'AWS::CloudWatch::Dashboard');
    expect(others).toEqual([]);
    const body: unknown = JSON.parse(String(resolveIntrinsics(dashboard?.[1].Properties?.DashboardBody)));
    const widgets = isRecord(body) ? asList(body.widgets).filter(isRecord) : [];
    // Each metric line is [namespace, metricName, dimensionName, dimensionValue, ..., options].
    const metricNames = widgets
      .flatMap((widget) => (isRecord(widget.properties) ? asList(widget.properties.metrics) : []))
      .map((line) => asList(line)[1]);
    for (const metric of [
      'EventsEvaluated',
      'ViolationsCritical',
      'ViolationsHigh',
      'ViolationsMedium',
      'Indeterminate',
      'RemediationsApplied',
      'RemediationFailures',
      'DecisionLatency',
      'NodeRolesTotal',
      'NodeRolesCompliant',
      'ComplianceRatio',
      'OpenViolationsCritical',
      'OpenViolationsHigh',
      'OpenViolationsMedium',
      'TimeToRemediate',
      'PodRolesTotal',
      'PodRolesWithPush',
      'PodRolesPushUnknown',
      'ClustersWithPodRolePush',
      'UntaggedNodeRoles',
      'Invocations',
      'Errors',
      'Throttles',
      'Duration',
    ]) {
      expect(metricNames).toContain(metric);
    }
    // The per-owner metrics are searched by their dimensions, one series per owner.
    const expressions = widgets
      .flatMap((widget) => (isRecord(widget.properties) ? asList(widget.properties.metrics) : []))
      .map((line) => asList(line)[0])
      .filter(isRecord)
      .map((options) => String(options.expression));
    for (const metric of ['OwnerOpenViolations', 'OwnerNodeRoles']) {
      expect(expressions).toContain(
        `SEARCH('{EksEcrGuard,Owner,service} MetricName="${metric}" service="eks-ecr-guard"', 'Maximum', 86400)`,
      );
    }
  });
});

describe('optional trail', () => {
  it('is absent by default', () => {
    expect(resources(synthGuardApp().home, 'AWS::CloudTrail::Trail')).toEqual([]);
  });

  it('is multi-Region with global service events, logging to a private, TLS-only, versioned bucket', () => {
    const { home } = synthGuardApp({ context: { createTrail: 'true' } });
    home.hasResourceProperties('AWS::CloudTrail::Trail', {
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      IsLogging: true,
      EnableLogFileValidation: true,
      EventSelectors: [Match.objectLike({ IncludeManagementEvents: true, ReadWriteType: 'WriteOnly' })],
    });
    home.hasResource('AWS::S3::Bucket', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LifecycleConfiguration: { Rules: [Match.objectLike({ Status: 'Enabled', ExpirationInDays: 365 })] },
      }),
    });
    home.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});
