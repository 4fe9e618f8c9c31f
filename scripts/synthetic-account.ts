// Dev script support (benchmark): builds a large, deterministic synthetic account in the snapshot format
// (docs/snapshot-format.md): node roles behind managed node groups, Karpenter access entries, Auto Mode and Fargate,
// self-managed (heuristic) node roles, ordinary workload roles, shared customer managed policies, a few violations,
// exemptions and dangling EKS references.
import { EXEMPT_TAG_KEY } from '../lambda/contract';
import { BUNDLED_MANAGED_POLICY_NAMES, bundledManagedPolicy } from '../lambda/domain/managed-policies';

export const ACCOUNT_ID = '123456789012';
const PARTITION = 'aws';

/** 17 commercial regions, the spread a large organisation's account can have. */
export const SYNTHETIC_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'me-central-1',
];

export interface SyntheticOptions {
  /** IAM roles in all (node roles included). */
  readonly roles: number;
  /** Managed node groups in all, spread over the regions' clusters (one node role each). */
  readonly nodegroups: number;
  /** @default 17 */
  readonly regions?: number;
  /** Node groups per cluster. @default 10 */
  readonly nodegroupsPerCluster?: number;
  /** Customer managed policies shared by the roles. @default 300 */
  readonly customerPolicies?: number;
  /**
   * `encoded`: documents URL-encoded, as the IAM API returns them (the in-memory path of `audit --live` and the
   * sweep); `objects`: JSON objects, as `eks-ecr-guard snapshot` and the AWS CLI write them.
   * @default 'objects'
   */
  readonly documents?: 'encoded' | 'objects';
  /** @default 1 */
  readonly seed?: number;
}

export interface SyntheticStats {
  readonly roles: number;
  readonly nodeRoles: number;
  readonly clusters: number;
  readonly nodegroups: number;
  readonly regions: number;
  readonly customerPolicies: number;
  readonly danglingReferences: number;
}

type Json = Record<string, unknown>;

const awsManaged = (name: string): string => `arn:${PARTITION}:iam::aws:policy/${name}`;
const roleArn = (path: string, name: string): string =>
  `arn:${PARTITION}:iam::${ACCOUNT_ID}:role${path}${name}`;
const customerPolicyArn = (name: string): string => `arn:${PARTITION}:iam::${ACCOUNT_ID}:policy/${name}`;

const trust = (service: string): Json => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

/** Small deterministic PRNG (mulberry32) so every run audits the same account. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'logs', 'kms', 'secretsmanager', 'ssm', 'lambda', 'events'];

function workloadDocument(index: number, next: () => number): Json {
  const service = SERVICES[index % SERVICES.length] ?? 's3';
  const statements: Json[] = [
    {
      Sid: `Use${service}`,
      Effect: 'Allow',
      Action: [`${service}:Get*`, `${service}:List*`, `${service}:Describe*`],
      Resource: `arn:${PARTITION}:${service}:*:${ACCOUNT_ID}:team-${index}-*`,
    },
  ];
  if (next() < 0.3) {
    statements.push({
      Effect: 'Allow',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken'],
      Resource: '*',
    });
  }
  if (next() < 0.1) {
    statements.push({
      Effect: 'Deny',
      Action: `${service}:Delete*`,
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

const scopedPushDocument = (repository: string): Json => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PushCache',
      Effect: 'Allow',
      Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'],
      Resource: `arn:${PARTITION}:ecr:eu-west-1:${ACCOUNT_ID}:repository/${repository}`,
    },
  ],
});

const BOUNDARY_DOCUMENT: Json = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Effect: 'Deny',
      Action: ['ecr:PutImage', 'ecr:BatchDeleteImage', 'ecr:DeleteRepository'],
      Resource: '*',
    },
  ],
};

/** The AWS managed policies the roles use, as GetAccountAuthorizationDetails lists them (bundled ones + two more). */
function awsManagedDocuments(): [string, Json][] {
  const documents: [string, Json][] = [
    [
      'AmazonEKS_CNI_Policy',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:Describe*'],
            Resource: '*',
          },
        ],
      },
    ],
    [
      'AmazonEKSFargatePodExecutionRolePolicy',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ecr:GetAuthorizationToken',
              'ecr:BatchCheckLayerAvailability',
              'ecr:GetDownloadUrlForLayer',
              'ecr:BatchGetImage',
            ],
            Resource: '*',
          },
        ],
      },
    ],
  ];
  for (const name of BUNDLED_MANAGED_POLICY_NAMES) {
    const document = bundledManagedPolicy(name)?.document;
    if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
      documents.push([name, Object.fromEntries(Object.entries(document))]);
    }
  }
  return documents;
}

