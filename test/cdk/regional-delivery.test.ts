// Tests for the CDK layer: regional delivery of EKS/ECR events: the watched Regions, the home rule that matches the
// regional sources, and each watched Region's forwarder (pattern, target, role, DLQ, encryption, alarms).
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { ECR_EVENT_SOURCE, EKS_EVENT_SOURCE, WATCHED_EVENTS } from '../../lambda/contract';
import { GuardConfigError } from '../../lib/config';
import { FORWARDER_STACK_NAME, REGIONAL_FORWARDER_STACK_PREFIX } from '../../lib/guard-app';
import { asList, identityStatements, isRecord, resolveIntrinsics, resources } from './support/cfn';
import { matchesPattern } from './support/event-pattern-matcher';
import { synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';
const EKS = WATCHED_EVENTS[EKS_EVENT_SOURCE];
const ECR = WATCHED_EVENTS[ECR_EVENT_SOURCE];
/** The regional sources' branches: each source with its own endpoint and names. */
const REGIONAL_BRANCHES = [
  { eventSource: ['ecr.amazonaws.com'], eventName: [...ECR.eventNames] },
  { eventSource: ['eks.amazonaws.com'], eventName: [...EKS.eventNames] },
];

function eksEvent(
  region: string,
  eventName = 'CreateNodegroup',
  extra: Record<string, unknown> = {},
): unknown {
  return {
    source: 'aws.eks',
    'detail-type': 'AWS API Call via CloudTrail',
    region,
    detail: { eventSource: 'eks.amazonaws.com', eventName, awsRegion: region, ...extra },
  };
}

function regionalRule(template: Template): Record<string, unknown> {
  const rules = resources(template, 'AWS::Events::Rule').filter(([, rule]) => {
    const pattern = rule.Properties?.EventPattern;
    return isRecord(pattern) && asList(pattern.source).includes(EKS_EVENT_SOURCE);
  });
  expect(rules).toHaveLength(1);
  const properties = rules[0]?.[1].Properties;
  if (!isRecord(properties)) throw new Error('no rule properties');
  return properties;
}

describe('watched Regions', () => {
  it.each([
    ['default: the home Region alone', {}, ['us-east-1']],
    ['eksRegions when set', { eksRegions: 'eu-west-1,us-east-2' }, ['us-east-1', 'eu-west-1', 'us-east-2']],
    [
      'watchRegions over eksRegions',
      { eksRegions: 'eu-west-1', watchRegions: 'us-west-2,us-east-1' },
      ['us-east-1', 'us-west-2'],
    ],
  ])('%s', (_name, context, expected) => {
    const { stacks } = synthGuardApp({ context });
    const forwarded = stacks.regionalForwarders.map((stack) => stack.region);
    expect(['us-east-1', ...forwarded]).toEqual(expected);
    // Home us-east-1: no IAM forwarder, and never a forwarder in the home Region itself (it would target itself).
    expect(stacks.forwarder).toBeUndefined();
    expect(forwarded).not.toContain('us-east-1');
  });

  it('says at synth which Regions are watched in real time and that the rest is left to the sweep', () => {
    const { stacks } = synthGuardApp({ context: { watchRegions: 'eu-west-1,us-west-2' } });
    Annotations.fromStack(stacks.home).hasInfo(
      '*',
      Match.stringLikeRegexp(
        'watched in real time in us-east-1 \\(home\\), eu-west-1, us-west-2; other Regions are covered by the scheduled sweep only',
      ),
    );
  });

  it.each([
    [{ watchRegions: 'Europe' }, /Invalid config "watchRegions".*Region codes/],
    [
      { watchRegions: 'us-east-1,cn-north-1' },
      /Invalid config "watchRegions": "cn-north-1" cannot forward events/,
    ],
  ])('refuses %j with a message naming the key', (context, message) => {
    expect(() => synthGuardApp({ context })).toThrow(GuardConfigError);
    expect(() => synthGuardApp({ context })).toThrow(message);
  });
});

describe('the home rule for the regional sources', () => {
  const { home } = synthGuardApp();
  const properties = regionalRule(home);
  const pattern = resolveIntrinsics(properties.EventPattern);

  it('matches successful CloudTrail calls of every regional source from any Region', () => {
    expect(pattern).toEqual({
      source: ['aws.ecr', 'aws.eks'],
      'detail-type': ['AWS API Call via CloudTrail'],
      detail: { $or: REGIONAL_BRANCHES, errorCode: [{ exists: false }] },
    });
    expect(matchesPattern(pattern, eksEvent('us-east-1'))).toBe(true);
    expect(matchesPattern(pattern, eksEvent('eu-west-1'))).toBe(true);
    expect(
      matchesPattern(
        pattern,
        eksEvent('us-east-1', 'CreateNodegroup', { errorCode: 'ResourceInUseException' }),
      ),
    ).toBe(false);
    expect(matchesPattern(pattern, eksEvent('us-east-1', 'DeleteNodegroup'))).toBe(false);
    expect(
      matchesPattern(pattern, {
        ...(eksEvent('us-east-1') as object),
        'detail-type': 'EKS Nodegroup State Change',
      }),
    ).toBe(false);
  });

  it('invokes the event function with retries and the rule DLQ, like the IAM rule', () => {
    expect(resolveIntrinsics(properties.Targets)).toEqual([
      {
        Id: expect.any(String),
        Arn: expect.stringContaining('EventFunction'),
        DeadLetterConfig: { Arn: expect.stringContaining('RuleTargetDlq') },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 10 },
      },
    ]);
  });
});

