// Dev script support (benchmark, synthetic account): the kinds of role in the account (node, Fargate, Auto Mode,
// workload) and each role's `RoleDetailList` entry.
import { EXEMPT_TAG_KEY } from '../../lambda/contract';
import { awsManaged, customerPolicyArn, type Json, roleArn } from './arns';
import { scopedPushDocument, trust, workloadDocument } from './documents';

export interface RoleSpec {
  readonly name: string;
  readonly path: string;
  readonly trustService: string;
  readonly attached: string[];
  readonly inline: { name: string; document: Json }[];
  readonly tags: { Key: string; Value: string }[];
  readonly boundary: string | null;
}

/** A node role: worker, CNI and pull policies, one shared customer policy; ~12% can write to ECR, ~3% exempt. */
export function nodeRole(name: string, path: string, next: () => number, pickPolicy: () => string): RoleSpec {
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

export function fargateRole(name: string): RoleSpec {
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

export function autoModeRole(name: string): RoleSpec {
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
export function workloadRole(index: number, next: () => number, pickPolicy: () => string): RoleSpec {
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

export function roleDetail(role: RoleSpec, index: number, doc: (document: Json) => unknown): Json {
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
