// Tests for the fake AWS's IAM, through a real IAMClient: encoding, pagination, writes, quota, errors.
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  IAMServiceException,
  InvalidInputException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { IamGateway } from '../../lambda/gateways/iam-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const PUSH = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'a+b ü', Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
};
const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';

function accountWithNodeRole() {
  const fake = new FakeAws();
  fake.addRole({ name: 'nodes', attached: [FULL_ACCESS], inline: { push: PUSH } });
  return { fake, iam: fake.iamClient() };
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('FakeAws IAM reads', () => {
  it('is a real IAMClient whose documents come back URL-encoded (RFC 3986)', async () => {
    const { fake, iam } = accountWithNodeRole();
    expect(iam).toBeInstanceOf(IAMClient);
    const output = await iam.send(new GetRolePolicyCommand({ RoleName: 'nodes', PolicyName: 'push' }));
    const encoded = output.PolicyDocument ?? '';
    expect(encoded.startsWith('%7B%22Version%22')).toBe(true);
    expect(encoded).toContain('a%2Bb%20%C3%BC');
    expect(encoded).not.toContain('{');
    expect(JSON.parse(decodeURIComponent(encoded))).toEqual(PUSH);
    expect(fake.calls).toEqual([
      {
        service: 'iam',
        command: 'GetRolePolicy',
        input: { RoleName: 'nodes', PolicyName: 'push' },
        region: 'us-east-1',
      },
    ]);
  });

  it('GetRole returns the encoded trust policy, tags and boundary', async () => {
    const fake = new FakeAws();
    fake.addRole({
      name: 'r',
      path: '/p/',
      tags: { k: 'v' },
      permissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess',
    });
    const { Role } = await fake.iamClient().send(new GetRoleCommand({ RoleName: 'r' }));
    expect(Role).toMatchObject({
      RoleName: 'r',
      Path: '/p/',
      Arn: 'arn:aws:iam::111122223333:role/p/r',
      Tags: [{ Key: 'k', Value: 'v' }],
      PermissionsBoundary: { PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' },
    });
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toMatchObject({
      Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }],
    });
  });

  it('pages ListAttachedRolePolicies with the default page size and honours MaxItems', async () => {
    const fake = new FakeAws();
    const arns = ['A', 'B', 'C', 'D', 'E'].map((name) => fake.addPolicy({ name, document: PUSH }));
    fake.addRole({ name: 'r', attached: arns });
    const iam = fake.iamClient();

    const first = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r' }));
    expect(first.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['A', 'B']);
    expect(first.IsTruncated).toBe(true);
    const second = await iam.send(
      new ListAttachedRolePoliciesCommand({ RoleName: 'r', Marker: first.Marker }),
    );
    expect(second.AttachedPolicies?.map((p) => p.PolicyName)).toEqual(['C', 'D']);
    const big = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'r', MaxItems: 10 }));
    expect(big.AttachedPolicies).toHaveLength(5);
    expect(big.IsTruncated).toBe(false);
    expect(big.Marker).toBeUndefined();

    await expect(new IamGateway(iam).listAttachedRolePolicies('r')).resolves.toHaveLength(5);
    expect(fake.callCount('iam', 'ListAttachedRolePolicies')).toBe(6);
  });

  it('pages ListRolePolicies, ListRoles and ListEntitiesForPolicy', async () => {
    const fake = new FakeAws();
    const arn = fake.addPolicy({ name: 'shared', document: PUSH });
    for (const name of ['a', 'b', 'c']) {
      fake.addRole({ name, attached: [arn], inline: { one: PUSH, two: PUSH, three: PUSH } });
    }
    const iam = fake.iamClient();
    const policies = await iam.send(new ListRolePoliciesCommand({ RoleName: 'a' }));
    expect(policies).toMatchObject({ PolicyNames: ['one', 'two'], IsTruncated: true });
    const roles = await iam.send(new ListRolesCommand({}));
    expect(roles.Roles?.map((r) => r.RoleName)).toEqual(['a', 'b']);
    const entities = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, EntityFilter: 'Role' }),
    );
    expect(entities.PolicyRoles?.map((r) => r.RoleName)).toEqual(['a', 'b']);
    const rest = await iam.send(
      new ListEntitiesForPolicyCommand({ PolicyArn: arn, Marker: entities.Marker }),
    );
    expect(rest.PolicyRoles?.map((r) => r.RoleName)).toEqual(['c']);
    expect(rest.IsTruncated).toBe(false);
  });

  it('rejects a forged marker and an out-of-range MaxItems like IAM', async () => {
    const { iam } = accountWithNodeRole();
    await expect(iam.send(new ListRolesCommand({ Marker: 'not-a-marker' }))).rejects.toBeInstanceOf(
      InvalidInputException,
    );
    await expect(iam.send(new ListRolesCommand({ MaxItems: 0 }))).rejects.toBeInstanceOf(
      InvalidInputException,
    );
  });

  it('GetPolicy and GetPolicyVersion serve the seeded AWS managed documents', async () => {
    const { iam } = accountWithNodeRole();
    const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: FULL_ACCESS }));
    expect(Policy).toMatchObject({ PolicyName: 'AmazonEC2ContainerRegistryFullAccess', AttachmentCount: 1 });
    const { PolicyVersion } = await iam.send(
      new GetPolicyVersionCommand({ PolicyArn: FULL_ACCESS, VersionId: Policy?.DefaultVersionId }),
    );
    expect(PolicyVersion?.IsDefaultVersion).toBe(true);
    expect(JSON.parse(decodeURIComponent(PolicyVersion?.Document ?? ''))).toMatchObject({
      Statement: expect.arrayContaining([
        expect.objectContaining({ Action: expect.arrayContaining(['ecr:*']) }),
      ]),
    });
  });

  it('answers unknown roles, policies and versions with NoSuchEntityException (404)', async () => {
    const { iam } = accountWithNodeRole();
    const error = await failure(iam.send(new GetRoleCommand({ RoleName: 'nobody' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    expect(error).toMatchObject({
      name: 'NoSuchEntityException',
      $fault: 'client',
      $metadata: { httpStatusCode: 404 },
      message: 'The role with name nobody cannot be found.',
    });
    await expect(
      iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/Nope' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new GetPolicyVersionCommand({ PolicyArn: FULL_ACCESS, VersionId: 'v99' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new GetRolePolicyCommand({ RoleName: 'nodes', PolicyName: 'nope' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('GetAccountSummary carries the quota', async () => {
    const fake = new FakeAws({ managedPolicyQuota: 20 });
    const { SummaryMap } = await fake.iamClient().send(new GetAccountSummaryCommand({}));
    expect(SummaryMap?.AttachedPoliciesPerRoleQuota).toBe(20);
  });

  it('GetAccountAuthorizationDetails filters and pages roles, customer and in-use AWS managed policies', async () => {
    const { fake, iam } = accountWithNodeRole();
    fake.addPolicy({ name: 'local', document: PUSH });
    const roleOnly = await iam.send(
      new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: 100 }),
    );
    expect(roleOnly.RoleDetailList?.map((r) => r.RoleName)).toEqual(['nodes']);
    expect(roleOnly.Policies).toEqual([]);
    const role = roleOnly.RoleDetailList?.[0];
    expect(role?.AttachedManagedPolicies).toEqual([
      { PolicyArn: FULL_ACCESS, PolicyName: 'AmazonEC2ContainerRegistryFullAccess' },
    ]);
    expect(JSON.parse(decodeURIComponent(role?.RolePolicyList?.[0]?.PolicyDocument ?? ''))).toEqual(PUSH);

    const details = await new IamGateway(iam).accountAuthorizationDetails();
    expect(details.RoleDetailList.map((r) => r.RoleName)).toEqual(['nodes']);
    // Unused AWS managed policies (e.g. ReadOnly) are left out, as the real API does.
    expect(details.Policies.map((p) => p.PolicyName)).toEqual([
      'local',
      'AmazonEC2ContainerRegistryFullAccess',
    ]);
    expect(fake.callCount('iam', 'GetAccountAuthorizationDetails')).toBe(1 + 2);
  });
});

describe('FakeAws IAM writes', () => {
  it('makes writes visible to later reads', async () => {
    const { fake, iam } = accountWithNodeRole();
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'nodes', PolicyArn: READ_ONLY }));
    await iam.send(new DetachRolePolicyCommand({ RoleName: 'nodes', PolicyArn: FULL_ACCESS }));
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'nodes',
        PolicyName: 'deny',
        PolicyDocument: '{"Version":"2012-10-17"}',
      }),
    );
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'nodes', PolicyName: 'push' }));
    expect(fake.roleState('nodes')).toEqual({
      attached: [READ_ONLY],
      inline: { deny: { Version: '2012-10-17' } },
    });
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'nodes' }));
    expect(listed.AttachedPolicies?.map((p) => p.PolicyArn)).toEqual([READ_ONLY]);
  });

  it('treats attaching an attached policy as a no-op success', async () => {
    const { fake, iam } = accountWithNodeRole();
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'nodes', PolicyArn: FULL_ACCESS }));
    expect(fake.roleState('nodes').attached).toEqual([FULL_ACCESS]);
  });

  it('refuses an attachment beyond the quota with LimitExceeded (409)', async () => {
    const fake = new FakeAws();
    const ten = Array.from({ length: 10 }, (_, i) => fake.addPolicy({ name: `p${i}`, document: PUSH }));
    fake.addRole({ name: 'full', attached: ten });
    const error = await failure(
      fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: 'full', PolicyArn: READ_ONLY })),
    );
    expect(error).toBeInstanceOf(LimitExceededException);
    expect(error).toMatchObject({
      $metadata: { httpStatusCode: 409 },
      message: 'Cannot exceed quota for PoliciesPerRole: 10',
    });
    expect(fake.roleState('full').attached).toHaveLength(10);
    // With a raised quota the same attachment succeeds.
    fake.setManagedPolicyQuota(11);
    await fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: 'full', PolicyArn: READ_ONLY }));
    expect(fake.roleState('full').attached).toHaveLength(11);
  });

  it('answers a detach of a policy that is not attached, and unknown roles/policies, with NoSuchEntity', async () => {
    const { iam } = accountWithNodeRole();
    await expect(
      iam.send(new DetachRolePolicyCommand({ RoleName: 'nodes', PolicyArn: READ_ONLY })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new AttachRolePolicyCommand({ RoleName: 'ghost', PolicyArn: READ_ONLY })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(
        new AttachRolePolicyCommand({ RoleName: 'nodes', PolicyArn: 'arn:aws:iam::aws:policy/Missing' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
    await expect(
      iam.send(new DeleteRolePolicyCommand({ RoleName: 'nodes', PolicyName: 'never' })),
    ).rejects.toBeInstanceOf(NoSuchEntityException);
  });

  it('accepts a PutRolePolicy document only as plain JSON text of at most 10,240 characters', async () => {
    const { fake, iam } = accountWithNodeRole();
    const put = (document: string) =>
      iam.send(new PutRolePolicyCommand({ RoleName: 'nodes', PolicyName: 'p', PolicyDocument: document }));
    await expect(put('not json')).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await expect(put(encodeURIComponent(JSON.stringify(PUSH)))).rejects.toBeInstanceOf(
      MalformedPolicyDocumentException,
    );
    const padded = (length: number) => {
      const base = JSON.stringify({ Version: '2012-10-17', Sid: '' });
      return JSON.stringify({ Version: '2012-10-17', Sid: 'x'.repeat(length - base.length) });
    };
    await expect(put(padded(10_241))).rejects.toBeInstanceOf(MalformedPolicyDocumentException);
    await put(padded(10_240));
    expect(fake.roleState('nodes').inline.p).toMatchObject({ Version: '2012-10-17' });
  });

  it('supports policy versions and permissions boundaries', async () => {
    const fake = new FakeAws();
    const arn = fake.addPolicy({ name: 'ci', document: PUSH });
    fake.addRole({ name: 'r' });
    const iam = fake.iamClient();
    const created = await iam.send(
      new CreatePolicyVersionCommand({
        PolicyArn: arn,
        PolicyDocument: '{"Version":"2012-10-17"}',
        SetAsDefault: true,
      }),
    );
    expect(created.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: true });
    expect(fake.policyState(arn)).toEqual({ defaultVersionId: 'v2', document: { Version: '2012-10-17' } });
    await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect(fake.policyState(arn)?.defaultVersionId).toBe('v1');

    await iam.send(new PutRolePermissionsBoundaryCommand({ RoleName: 'r', PermissionsBoundary: arn }));
    expect(fake.roleBoundary('r')).toBe(arn);
    await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: 'r' }));
    expect(fake.roleBoundary('r')).toBeNull();
  });

  it('reports a missing required parameter as a validation error, and an unsupported command loudly', async () => {
    const { iam } = accountWithNodeRole();
    await expect(iam.send(new GetRoleCommand({ RoleName: '' }))).rejects.toBeInstanceOf(IAMServiceException);
    await expect(iam.send(new GetAccountSummaryCommand({}))).resolves.toBeDefined();
    await expect(iam.send(new GetUserCommand({}))).rejects.toThrow('FakeAws: IAM GetUser is not implemented');
  });
});
