// Tests for `check-deploy` (use case, SDK gateway and CLI command) over aws-sdk-client-mock: every step passing, a
// stopped trail, a pending subscription, the guard never seeing the change (timeout), the throw-away role removed
// on every path, and no IAM call at all with --no-change.
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { createCheckDeployCommand, iamEventRegionOf } from '../../lambda/cli/check-deploy-command';
import { main } from '../../lambda/cli/main';
import { CHECK_DEPLOY_ROLE_PREFIX, EXEMPT_TAG_KEY, STACK_OUTPUT_KEYS } from '../../lambda/contract';
import {
  DeployCheckGateway,
  deployCheckClients,
  loadDeployCheckSdk,
} from '../../lambda/gateways/deploy-check-gateway';

const cfn = mockClient(CloudFormationClient);
const events = mockClient(EventBridgeClient);
const trail = mockClient(CloudTrailClient);
const sns = mockClient(SNSClient);
const logs = mockClient(CloudWatchLogsClient);
const iam = mockClient(IAMClient);
const ALL = [cfn, events, trail, sns, logs, iam];

const ALERTS = 'arn:aws:sns:eu-west-1:111122223333:alerts';
const OPS = 'arn:aws:sns:eu-west-1:111122223333:ops';
const LOG_GROUP = '/aws/lambda/EksEcrGuard-EventFunction';

function healthyAccount(): void {
  cfn.on(DescribeStacksCommand, { StackName: 'EksEcrGuard' }).resolves({
    Stacks: [
      {
        StackName: 'EksEcrGuard',
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(0),
        Outputs: [
          { OutputKey: STACK_OUTPUT_KEYS.eventRuleName, OutputValue: 'EksEcrGuard-IamChangeRule' },
          { OutputKey: STACK_OUTPUT_KEYS.eventLogGroupName, OutputValue: LOG_GROUP },
          { OutputKey: STACK_OUTPUT_KEYS.alertTopicArn, OutputValue: ALERTS },
          { OutputKey: STACK_OUTPUT_KEYS.operationsTopicArn, OutputValue: OPS },
        ],
      },
    ],
  });
  cfn.on(DescribeStacksCommand, { StackName: 'EksEcrGuardIamForwarder' }).resolves({
    Stacks: [
      { StackName: 'EksEcrGuardIamForwarder', StackStatus: 'CREATE_COMPLETE', CreationTime: new Date(0) },
    ],
  });
  cfn.on(DescribeStackResourcesCommand).resolves({
    StackResources: [
      {
        ResourceType: 'AWS::Events::Rule',
        PhysicalResourceId: 'EksEcrGuardIamForwarder-Rule',
        LogicalResourceId: 'x',
        ResourceStatus: 'CREATE_COMPLETE',
        Timestamp: new Date(0),
      },
      {
        ResourceType: 'AWS::SQS::Queue',
        PhysicalResourceId: 'dlq',
        LogicalResourceId: 'y',
        ResourceStatus: 'CREATE_COMPLETE',
        Timestamp: new Date(0),
      },
    ],
  });
  events.on(DescribeRuleCommand).resolves({ State: 'ENABLED' });
  trail.on(DescribeTrailsCommand).resolves({
    trailList: [
      {
        Name: 'org-trail',
        TrailARN: 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail',
        HomeRegion: 'eu-west-1',
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
      },
    ],
  });
  trail.on(GetTrailStatusCommand).resolves({ IsLogging: true });
  sns.on(ListSubscriptionsByTopicCommand).resolves({
    Subscriptions: [{ SubscriptionArn: `${ALERTS}:abc`, Protocol: 'email', Endpoint: 'sec@example.com' }],
  });
  iam.on(CreateRoleCommand).resolves({});
  iam.on(PutRolePolicyCommand).resolves({});
  iam.on(DeleteRolePolicyCommand).resolves({});
  iam.on(DeleteRoleCommand).resolves({});
  logs
    .on(FilterLogEventsCommand)
    .resolves({ events: [{ message: '{"message":"check-deploy test event seen"}' }] });
}

