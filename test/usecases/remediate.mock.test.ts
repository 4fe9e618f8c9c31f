// The event path over SDK clients mocked with aws-sdk-client-mock: in alert mode no IAM write command is ever
// sent; in remediate mode exactly the planned commands are sent, in order, and nothing else is written.

import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountSummaryCommand,
  GetRoleCommand,
  IAMClient,
  type IAMClientResolvedConfig,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-iam';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { Context } from 'aws-lambda';
import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import { buildDependencies } from '../../lambda/composition';
import { type GuardMode, parseConfig } from '../../lambda/config';
import { createEventHandler } from '../../lambda/event-handler';
import { InMemoryCacheClient, inMemoryPersistence } from '../../lambda/in-memory-aws/idempotency';
import { handleEvent } from '../../lambda/usecases/handle-event';

const ACCOUNT = '111122223333';
const ROLE = 'ng-role';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const READONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const WORKER = 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy';

const event = {
  version: '0',
  id: 'env-1',
  'detail-type': 'AWS API Call via CloudTrail',
  source: 'aws.iam',
  account: ACCOUNT,
  time: '2026-11-20T09:15:42Z',
  region: 'us-east-1',
  resources: [],
  detail: {
    eventVersion: '1.11',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice` },
    eventTime: '2026-11-20T09:15:42Z',
    eventSource: 'iam.amazonaws.com',
    eventName: 'AttachRolePolicy',
    awsRegion: 'us-east-1',
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2',
    requestParameters: { roleName: ROLE, policyArn: FULL },
    responseElements: null,
    eventID: 'evt-1',
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: ACCOUNT,
  },
};

function setup(mode: GuardMode) {
  const iam = new IAMClient({ region: 'us-east-1' });
  const eks = new EKSClient({ region: 'eu-west-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const iamMock = mockClient(iam);
  const eksMock = mockClient(eks);
  const snsMock = mockClient(sns);
  const cloudtrail = new CloudTrailClient({ region: 'eu-west-1' });
  // CloudTrail shows no ECR write by the role: the usage lookup lets the fix go ahead.
  mockClient(cloudtrail).on(LookupEventsCommand).resolves({ Events: [] });

  // A tiny stateful role so the verification re-read sees the writes.
  const attached = new Set([WORKER, FULL]);
  iamMock.on(GetRoleCommand).resolves({
    Role: {
      RoleName: ROLE,
      RoleId: 'AROAEXAMPLE',
      Arn: `arn:aws:iam::${ACCOUNT}:role/${ROLE}`,
      Path: '/',
      CreateDate: new Date('2025-01-01'),
      AssumeRolePolicyDocument: encodeURIComponent(
        JSON.stringify({
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        }),
      ),
    },
  });
  iamMock.on(ListAttachedRolePoliciesCommand).callsFake(async () => ({
    AttachedPolicies: [...attached].map((arn) => ({
      PolicyArn: arn,
      PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
    })),
    IsTruncated: false,
  }));
  iamMock.on(ListRolePoliciesCommand).resolves({ PolicyNames: [], IsTruncated: false });
  iamMock.on(GetAccountSummaryCommand).resolves({ SummaryMap: { AttachedPoliciesPerRoleQuota: 10 } });
  iamMock.on(AttachRolePolicyCommand).callsFake(async (input: { PolicyArn: string }) => {
    attached.add(input.PolicyArn);
    return {};
  });
  iamMock.on(DetachRolePolicyCommand).callsFake(async (input: { PolicyArn: string }) => {
    attached.delete(input.PolicyArn);
    return {};
  });

  eksMock.on(ListClustersCommand).resolves({ clusters: ['prod'] });
  eksMock.on(DescribeClusterCommand).resolves({ cluster: { name: 'prod' } });
  eksMock.on(ListNodegroupsCommand).resolves({ nodegroups: ['ng-1'] });
  eksMock.on(DescribeNodegroupCommand).resolves({
    nodegroup: { nodegroupName: 'ng-1', nodeRole: `arn:aws:iam::${ACCOUNT}:role/${ROLE}` },
  });
  eksMock.on(ListAccessEntriesCommand).resolves({ accessEntries: [] });
  eksMock.on(ListFargateProfilesCommand).resolves({ fargateProfileNames: [] });
  snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });

  const deps = buildDependencies(
    {
      config: parseConfig({ mode, eksRegions: ['eu-west-1'] }),
      partition: 'aws',
      accountId: ACCOUNT,
      alertTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
      chatTopicArn: null,
      idempotencyTableName: null,
      guardRoleArn: `arn:aws:iam::${ACCOUNT}:role/guard`,
    },
    {
      iam,
      eksFor: () => eks,
      sns,
      account: new AccountClient({ region: 'us-east-1' }),
      cloudtrailFor: () => cloudtrail,
    },
    { sleep: async () => undefined },
  );
  return { deps, iamMock, snsMock, attached };
}

const isWriteCommand = (command: unknown): command is { input: object } =>
  command instanceof AttachRolePolicyCommand ||
  command instanceof DetachRolePolicyCommand ||
  command instanceof PutRolePolicyCommand ||
  command instanceof DeleteRolePolicyCommand;

/** The IAM write commands sent, in order, as [command class name, input]. */
function writesSent(
  iamMock: AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>,
): [string, object][] {
  return iamMock
    .calls()
    .map((call) => call.args[0])
    .filter(isWriteCommand)
    .map((command) => [command.constructor.name, command.input]);
}

function expectNoIamWrite(
  iamMock: AwsStub<ServiceInputTypes, ServiceOutputTypes, IAMClientResolvedConfig>,
): void {
  expect(iamMock).not.toHaveReceivedCommand(AttachRolePolicyCommand);
  expect(iamMock).not.toHaveReceivedCommand(DetachRolePolicyCommand);
  expect(iamMock).not.toHaveReceivedCommand(PutRolePolicyCommand);
  expect(iamMock).not.toHaveReceivedCommand(DeleteRolePolicyCommand);
}

describe('alert mode (the default)', () => {
  it('sends no IAM write command at all, and one Publish', async () => {
    const { deps, iamMock, snsMock } = setup('alert');
    const result = await handleEvent(deps, event);
    expect(result.outcomes[0]).toMatchObject({ verdict: 'violation', remediation: null });
    expectNoIamWrite(iamMock);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:alerts`,
      MessageAttributes: expect.objectContaining({ severity: { DataType: 'String', StringValue: 'high' } }),
    });
  });
});

