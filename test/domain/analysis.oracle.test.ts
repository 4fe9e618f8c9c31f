// Differential test: the policy analysis against @cloud-copilot/iam-simulate (AGPL, devDependency, test
// oracle only) on a fixed corpus. Only unconditional `Resource: "*"` statements, where "allowed on some
// resource" and "allowed on repository/app" mean the same thing. The simulator rejects wildcards in the
// service part (`*:*`, `ecr*:Put*`: "Service can only contain letters, numbers, and hyphens"), so those
// patterns are covered by the table and property tests only.
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import { analyseRolePolicies } from '../../lambda/domain/analysis';
import { pullAllowance } from '../../lambda/domain/catalogue';
import fullAccess from './fixtures/managed-policies/AmazonEC2ContainerRegistryFullAccess.json';
import powerUser from './fixtures/managed-policies/AmazonEC2ContainerRegistryPowerUser.json';
import pullOnly from './fixtures/managed-policies/AmazonEC2ContainerRegistryPullOnly.json';
import readOnly from './fixtures/managed-policies/AmazonEC2ContainerRegistryReadOnly.json';
import workerNode from './fixtures/managed-policies/AmazonEKSWorkerNodePolicy.json';
import publicFullAccess from './fixtures/managed-policies/AmazonElasticContainerRegistryPublicFullAccess.json';

const ACCOUNT = '111122223333';
const REPOSITORY = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/eks-node`;

/** ECR write actions on the repository resource type, plus two reads as a control. */
const SAMPLE_ACTIONS = [
  'ecr:PutImage',
  'ecr:InitiateLayerUpload',
  'ecr:UploadLayerPart',
  'ecr:CompleteLayerUpload',
  'ecr:BatchDeleteImage',
  'ecr:DeleteRepository',
  'ecr:SetRepositoryPolicy',
  'ecr:DeleteRepositoryPolicy',
  'ecr:TagResource',
  'ecr:PutLifecyclePolicy',
  'ecr:PutImageTagMutability',
  'ecr:StartImageScan',
  'ecr:BatchGetImage',
  'ecr:DescribeImages',
];

interface Case {
  readonly identity: readonly unknown[];
  readonly boundary?: unknown;
}

function allow(action: string | readonly string[], key: 'Action' | 'NotAction' = 'Action'): unknown {
  return { Effect: 'Allow', [key]: action, Resource: '*' };
}

function deny(action: string | readonly string[], key: 'Action' | 'NotAction' = 'Action'): unknown {
  return { Effect: 'Deny', [key]: action, Resource: '*' };
}

const allowAll = { Effect: 'Allow', Action: 'ecr:*', Resource: '*' };

function doc(...statements: unknown[]): unknown {
  return { Version: '2012-10-17', Statement: statements };
}

const CORPUS: ReadonlyArray<readonly [string, Case]> = [
  ['AmazonEC2ContainerRegistryReadOnly', { identity: [readOnly] }],
  ['AmazonEC2ContainerRegistryPullOnly', { identity: [pullOnly] }],
  ['AmazonEC2ContainerRegistryPowerUser', { identity: [powerUser] }],
  ['AmazonEC2ContainerRegistryFullAccess', { identity: [fullAccess] }],
  ['AmazonElasticContainerRegistryPublicFullAccess', { identity: [publicFullAccess] }],
  ['worker node + PullOnly', { identity: [workerNode, pullOnly] }],
  ['AdministratorAccess', { identity: [doc(allow('*'))] }],
  ['Statement as a single object', { identity: [{ Version: '2012-10-17', Statement: allow('ecr:*') }] }],
  ['ecr:Delete* and ecr:Batch*', { identity: [doc(allow(['ecr:Delete*', 'ecr:Batch*']))] }],
  ['ecr:Put*', { identity: [doc(allow('ecr:Put*'))] }],
  ['ecr:*Image', { identity: [doc(allow('ecr:*Image'))] }],
  ['ecr:?utImage and ecr:*Layer?art', { identity: [doc(allow(['ecr:?utImage', 'ecr:*Layer?art']))] }],
  [
    'mixed case ECR:putimage, Ecr:TAGRESOURCE',
    { identity: [doc(allow(['ECR:putimage', 'Ecr:TAGRESOURCE']))] },
  ],
  ['ecr-public:* only', { identity: [doc(allow('ecr-public:*'))] }],
  [
    'ecr:* with a Sid, ecr-public:* in another statement',
    { identity: [doc({ Sid: 'All', ...allowAll }, allow('ecr-public:*'))] },
  ],
  ['Allow NotAction iam:*', { identity: [doc(allow(['iam:*'], 'NotAction'))] }],
  ['Allow NotAction ecr:Put*', { identity: [doc(allow(['ecr:Put*'], 'NotAction'))] }],
  ['Allow NotAction ecr:*', { identity: [doc(allow('ecr:*', 'NotAction'))] }],
  ['Allow ecr:*, Deny ecr:PutImage', { identity: [doc(allow('ecr:*'), deny('ecr:PutImage'))] }],
  ['Allow ecr:*, Deny ecr:*Policy', { identity: [doc(allow('ecr:*'), deny('ecr:*Policy'))] }],
  [
    'Allow ecr:*, Deny NotAction ecr:Get*/ecr:Batch*',
    { identity: [doc(allow('ecr:*'), deny(['ecr:Get*', 'ecr:Batch*'], 'NotAction'))] },
  ],
  [
    'Allow *, Deny in a second policy',
    { identity: [doc(allow('*')), doc(deny(['ecr:Delete*', 'ecr:BatchDeleteImage']))] },
  ],
  ['Allow *, Deny *', { identity: [doc(allow('*'), deny('*'))] }],
  ['PowerUser + FullAccess', { identity: [powerUser, fullAccess] }],
  ['FullAccess within a PowerUser boundary', { identity: [fullAccess], boundary: powerUser }],
  ['FullAccess within a PullOnly boundary', { identity: [fullAccess], boundary: pullOnly }],
  [
    'Admin within a boundary of ecr:* minus ecr:Delete*',
    { identity: [doc(allow('*'))], boundary: doc(allow('ecr:*'), deny('ecr:Delete*')) },
  ],
  ['PowerUser within an allow-everything boundary', { identity: [powerUser], boundary: doc(allow('*')) }],
  [
    'Admin within a NotAction boundary',
    { identity: [doc(allow('*'))], boundary: doc(allow(['ecr:Put*', 'ecr:Tag*'], 'NotAction')) },
  ],
  [
    'Two policies split across actions',
    { identity: [doc(allow('ecr:Put*')), doc(allow(['ecr:*Layer*', 'ecr:TagResource']))] },
  ],
];

function simulation(testCase: Case, action: string): Simulation {
  return {
    request: {
      principal: ROLE,
      action,
      resource: { resource: REPOSITORY, accountId: ACCOUNT },
      contextVariables: {},
    },
    identityPolicies: testCase.identity.map((policy, index) => ({ name: `p${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(testCase.boundary === undefined
      ? {}
      : { permissionBoundaryPolicies: [{ name: 'boundary', policy: testCase.boundary }] }),
  };
}

