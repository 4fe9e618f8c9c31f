// Tests for the CDK layer: where the stacks deploy, and the us-east-1 forwarder when the home Region differs.
import { Stack, Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { GuardConfigError } from '../../lib/config';
import { FORWARDER_STACK_NAME, HOME_STACK_NAME } from '../../lib/guard-app';
import { asList, identityStatements, isRecord, resolveIntrinsics, resources } from './support/cfn';
import { matchesPattern } from './support/event-pattern-matcher';
import { synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';

describe('home Region us-east-1 (where IAM events arrive)', () => {
  it.each([
    ['default (no Region configured)', {}, {}],
    ['context region', { region: 'us-east-1' }, {}],
    ['CDK_DEFAULT_REGION', {}, { CDK_DEFAULT_REGION: 'us-east-1' }],
  ])('deploys one stack and no forwarder: %s', (_name, context, env) => {
    const { stacks, app } = synthGuardApp({ context, env });
    expect(stacks.forwarder).toBeUndefined();
    expect(app.node.children.filter((child) => child instanceof Stack).map((stack) => stack.node.id)).toEqual(
      [HOME_STACK_NAME],
    );
    expect(stacks.home.region).toBe('us-east-1');
  });
});

describe('home Region eu-west-1', () => {
  const { stacks, forwarder, home } = synthGuardApp({
    context: { region: 'eu-west-1', operationsEmails: 'ops@example.com' },
  });
  if (forwarder === undefined || stacks.forwarder === undefined) throw new Error('forwarder stack missing');
  const forwarderStack = stacks.forwarder;
  const homeBusArn = `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default`;

  it('adds a forwarder stack in us-east-1 and keeps the guard in eu-west-1', () => {
    expect(forwarderStack.stackName).toBe(FORWARDER_STACK_NAME);
    expect(forwarderStack.region).toBe('us-east-1');
    expect(stacks.home.region).toBe('eu-west-1');
    expect(forwarderStack.dependencies).toContain(stacks.home);
  });

  it('forwards the IAM change pattern, without the guard-role exclusion, to the home default bus', () => {
    const rules = resources(forwarder, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const properties = rules[0]?.[1].Properties ?? {};
    const pattern = resolveIntrinsics(properties.EventPattern);
    expect(pattern).toEqual({
      source: ['aws.iam'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: {
        eventSource: ['iam.amazonaws.com'],
        eventName: [
          'AttachRolePolicy',
          'DetachRolePolicy',
          'PutRolePolicy',
          'CreatePolicyVersion',
          'SetDefaultPolicyVersion',
          'PutRolePermissionsBoundary',
          'DeleteRolePermissionsBoundary',
          'DeleteRolePolicy',
          'UpdateAssumeRolePolicy',
        ],
        errorCode: [{ exists: false }],
      },
    });
    const userEvent = {
      source: 'aws.iam',
      'detail-type': 'AWS API Call via CloudTrail',
      detail: {
        eventSource: 'iam.amazonaws.com',
        eventName: 'PutRolePolicy',
        userIdentity: { type: 'IAMUser' },
      },
    };
    expect(matchesPattern(pattern, userEvent)).toBe(true);
    expect(resolveIntrinsics(properties.Targets)).toEqual([
      {
        Id: expect.any(String),
        Arn: homeBusArn,
        RoleArn: expect.any(String),
        DeadLetterConfig: { Arn: expect.any(String) },
      },
    ]);
  });

  it('gives the forwarding role one statement: events:PutEvents on the home default bus', () => {
    forwarder.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
        ],
      },
    });
    const statements = identityStatements(forwarder);
    expect(
      statements.map((statement) => [
        statement.sid,
        statement.effect,
        statement.actions,
        resolveIntrinsics(statement.resource),
      ]),
    ).toEqual([['PutEventsOnHomeDefaultBus', 'Allow', ['events:PutEvents'], homeBusArn]]);
    const targets = resources(forwarder, 'AWS::Events::Rule').flatMap(([, rule]) =>
      asList(rule.Properties?.Targets),
    );
    const roleIds = resources(forwarder, 'AWS::IAM::Role').map(([id]) => id);
    expect(roleIds).toHaveLength(1);
    expect(targets.map((target) => isRecord(target) && target.RoleArn)).toEqual([
      { 'Fn::GetAtt': [roleIds[0], 'Arn'] },
    ]);
  });

  it('sends undeliverable events to an encrypted, TLS-only DLQ and alarms on it', () => {
    const queues = resources(forwarder, 'AWS::SQS::Queue');
    expect(queues).toHaveLength(1);
    const [queueId, queue] = queues[0] ?? ['', { Type: '' }];
    expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
    forwarder.hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
    });
    forwarder.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queueId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
    forwarder.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
      AlarmActions: [{ Ref: Match.stringLikeRegexp('OperationsTopic') }],
    });
    forwarder.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Events',
      MetricName: 'FailedInvocations',
    });
  });

  it('tells the operations e-mails through a KMS-encrypted topic in us-east-1', () => {
    forwarder.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    forwarder.hasResourceProperties('AWS::SNS::Subscription', {
      Endpoint: 'ops@example.com',
      Protocol: 'email',
    });
  });

  it('keeps the home rule, with its guard-role exclusion, in the home stack', () => {
    home.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { detail: Match.objectLike({ $or: Match.anyValue() }) },
    });
  });
});

describe('deployment target', () => {
  it('takes the account from CDK_DEFAULT_ACCOUNT, else stays account-agnostic', () => {
    expect(synthGuardApp({ env: { CDK_DEFAULT_ACCOUNT: ACCOUNT } }).stacks.home.account).toBe(ACCOUNT);
    const agnostic = synthGuardApp().stacks.home;
    expect(Token.isUnresolved(agnostic.account)).toBe(true);
    expect(agnostic.resolve(agnostic.account)).toEqual({ Ref: 'AWS::AccountId' });
  });

  it('prefers context region over CDK_DEFAULT_REGION', () => {
    const { stacks } = synthGuardApp({
      context: { region: 'eu-central-1' },
      env: { CDK_DEFAULT_REGION: 'us-west-2' },
    });
    expect(stacks.home.region).toBe('eu-central-1');
    expect(stacks.forwarder?.region).toBe('us-east-1');
  });

  it('sends China home Regions other than cn-north-1 away with an error naming the key', () => {
    expect(() => synthGuardApp({ context: { region: 'cn-northwest-1' } })).toThrow(GuardConfigError);
    expect(() => synthGuardApp({ context: { region: 'cn-northwest-1' } })).toThrow(/"region".*cn-north-1/);
  });

  it('needs no forwarder in cn-north-1', () => {
    expect(synthGuardApp({ context: { region: 'cn-north-1' } }).stacks.forwarder).toBeUndefined();
  });
});
