// Tests for the CDK layer: the rendered guard policies evaluated by an IAM policy simulator (test oracle only).
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { asList, isRecord, resolveIntrinsics, resources } from './support/cfn';
import { synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node-role`;
const managed = (name: string) => `arn:aws:iam::aws:policy/${name}`;

/** The event function role's identity policies, intrinsics resolved to account 111122223333 in `aws`. */
function eventFunctionPolicies(context: Record<string, unknown>): Simulation['identityPolicies'] {
  const { home, stacks } = synthGuardApp({ context });
  const role = stacks.home.guard.eventFunction.role;
  const arn = Stack.of(role).resolve(role.roleArn);
  const roleId = isRecord(arn) && Array.isArray(arn['Fn::GetAtt']) ? arn['Fn::GetAtt'][0] : undefined;
  const policies = resources(home, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asList(policy.Properties?.Roles).some((ref) => isRecord(ref) && ref.Ref === roleId),
    )
    .map(([id, policy]) => ({ name: id, policy: resolveIntrinsics(policy.Properties?.PolicyDocument) }));
  expect(policies.length).toBeGreaterThan(0);
  return policies;
}

async function decide(
  identityPolicies: Simulation['identityPolicies'],
  action: string,
  context: Record<string, string> = {},
): Promise<string> {
  const response = await runSimulation(
    {
      identityPolicies,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal: `arn:aws:iam::${ACCOUNT}:role/guard-event-function`,
        resource: { resource: NODE_ROLE, accountId: ACCOUNT },
        contextVariables: context,
      },
    },
    {},
  );
  if (response.resultType === 'error') throw new Error(JSON.stringify(response.errors));
  return response.overallResult;
}

const EXEMPT = { 'aws:ResourceTag/eks-ecr-guard:exempt': 'true' };

describe('remediate mode, as IAM would evaluate it', () => {
  const policies = eventFunctionPolicies({ mode: 'remediate' });

  it.each([
    [
      'attaching the replacement (ReadOnly)',
      'Allowed',
      'iam:AttachRolePolicy',
      managed('AmazonEC2ContainerRegistryReadOnly'),
    ],
    [
      'attaching FullAccess (the guard never grants write, not even to undo)',
      'ImplicitlyDenied',
      'iam:AttachRolePolicy',
      managed('AmazonEC2ContainerRegistryFullAccess'),
    ],
    [
      'attaching AdministratorAccess',
      'ImplicitlyDenied',
      'iam:AttachRolePolicy',
      managed('AdministratorAccess'),
    ],
    [
      'attaching PullOnly (not the configured replacement)',
      'ImplicitlyDenied',
      'iam:AttachRolePolicy',
      managed('AmazonEC2ContainerRegistryPullOnly'),
    ],
    [
      'attaching a customer managed policy',
      'ImplicitlyDenied',
      'iam:AttachRolePolicy',
      `arn:aws:iam::${ACCOUNT}:policy/anything`,
    ],
    [
      'detaching PowerUser',
      'Allowed',
      'iam:DetachRolePolicy',
      managed('AmazonEC2ContainerRegistryPowerUser'),
    ],
    [
      'detaching the replacement',
      'ImplicitlyDenied',
      'iam:DetachRolePolicy',
      managed('AmazonEC2ContainerRegistryReadOnly'),
    ],
    [
      'detaching AmazonEKSWorkerNodePolicy',
      'ImplicitlyDenied',
      'iam:DetachRolePolicy',
      managed('AmazonEKSWorkerNodePolicy'),
    ],
  ])('%s is %s', async (_name, expected, action, policyArn) => {
    expect(await decide(policies, action, { 'iam:PolicyARN': policyArn })).toBe(expected);
  });

  it.each(['iam:PutRolePolicy', 'iam:DeleteRolePolicy'])(
    '%s on an untagged role is allowed',
    async (action) => {
      expect(await decide(policies, action)).toBe('Allowed');
    },
  );

  it.each([
    ['iam:AttachRolePolicy', { 'iam:PolicyARN': managed('AmazonEC2ContainerRegistryReadOnly') }],
    ['iam:DetachRolePolicy', { 'iam:PolicyARN': managed('AmazonEC2ContainerRegistryFullAccess') }],
    ['iam:PutRolePolicy', {}],
    ['iam:DeleteRolePolicy', {}],
  ])('%s on a role tagged exempt is denied', async (action, context) => {
    expect(await decide(policies, action, { ...context, ...EXEMPT })).toBe('ImplicitlyDenied');
  });

  it.each([
    'iam:CreateRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:TagRole',
    'iam:UntagRole',
  ])('%s is denied', async (action) => {
    expect(await decide(policies, action)).toBe('ImplicitlyDenied');
  });
});

describe('alert mode, as IAM would evaluate it', () => {
  const policies = eventFunctionPolicies({ mode: 'alert' });

  it.each([
    ['iam:AttachRolePolicy', { 'iam:PolicyARN': managed('AmazonEC2ContainerRegistryReadOnly') }],
    ['iam:DetachRolePolicy', { 'iam:PolicyARN': managed('AmazonEC2ContainerRegistryFullAccess') }],
    ['iam:PutRolePolicy', {}],
  ])('%s is denied', async (action, context) => {
    expect(await decide(policies, action, context)).toBe('ImplicitlyDenied');
  });

  it('reading the role is allowed', async () => {
    expect(await decide(policies, 'iam:ListAttachedRolePolicies')).toBe('Allowed');
  });
});