beforeEach(() => {
  for (const mock of ALL) mock.reset();
  healthyAccount();
});

async function run(args: string[] = []): Promise<{ code: number; out: string }> {
  let out = '';
  let clock = 0;
  const command = createCheckDeployCommand({
    env: {},
    probe: async (options) => {
      const sdk = await loadDeployCheckSdk();
      return new DeployCheckGateway(sdk, deployCheckClients(sdk, options));
    },
    // Each wait moves the clock: a timeout is reached without real time passing.
    sleep: async (ms) => {
      clock += ms;
    },
    now: () => clock,
  });
  const code = await command.run(['--region', 'eu-west-1', ...args], {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: () => true },
  });
  return { code, out };
}

const roleDeleted = () => iam.commandCalls(DeleteRoleCommand).map((call) => call.args[0].input.RoleName);

describe('check-deploy', () => {
  it('passes every step of a healthy deployment and removes its throw-away role', async () => {
    const { code, out } = await run();
    expect(code).toBe(0);
    const lines = out.trim().split('\n');
    expect(lines.filter((line) => line.startsWith('✗'))).toEqual([]);
    expect(lines).toEqual(
      expect.arrayContaining([
        '✓ stack EksEcrGuard (eu-west-1): UPDATE_COMPLETE',
        '✓ stack EksEcrGuardIamForwarder (us-east-1): CREATE_COMPLETE',
        '✓ rule EksEcrGuard-IamChangeRule (eu-west-1): ENABLED',
        '✓ forwarding rule (us-east-1): ENABLED',
        '✓ trail: org-trail is logging IAM events (us-east-1)',
        '✓ alert topic subscriptions: 1 confirmed',
        'All checks passed.',
      ]),
    );
    // The trail's status is read in its home Region, shadow trails included in the listing.
    expect(trail).toHaveReceivedCommandWith(DescribeTrailsCommand, { includeShadowTrails: true });
    const [create] = iam.commandCalls(CreateRoleCommand).map((call) => call.args[0].input);
    const roleName = create?.RoleName ?? '';
    expect(roleName.startsWith(CHECK_DEPLOY_ROLE_PREFIX)).toBe(true);
    expect(create?.Tags).toEqual(expect.arrayContaining([expect.objectContaining({ Key: EXEMPT_TAG_KEY })]));
    // Trusted by no one: a service principal with a condition no request can meet.
    expect(JSON.parse(create?.AssumeRolePolicyDocument ?? '{}').Statement[0].Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': '000000000000' },
    });
    // The watched change grants nothing.
    const put = iam.commandCalls(PutRolePolicyCommand)[0]?.args[0].input;
    expect(JSON.parse(put?.PolicyDocument ?? '{}').Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Action: '*', Resource: '*' }),
    ]);
    // It waits for the guard's own line about this role, in the event function's log group.
    const filter = logs.commandCalls(FilterLogEventsCommand)[0]?.args[0].input;
    expect(filter?.logGroupName).toBe(LOG_GROUP);
    expect(filter?.filterPattern).toContain(`$.role = "${roleName}"`);
    expect(roleDeleted()).toEqual([roleName]);
  });

  it('reports a stopped trail with the command that starts it', async () => {
    trail.on(GetTrailStatusCommand).resolves({ IsLogging: false });
    const { code, out } = await run(['--no-change']);
    expect(code).toBe(1);
    expect(out).toContain('✗ trail: org-trail: not logging');
    expect(out).toContain(
      'aws cloudtrail start-logging --name arn:aws:cloudtrail:eu-west-1:111122223333:trail/org-trail',
    );
  });

  it('reports a subscription still pending confirmation', async () => {
    sns.on(ListSubscriptionsByTopicCommand, { TopicArn: OPS }).resolves({
      Subscriptions: [
        { SubscriptionArn: 'PendingConfirmation', Protocol: 'email', Endpoint: 'ops@example.com' },
      ],
    });
    const { code, out } = await run(['--no-change']);
    expect(code).toBe(1);
    expect(out).toContain('✗ operations topic subscriptions: ops@example.com not confirmed (0 confirmed)');
    expect(out).toContain('Subscription Confirmation');
  });

  it('reports a timeout when the guard never logs the change, and still removes the role', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [] });
    const { code, out } = await run(['--timeout', '60']);
    expect(code).toBe(1);
    expect(out).toMatch(
      /✗ the guard saw the change: no log line in \/aws\/lambda\/EksEcrGuard-EventFunction within 60 s/,
    );
    expect(out).toContain('the rule (and the us-east-1 forwarder) is enabled');
    // Polled until the deadline (every 10 s), then gave up.
    expect(logs.commandCalls(FilterLogEventsCommand).length).toBeGreaterThanOrEqual(6);
    expect(roleDeleted()).toHaveLength(1);
  });

  it('removes the role when the watched change itself fails', async () => {
    iam.on(PutRolePolicyCommand).rejects(Object.assign(new Error('not allowed'), { name: 'AccessDenied' }));
    iam.on(DeleteRolePolicyCommand).rejects(Object.assign(new Error('no policy'), { name: 'NoSuchEntity' }));
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toContain(
      '✗ watched change (PutRolePolicy that denies everything): AccessDenied: not allowed',
    );
    expect(logs.commandCalls(FilterLogEventsCommand)).toHaveLength(0);
    expect(roleDeleted()).toHaveLength(1);
    // The inline policy was never put; its delete answering NoSuchEntity is not a failure.
    expect(out).toMatch(/✓ removed eks-ecr-guard-check-deploy-\w+: deleted/);
  });

  it('says how to delete the role by hand when the cleanup fails', async () => {
    iam.on(DeleteRoleCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    const { code, out } = await run();
    expect(code).toBe(1);
    expect(out).toMatch(
      /what to do: delete it by hand: aws iam delete-role-policy --role-name eks-ecr-guard-check-deploy-/,
    );
  });

  it('--no-change makes no IAM call and does not wait', async () => {
    const { code } = await run(['--no-change']);
    expect(code).toBe(0);
    expect(iam.calls()).toHaveLength(0);
    expect(logs.calls()).toHaveLength(0);
  });

  it('a missing stack tells how to deploy it', async () => {
    cfn
      .on(DescribeStacksCommand, { StackName: 'EksEcrGuard' })
      .rejects(
        Object.assign(new Error('Stack with id EksEcrGuard does not exist'), { name: 'ValidationError' }),
      );
    const { out } = await run(['--no-change']);
    expect(out).toContain('✗ stack EksEcrGuard (eu-west-1): no stack EksEcrGuard in eu-west-1');
    expect(out).toContain('npx cdk deploy --all');
  });

  it('checks no forwarder when the home Region is where IAM events arrive', async () => {
    const { out } = await run(['--no-change', '--region', 'us-east-1']);
    expect(out).not.toContain('EksEcrGuardIamForwarder');
    expect(iamEventRegionOf('cn-northwest-1')).toBe('cn-north-1');
    expect(iamEventRegionOf('us-gov-east-1')).toBe('us-gov-west-1');
  });

  it('is registered in the CLI, and a missing Region is bad usage (exit 2)', async () => {
    let err = '';
    const saved = { region: process.env.AWS_REGION, fallback: process.env.AWS_DEFAULT_REGION };
    delete process.env.AWS_REGION;
    delete process.env.AWS_DEFAULT_REGION;
    try {
      const code = await main(['check-deploy', '--no-change'], {
        stdout: { write: () => true },
        stderr: { write: (text: string) => (err += text) },
      });
      expect(code).toBe(2);
    } finally {
      if (saved.region !== undefined) process.env.AWS_REGION = saved.region;
      if (saved.fallback !== undefined) process.env.AWS_DEFAULT_REGION = saved.fallback;
    }
    expect(err).toContain('--region');
  });
});