/** A cluster in the snapshot's `eks` section (field names as the EKS API returns them). */
interface SyntheticCluster {
  readonly name: string;
  computeConfig?: { readonly enabled: boolean; readonly nodeRoleArn: string };
  readonly nodegroups: Json[];
  readonly accessEntries: Json[];
  readonly fargateProfiles: Json[];
}

interface RoleSpec {
  readonly name: string;
  readonly path: string;
  readonly trustService: string;
  readonly attached: string[];
  readonly inline: { name: string; document: Json }[];
  readonly tags: { Key: string; Value: string }[];
  readonly boundary: string | null;
}

/** The synthetic account and what is in it. */
export function syntheticSnapshot(options: SyntheticOptions): { snapshot: Json; stats: SyntheticStats } {
  const next = random(options.seed ?? 1);
  const encode = options.documents === 'encoded';
  const doc = (document: Json): unknown => (encode ? encodeURIComponent(JSON.stringify(document)) : document);
  const regionCount = Math.min(options.regions ?? SYNTHETIC_REGIONS.length, SYNTHETIC_REGIONS.length);
  const regions = SYNTHETIC_REGIONS.slice(0, regionCount);
  const perCluster = options.nodegroupsPerCluster ?? 10;
  const clusterCount = Math.max(1, Math.ceil(options.nodegroups / perCluster));
  const policyCount = options.customerPolicies ?? 300;

  const policies = customerPolicies(policyCount, next, doc);
  const pickPolicy = (): string => customerPolicyArn(`team-policy-${Math.floor(next() * policyCount)}`);
  const roles: RoleSpec[] = [];
  const clusters: { region: string; cluster: SyntheticCluster }[] = [];

  // EKS side: clusters round-robin over the regions; one node role per node group; per cluster a Karpenter role
  // (EC2_LINUX access entry), every 5th cluster a Fargate profile, every 7th Auto Mode.
  let nodegroupIndex = 0;
  for (let c = 0; c < clusterCount; c += 1) {
    const region = regions[c % regions.length] ?? 'us-east-1';
    const name = `cluster-${c}`;
    const cluster: SyntheticCluster = { name, nodegroups: [], accessEntries: [], fargateProfiles: [] };
    for (let n = 0; n < perCluster && nodegroupIndex < options.nodegroups; n += 1, nodegroupIndex += 1) {
      const role = nodeRole(
        `${name}-ng-${n}-NodeInstanceRole`,
        nodegroupIndex % 9 === 0 ? '/eks/' : '/',
        next,
        pickPolicy,
      );
      roles.push(role);
      cluster.nodegroups.push({ nodegroupName: `ng-${n}`, nodeRole: roleArn(role.path, role.name) });
      cluster.accessEntries.push({ principalArn: roleArn(role.path, role.name), type: 'EC2_LINUX' });
    }
    const karpenter = nodeRole(`KarpenterNodeRole-${name}`, '/', next, pickPolicy);
    roles.push(karpenter);
    cluster.accessEntries.push({ principalArn: roleArn('/', karpenter.name), type: 'EC2_LINUX' });
    cluster.accessEntries.push({ principalArn: roleArn('/', `platform-admin-${c}`), type: 'STANDARD' });
    if (c % 5 === 0) {
      const podExec = fargateRole(`${name}-fargate-pod-exec`);
      roles.push(podExec);
      cluster.fargateProfiles.push({
        fargateProfileName: 'fp-default',
        podExecutionRoleArn: roleArn('/', podExec.name),
      });
      cluster.accessEntries.push({ principalArn: roleArn('/', podExec.name), type: 'FARGATE_LINUX' });
    }
    if (c % 7 === 0) {
      const auto = autoModeRole(`${name}-AutoNodeRole`);
      roles.push(auto);
      cluster.computeConfig = { enabled: true, nodeRoleArn: roleArn('/', auto.name) };
      cluster.accessEntries.push({ principalArn: roleArn('/', auto.name), type: 'EC2' });
    }
    clusters.push({ region, cluster });
  }
  // Dangling references: node groups whose role was deleted from IAM.
  const danglingReferences = Math.max(1, Math.floor(clusterCount / 25));
  for (let d = 0; d < danglingReferences; d += 1) {
    clusters[d % clusters.length]?.cluster.nodegroups.push({
      nodegroupName: `ng-orphan-${d}`,
      nodeRole: roleArn('/', `deleted-node-role-${d}`),
    });
  }

  // Self-managed node roles (found by the heuristic only), then workload roles up to the requested count.
  const selfManaged = Math.max(1, Math.floor(options.roles * 0.01));
  for (let s = 0; s < selfManaged && roles.length < options.roles; s += 1) {
    roles.push({ ...nodeRole(`self-managed-nodes-${s}`, '/', next, pickPolicy), tags: [] });
  }
  const nodeRoles = roles.length;
  for (let w = 0; roles.length < options.roles; w += 1) roles.push(workloadRole(w, next, pickPolicy));

  const snapshot: Json = {
    accountId: ACCOUNT_ID,
    partition: PARTITION,
    capturedAt: '2026-11-20T08:30:00Z',
    quotas: { attachedPoliciesPerRole: 20 },
    iam: {
      RoleDetailList: roles.slice(0, options.roles).map((role, i) => roleDetail(role, i, doc)),
      Policies: policies,
    },
    eks: Object.fromEntries(
      regions.map((region) => [
        region,
        { clusters: clusters.filter((entry) => entry.region === region).map((entry) => entry.cluster) },
      ]),
    ),
  };
  return {
    snapshot,
    stats: {
      roles: Math.min(roles.length, options.roles),
      nodeRoles: Math.min(nodeRoles, options.roles),
      clusters: clusterCount,
      nodegroups: options.nodegroups,
      regions: regions.length,
      customerPolicies: policyCount,
      danglingReferences,
    },
  };
}