describe('remediate mode', () => {
  it('sends exactly the planned commands, in order: attach ReadOnly, then detach FullAccess', async () => {
    const { deps, iamMock, attached } = setup('remediate');
    const result = await handleEvent(deps, event);
    expect(result.outcomes[0]).toMatchObject({ verdict: 'violation', remediation: 'applied' });
    expect(writesSent(iamMock)).toEqual([
      ['AttachRolePolicyCommand', { RoleName: ROLE, PolicyArn: READONLY }],
      ['DetachRolePolicyCommand', { RoleName: ROLE, PolicyArn: FULL }],
    ]);
    expect(iamMock).toHaveReceivedNthSpecificCommandWith(1, AttachRolePolicyCommand, {
      RoleName: ROLE,
      PolicyArn: READONLY,
    });
    expect(iamMock).not.toHaveReceivedCommand(PutRolePolicyCommand);
    expect([...attached].sort()).toEqual([WORKER, READONLY].sort());
  });

  it('a re-run on the fixed role sends no write command', async () => {
    const { deps, iamMock } = setup('remediate');
    await handleEvent(deps, event);
    iamMock.resetHistory();
    const again = await handleEvent(deps, { ...event, detail: { ...event.detail, eventID: 'evt-2' } });
    expect(again.outcomes[0]?.verdict).toBe('compliant');
    expectNoIamWrite(iamMock);
  });
});