async function simulatorAllows(testCase: Case, action: string): Promise<boolean | string> {
  const result = await runSimulation(simulation(testCase, action), {});
  if (result.resultType === 'error') return `simulator error: ${JSON.stringify(result.errors)}`;
  return result.overallResult === 'Allowed';
}

describe('analyseRolePolicies agrees with @cloud-copilot/iam-simulate', () => {
  it('the corpus holds at least 30 role policy sets', () => {
    expect(CORPUS.length).toBeGreaterThanOrEqual(30);
  });

  it.each(CORPUS)('%s', async (_name, testCase) => {
    const analysis = analyseRolePolicies(
      {
        identity: testCase.identity.map((document, index) => ({
          ref: { kind: 'inline', name: `p${index}`, arn: null },
          document,
        })),
        boundary:
          testCase.boundary === undefined
            ? null
            : { ref: { kind: 'customer-managed', name: 'boundary', arn: null }, document: testCase.boundary },
      },
      { pullAllowance: pullAllowance([]) },
    );
    const ours: Record<string, boolean | string> = {};
    const theirs: Record<string, boolean | string> = {};
    for (const action of SAMPLE_ACTIONS) {
      ours[action] = analysis.allowed.includes(action);
      theirs[action] = await simulatorAllows(testCase, action);
    }
    expect(ours).toEqual(theirs);
    expect(analysis.unusablePolicies).toEqual([]);
  });

  it('the corpus has allowed and denied samples', async () => {
    const outcomes = new Set<boolean | string>();
    for (const [, testCase] of CORPUS.slice(0, 4)) {
      for (const action of ['ecr:PutImage', 'ecr:BatchGetImage'])
        outcomes.add(await simulatorAllows(testCase, action));
    }
    expect(outcomes).toEqual(new Set([true, false]));
  });
});