describe('a watched Region other than home (watchRegions=eu-west-1,us-west-2, home us-east-1)', () => {
  const { stacks } = synthGuardApp({
    context: { watchRegions: 'eu-west-1,us-west-2', operationsEmails: 'ops@example.com' },
  });
  const homeBusArn = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;

  it('gets one forwarder stack per Region, deployed after the home stack', () => {
    expect(stacks.regionalForwarders.map((stack) => [stack.stackName, stack.region])).toEqual([
      [`${REGIONAL_FORWARDER_STACK_PREFIX}eu-west-1`, 'eu-west-1'],
      [`${REGIONAL_FORWARDER_STACK_PREFIX}us-west-2`, 'us-west-2'],
    ]);
    for (const stack of stacks.regionalForwarders) expect(stack.dependencies).toContain(stacks.home);
  });

  describe.each(['eu-west-1', 'us-west-2'])('%s', (region) => {
    const stack = stacks.regionalForwarders.find((candidate) => candidate.region === region);
    if (stack === undefined) throw new Error(`no forwarder in ${region}`);
    const template = Template.fromStack(stack);

    it('has only the regional rule (no IAM rule: IAM events never arrive here)', () => {
      expect(resources(template, 'AWS::Events::Rule')).toHaveLength(1);
    });

    it('forwards only events that originated in its Region (loop protection) to the home default bus', () => {
      const properties = regionalRule(template);
      const pattern = resolveIntrinsics(properties.EventPattern);
      expect(pattern).toEqual({
        source: ['aws.ecr', 'aws.eks'],
        'detail-type': ['AWS API Call via CloudTrail'],
        region: [region],
        detail: { $or: REGIONAL_BRANCHES, errorCode: [{ exists: false }] },
      });
      expect(matchesPattern(pattern, eksEvent(region))).toBe(true);
      expect(matchesPattern(pattern, eksEvent(region === 'eu-west-1' ? 'us-west-2' : 'eu-west-1'))).toBe(
        false,
      );
      expect(resolveIntrinsics(properties.Targets)).toEqual([
        {
          Id: expect.any(String),
          Arn: homeBusArn,
          RoleArn: expect.any(String),
          DeadLetterConfig: { Arn: expect.any(String) },
        },
      ]);
    });

    it('lets its role do one thing: events:PutEvents on the home default bus', () => {
      expect(
        identityStatements(template).map((s) => [s.sid, s.effect, s.actions, resolveIntrinsics(s.resource)]),
      ).toEqual([['PutEventsOnHomeDefaultBus', 'Allow', ['events:PutEvents'], homeBusArn]]);
      template.hasResourceProperties('AWS::IAM::Role', {
        AssumeRolePolicyDocument: {
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
          ],
        },
      });
    });

    it('dead-letters to an encrypted queue and alarms on it and on failed invocations, via a KMS-encrypted topic', () => {
      const [queueId, queue] = resources(template, 'AWS::SQS::Queue')[0] ?? ['', { Type: '' }];
      expect(queue.Properties?.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::Events::Rule', {
        Targets: [Match.objectLike({ DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queueId, 'Arn'] } } })],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('OperationsTopic') }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        AlarmActions: [{ Ref: Match.stringLikeRegexp('OperationsTopic') }],
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Endpoint: 'ops@example.com',
        Protocol: 'email',
      });
    });
  });
});

describe('home eu-west-1 watching us-east-1: one us-east-1 stack forwards both IAM and EKS/ECR events', () => {
  const { stacks, forwarder } = synthGuardApp({
    context: { region: 'eu-west-1', watchRegions: 'us-east-1' },
  });

  it('adds the regional rule to the IAM forwarder, with an alarm for each rule', () => {
    expect(stacks.forwarder?.stackName).toBe(FORWARDER_STACK_NAME);
    expect(stacks.regionalForwarders).toEqual([]);
    if (forwarder === undefined) throw new Error('no forwarder');
    const sources = resources(forwarder, 'AWS::Events::Rule').map(([, rule]) =>
      isRecord(rule.Properties?.EventPattern) ? rule.Properties.EventPattern.source : undefined,
    );
    expect(sources).toEqual([['aws.iam'], ['aws.ecr', 'aws.eks']]);
    const failed = resources(forwarder, 'AWS::CloudWatch::Alarm').filter(
      ([, alarm]) => alarm.Properties?.MetricName === 'FailedInvocations',
    );
    expect(failed).toHaveLength(2);
    expect(resources(forwarder, 'AWS::IAM::Role')).toHaveLength(1);
    expect(resources(forwarder, 'AWS::SQS::Queue')).toHaveLength(1);
  });
});
