// Differential test: the generated SCP run through @cloud-copilot/iam-simulate (AGPL, devDependency, test oracle
// only): instance-credential requests lose ECR writes but keep pulls and eks-auth; write policies cannot be
// attached to node roles; exempt principals and pod-role (non-instance) credentials are left alone.
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { pullAllowance } from '../../lambda/domain/catalogue';
import { DEFAULT_NODE_ROLE_PATTERNS } from '../../lambda/guardrails/policy';
import { buildScp } from '../../lambda/guardrails/scp';

const ACCOUNT = '111122223333';
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/KarpenterNodeRole-prod`;
const CI_ROLE = `arn:aws:iam::${ACCOUNT}:role/ci-runner-build`;
const REPOSITORY = `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app`;
const INSTANCE = { 'ec2:SourceInstanceARN': `arn:aws:ec2:eu-west-1:${ACCOUNT}:instance/i-0123456789abcdef0` };
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

const SCP = buildScp({
  partition: 'aws',
  pullAllowance: pullAllowance([]),
  nodeRolePatterns: DEFAULT_NODE_ROLE_PATTERNS,
  nodeRoleTag: { key: 'eks-node', value: 'true' },
  exemptPrincipals: [CI_ROLE],
});

interface Request {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly context: Record<string, string | string[]>;
}

function simulation(request: Request): Simulation {
  return {
    request: {
      principal: request.principal,
      action: request.action,
      resource: { resource: request.resource, accountId: ACCOUNT },
      contextVariables: { 'aws:PrincipalArn': request.principal, ...request.context },
    },
    identityPolicies: [{ name: 'admin', policy: ALLOW_ALL }],
    serviceControlPolicies: [
      {
        orgIdentifier: 'r-root',
        policies: [
          { name: 'FullAWSAccess', policy: ALLOW_ALL },
          { name: 'eks-ecr-guard', policy: SCP },
        ],
      },
    ],
    resourceControlPolicies: [],
  };
}

async function outcome(request: Request): Promise<string> {
  const result = await runSimulation(simulation(request), {});
  if (result.resultType === 'error') return `error: ${JSON.stringify(result.errors)}`;
  return result.overallResult;
}

const ecr = (principal: string, action: string, context: Request['context']): Request => ({
  principal,
  action,
  resource: action === 'ecr:GetAuthorizationToken' ? '*' : REPOSITORY,
  context,
});

const attach = (role: string, policy: string, context: Request['context'] = {}): Request => ({
  principal: `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
  action: 'iam:AttachRolePolicy',
  resource: role,
  context: { 'iam:PolicyARN': `arn:aws:iam::aws:policy/${policy}`, ...context },
});

describe('the SCP under @cloud-copilot/iam-simulate', () => {
  it.each([
    ['ecr:PutImage', 'ExplicitlyDenied'],
    ['ecr:InitiateLayerUpload', 'ExplicitlyDenied'],
    ['ecr:BatchDeleteImage', 'ExplicitlyDenied'],
    ['ecr:SetRepositoryPolicy', 'ExplicitlyDenied'],
    ['ecr:BatchGetImage', 'Allowed'],
    ['ecr:GetDownloadUrlForLayer', 'Allowed'],
    ['ecr:BatchImportUpstreamImage', 'Allowed'],
  ])('a node with instance credentials: %s is %s', async (action, expected) => {
    expect(await outcome(ecr(NODE_ROLE, action, INSTANCE))).toBe(expected);
  });

  it('keeps eks-auth:AssumeRoleForPodIdentity for nodes', async () => {
    const request: Request = {
      principal: NODE_ROLE,
      action: 'eks-auth:AssumeRoleForPodIdentity',
      resource: `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/prod`,
      context: INSTANCE,
    };
    expect(await outcome(request)).toBe('Allowed');
  });

  it('leaves pushes without instance credentials (a pod role) and from exempt principals alone', async () => {
    const podRole = `arn:aws:iam::${ACCOUNT}:role/ci-pod-push`;
    expect(await outcome(ecr(podRole, 'ecr:PutImage', {}))).toBe('Allowed');
    expect(await outcome(ecr(CI_ROLE, 'ecr:PutImage', INSTANCE))).toBe('Allowed');
  });

  it.each([
    ['AmazonEC2ContainerRegistryFullAccess', 'ExplicitlyDenied'],
    ['AmazonEC2ContainerRegistryPowerUser', 'ExplicitlyDenied'],
    ['AdministratorAccess', 'ExplicitlyDenied'],
    ['AmazonEC2ContainerRegistryPullOnly', 'Allowed'],
    ['AmazonEC2ContainerRegistryReadOnly', 'Allowed'],
  ])('attaching %s to a Karpenter node role is %s', async (policy, expected) => {
    expect(await outcome(attach(NODE_ROLE, policy))).toBe(expected);
  });

  it('denies the attach to a role under a path and to a tagged role, not to another role', async () => {
    const pathed = `arn:aws:iam::${ACCOUNT}:role/eks/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C`;
    const tagged = `arn:aws:iam::${ACCOUNT}:role/prod-gpu-nodes`;
    const full = 'AmazonEC2ContainerRegistryFullAccess';
    expect(await outcome(attach(pathed, full))).toBe('ExplicitlyDenied');
    expect(await outcome(attach(tagged, full, { 'aws:ResourceTag/eks-node': 'true' }))).toBe(
      'ExplicitlyDenied',
    );
    expect(await outcome(attach(tagged, full))).toBe('Allowed');
  });

  it('denies inline policies on node roles', async () => {
    const request: Request = {
      principal: `arn:aws:iam::${ACCOUNT}:role/platform-admin`,
      action: 'iam:PutRolePolicy',
      resource: NODE_ROLE,
      context: {},
    };
    expect(await outcome(request)).toBe('ExplicitlyDenied');
  });
});