function customerPolicies(count: number, next: () => number, doc: (document: Json) => unknown): Json[] {
  const policies: Json[] = [];
  for (let p = 0; p < count; p += 1) {
    const name = `team-policy-${p}`;
    const versions = [{ VersionId: 'v2', IsDefaultVersion: true, Document: doc(workloadDocument(p, next)) }];
    if (p % 4 === 0)
      versions.push({
        VersionId: 'v1',
        IsDefaultVersion: false,
        Document: doc(workloadDocument(p + 1, next)),
      });
    policies.push({
      PolicyName: name,
      Arn: customerPolicyArn(name),
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 0,
      IsAttachable: true,
      PolicyVersionList: versions,
    });
  }
  for (const [name, document] of awsManagedDocuments()) {
    const arn = awsManaged(name);
    policies.push({
      PolicyName: name,
      Arn: arn,
      Path: '/',
      DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(document) }],
    });
  }
  policies.push({
    PolicyName: 'node-boundary',
    Arn: customerPolicyArn('node-boundary'),
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(BOUNDARY_DOCUMENT) }],
  });
  return policies;
}

/** A node role: worker, CNI and pull policies, one shared customer policy; ~12% can write to ECR, ~3% exempt. */
function nodeRole(name: string, path: string, next: () => number, pickPolicy: () => string): RoleSpec {
  const attached = [
    awsManaged('AmazonEKSWorkerNodePolicy'),
    awsManaged('AmazonEKS_CNI_Policy'),
    awsManaged(next() < 0.5 ? 'AmazonEC2ContainerRegistryReadOnly' : 'AmazonEC2ContainerRegistryPullOnly'),
    pickPolicy(),
  ];
  const inline: RoleSpec['inline'] = [];
  const tags: RoleSpec['tags'] = [{ Key: 'team', Value: 'platform' }];
  let boundary: string | null = null;
  const roll = next();
  if (roll < 0.06) attached.push(awsManaged('AmazonEC2ContainerRegistryPowerUser'));
  else if (roll < 0.08) attached.push(awsManaged('AmazonEC2ContainerRegistryFullAccess'));
  else if (roll < 0.09) attached.push(awsManaged('AdministratorAccess'));
  else if (roll < 0.12) inline.push({ name: 'push-cache', document: scopedPushDocument(`${name}-cache`) });
  else if (roll < 0.14) {
    attached.push(awsManaged('AmazonEC2ContainerRegistryPowerUser'));
    boundary = customerPolicyArn('node-boundary');
  }
  if (roll < 0.12 && next() < 0.25) {
    const until = next() < 0.5 ? '2026-11-30' : '2027-06-30';
    tags.push({
      Key: EXEMPT_TAG_KEY,
      Value: `image cache warmer, until=${until}; SEC-${Math.floor(next() * 9999)}`,
    });
  }
  return { name, path, trustService: 'ec2.amazonaws.com', attached, inline, tags, boundary };
}