describe('remediate mode, failures', () => {
  const iamError = (name: string) => Object.assign(new Error(`${name} from IAM`), { name, $fault: 'client' });

  it('on LimitExceeded for the attach: pull bridge, detach, attach again, bridge removed, in that order', async () => {
    const { deps, iamMock, attached } = setup('remediate');
    iamMock
      .on(AttachRolePolicyCommand)
      .rejectsOnce(iamError('LimitExceeded'))
      .callsFake(async (input: { PolicyArn: string }) => {
        attached.add(input.PolicyArn);
        return {};
      });
    const result = await handleEvent(deps, event);
    expect(result.outcomes[0]?.remediation).toBe('applied');
    expect(writesSent(iamMock)).toEqual([
      ['AttachRolePolicyCommand', { RoleName: ROLE, PolicyArn: READONLY }],
      [
        'PutRolePolicyCommand',
        { RoleName: ROLE, PolicyName: 'eks-ecr-guard-pull-bridge', PolicyDocument: expect.any(String) },
      ],
      ['DetachRolePolicyCommand', { RoleName: ROLE, PolicyArn: FULL }],
      ['AttachRolePolicyCommand', { RoleName: ROLE, PolicyArn: READONLY }],
      ['DeleteRolePolicyCommand', { RoleName: ROLE, PolicyName: 'eks-ecr-guard-pull-bridge' }],
    ]);
    expect([...attached].sort()).toEqual([WORKER, READONLY].sort());
  });

  it('a refused detach stops the run: the replacement stays, nothing is re-attached, the alert says so', async () => {
    const { deps, iamMock, snsMock, attached } = setup('remediate');
    iamMock.on(DetachRolePolicyCommand, { PolicyArn: FULL }).rejects(iamError('AccessDenied'));
    const result = await handleEvent(deps, event);
    expect(result.outcomes[0]).toMatchObject({ remediation: 'failed-safe', alerted: true });
    expect(writesSent(iamMock)).toEqual([
      ['AttachRolePolicyCommand', { RoleName: ROLE, PolicyArn: READONLY }],
      ['DetachRolePolicyCommand', { RoleName: ROLE, PolicyArn: FULL }],
    ]);
    expect([...attached].sort()).toEqual([WORKER, FULL, READONLY].sort());
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      Subject: expect.stringMatching(/^\[ACTION NEEDED\]/),
      Message: expect.stringContaining('AccessDenied'),
    });
  });

  it("the guard's own change comes back as an event: no read, no write, no alert", async () => {
    const { deps, iamMock, snsMock } = setup('remediate');
    const own = structuredClone(event) as typeof event & {
      detail: { userIdentity: { sessionContext: unknown } };
    };
    own.detail.userIdentity = {
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/guard/session`,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/guard` } },
    } as typeof own.detail.userIdentity;
    own.detail.requestParameters = { roleName: ROLE, policyArn: READONLY };
    const result = await handleEvent(deps, own);
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'ignored', alerted: false })]);
    expect(iamMock.calls()).toHaveLength(0);
    expect(snsMock).not.toHaveReceivedCommand(PublishCommand);
  });
});

describe('remediate mode, the same plan twice', () => {
  it('applying an already applied plan again is "not-needed" and sends no write command', async () => {
    const { deps, iamMock } = setup('remediate');
    const first = await handleEvent(deps, event);
    const decision = first.details[0]?.decision;
    if (decision === undefined) throw new Error('no decision');
    iamMock.resetHistory();
    const again = await deps.remediator.remediate(decision);
    expect(again).toMatchObject({ status: 'not-needed', applied: [] });
    expectNoIamWrite(iamMock);
  });
});

describe('duplicate delivery', () => {
  it('the same CloudTrail event delivered twice sends one Publish (alert mode would otherwise alert twice)', async () => {
    const { deps, iamMock, snsMock } = setup('alert');
    const handler = createEventHandler({ deps, persistence: inMemoryPersistence(new InMemoryCacheClient()) });
    const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'r' } as unknown as Context;
    const first = await handler(event, context);
    const second = await handler(structuredClone(event), context);
    expect(second).toEqual(first);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 1);
    expectNoIamWrite(iamMock);
    // A new event id for the same change is a new delivery: alerted again.
    await handler({ ...event, detail: { ...event.detail, eventID: 'evt-other' } }, context);
    expect(snsMock).toHaveReceivedCommandTimes(PublishCommand, 2);
  });
});