function fargateRole(name: string): RoleSpec {
  return {
    name,
    path: '/',
    trustService: 'eks-fargate-pods.amazonaws.com',
    attached: [awsManaged('AmazonEKSFargatePodExecutionRolePolicy')],
    inline: [],
    tags: [],
    boundary: null,
  };
}

function autoModeRole(name: string): RoleSpec {
  return {
    name,
    path: '/',
    trustService: 'ec2.amazonaws.com',
    attached: [
      awsManaged('AmazonEKSWorkerNodeMinimalPolicy'),
      awsManaged('AmazonEC2ContainerRegistryPullOnly'),
    ],
    inline: [],
    tags: [],
    boundary: null,
  };
}

/** An ordinary workload role (Lambda, ECS task, CI): customer policies and inline policies, not a node role. */
function workloadRole(index: number, next: () => number, pickPolicy: () => string): RoleSpec {
  const services = [
    'lambda.amazonaws.com',
    'ecs-tasks.amazonaws.com',
    'codebuild.amazonaws.com',
    'ec2.amazonaws.com',
  ];
  const trustService = services[index % services.length] ?? 'lambda.amazonaws.com';
  const attached = Array.from({ length: 1 + Math.floor(next() * 3) }, pickPolicy);
  if (index % 50 === 0) attached.push(awsManaged('AmazonEC2ContainerRegistryPowerUser'));
  const inline = Array.from({ length: Math.floor(next() * 3) }, (_, i) => ({
    name: `inline-${i}`,
    document: workloadDocument(index * 7 + i, next),
  }));
  return {
    name: `app-${index}-${trustService.split('.')[0] ?? 'svc'}-role`,
    path: index % 3 === 0 ? '/service-role/' : '/',
    trustService,
    attached: [...new Set(attached)],
    inline,
    tags: index % 10 === 0 ? [{ Key: 'team', Value: `team-${index % 40}` }] : [],
    boundary: null,
  };
}

function roleDetail(role: RoleSpec, index: number, doc: (document: Json) => unknown): Json {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: `AROA${String(index).padStart(17, '0')}`,
    Arn: roleArn(role.path, role.name),
    CreateDate: '2025-01-01T00:00:00Z',
    AssumeRolePolicyDocument: doc(trust(role.trustService)),
    InstanceProfileList: [],
    RolePolicyList: role.inline.map((policy) => ({
      PolicyName: policy.name,
      PolicyDocument: doc(policy.document),
    })),
    AttachedManagedPolicies: role.attached.map((arn) => ({
      PolicyName: arn.slice(arn.lastIndexOf('/') + 1),
      PolicyArn: arn,
    })),
    ...(role.boundary === null
      ? {}
      : {
          PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: role.boundary },
        }),
    Tags: role.tags,
    RoleLastUsed: {},
  };
}
