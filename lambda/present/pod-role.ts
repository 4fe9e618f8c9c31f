// Presenter helper (pure): the pod-role path for push access that a node role should not hold: an IAM role trusted
// by EKS Pod Identity, a push policy scoped to the repositories written to, and the pod identity association, as
// AWS CLI commands (argument lists) the alert and the audit output print.
import { IMAGE_PUSH_WRITE_ACTIONS } from '../domain/catalogue';
import type { Decision, NodeRoleEvidence } from '../domain/types';

/** Placeholders where the guard cannot know the value. */
export const POD_ROLE_PLACEHOLDERS = {
  account: '<ACCOUNT_ID>',
  region: '<REGION>',
  repository: '<REPOSITORY>',
  cluster: '<CLUSTER>',
  namespace: '<NAMESPACE>',
  serviceAccount: '<SERVICE_ACCOUNT>',
} as const;

/**
 * The ECR push actions (ECR User Guide, image-push-iam): the read-level layer check and the write actions the
 * domain counts as push (IMAGE_PUSH_WRITE_ACTIONS); `ecr:GetAuthorizationToken` goes on `*`.
 */
export const ECR_PUSH_ACTIONS: readonly string[] = [
  'ecr:BatchCheckLayerAvailability',
  ...IMAGE_PUSH_WRITE_ACTIONS,
];

export interface PodRoleInput {
  readonly partition: string;
  readonly accountId: string | null;
  /** The node role that holds the push access now (the pod role's name is derived from it). */
  readonly nodeRoleName: string;
  /** Where the node role is used: its clusters, each to get an association. */
  readonly evidence: readonly NodeRoleEvidence[];
  /** Repositories written to, as `region/name` (the usage evidence); empty: a placeholder. */
  readonly repositories: readonly string[];
  readonly namespace?: string;
  readonly serviceAccount?: string;
}

export interface PodRolePath {
  readonly roleName: string;
  readonly roleArn: string;
  readonly trustPolicy: object;
  readonly pushPolicyName: string;
  readonly pushPolicy: object;
  /** Create the role, put the push policy, then one association per cluster. */
  readonly commands: readonly (readonly string[])[];
  /** The values the commands hold as placeholders, to be filled in before running them. */
  readonly placeholders: readonly string[];
}

const MAX_ROLE_NAME = 64;
const POD_ROLE_SUFFIX = '-ecr-push';
const PUSH_POLICY_NAME = 'ecr-push';

/** The role name: the node role's, shortened to fit IAM's 64 characters, with `-ecr-push`. */
export function podRoleName(nodeRoleName: string): string {
  return `${nodeRoleName.slice(0, MAX_ROLE_NAME - POD_ROLE_SUFFIX.length)}${POD_ROLE_SUFFIX}`;
}

/** The trust policy of an EKS Pod Identity role. */
export function podIdentityTrustPolicy(): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ],
  };
}

function repositoryArn(partition: string, account: string, repository: string): string {
  const slash = repository.indexOf('/');
  const region = slash > 0 ? repository.slice(0, slash) : POD_ROLE_PLACEHOLDERS.region;
  const name = slash > 0 ? repository.slice(slash + 1) : repository;
  return `arn:${partition}:ecr:${region}:${account}:repository/${name}`;
}

/** The push policy: the push actions on the named repositories, and the registry login on `*`. */
export function pushPolicy(partition: string, account: string, repositories: readonly string[]): object {
  const names =
    repositories.length === 0 ? [POD_ROLE_PLACEHOLDERS.repository] : [...new Set(repositories)].sort();
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'PushToTheseRepositories',
        Effect: 'Allow',
        Action: [...ECR_PUSH_ACTIONS],
        Resource: names.map((repository) => repositoryArn(partition, account, repository)),
      },
      { Sid: 'RegistryLogin', Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
    ],
  };
}

/** The clusters of the evidence, as region and name, sorted; a placeholder when none is known. */
function clustersOf(evidence: readonly NodeRoleEvidence[]): { region: string; cluster: string }[] {
  const seen = new Map<string, { region: string; cluster: string }>();
  for (const item of evidence) {
    if (item.region === null || item.cluster === null) continue;
    seen.set(`${item.region}/${item.cluster}`, { region: item.region, cluster: item.cluster });
  }
  const clusters = [...seen.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, value]) => value);
  return clusters.length > 0
    ? clusters
    : [{ region: POD_ROLE_PLACEHOLDERS.region, cluster: POD_ROLE_PLACEHOLDERS.cluster }];
}

/** The pod-role path for a node role's push access. */
export function podRolePath(input: PodRoleInput): PodRolePath {
  const account = input.accountId ?? POD_ROLE_PLACEHOLDERS.account;
  const roleName = podRoleName(input.nodeRoleName);
  const roleArn = `arn:${input.partition}:iam::${account}:role/${roleName}`;
  const trustPolicy = podIdentityTrustPolicy();
  const policy = pushPolicy(input.partition, account, input.repositories);
  const namespace = input.namespace ?? POD_ROLE_PLACEHOLDERS.namespace;
  const serviceAccount = input.serviceAccount ?? POD_ROLE_PLACEHOLDERS.serviceAccount;
  const clusters = clustersOf(input.evidence);
  const commands: string[][] = [
    [
      'aws',
      'iam',
      'create-role',
      '--role-name',
      roleName,
      '--assume-role-policy-document',
      JSON.stringify(trustPolicy),
    ],
    [
      'aws',
      'iam',
      'put-role-policy',
      '--role-name',
      roleName,
      '--policy-name',
      PUSH_POLICY_NAME,
      '--policy-document',
      JSON.stringify(policy),
    ],
    ...clusters.map(({ region, cluster }) => [
      'aws',
      'eks',
      'create-pod-identity-association',
      '--region',
      region,
      '--cluster-name',
      cluster,
      '--namespace',
      namespace,
      '--service-account',
      serviceAccount,
      '--role-arn',
      roleArn,
    ]),
  ];
  const text = commands.flat().join(' ');
  const placeholders = Object.values(POD_ROLE_PLACEHOLDERS).filter((placeholder) =>
    text.includes(placeholder),
  );
  return {
    roleName,
    roleArn,
    trustPolicy,
    pushPolicyName: PUSH_POLICY_NAME,
    pushPolicy: policy,
    commands,
    placeholders,
  };
}

/**
 * The pod-role path for a decision that needs one: a violation (push access that belongs to a workload), or a role
 * CloudTrail shows pushing. Scoped to the repositories the usage evidence names. Null otherwise.
 */
export function podRolePathFor(
  decision: Decision,
  context: { readonly partition: string; readonly accountId: string | null },
): PodRolePath | null {
  const roleName = decision.role?.name ?? null;
  const used = decision.usage?.status === 'used';
  if (roleName === null || (decision.verdict !== 'violation' && !used)) return null;
  return podRolePath({
    partition: context.partition,
    accountId: context.accountId,
    nodeRoleName: roleName,
    evidence: decision.nodeRole.evidence,
    repositories: decision.usage?.status === 'used' ? decision.usage.repositories : [],
  });
}

/** The hint the audit's table and SARIF give where push access should go. */
export const POD_ROLE_HINT =
  'If a workload pushes images with this node role, give it its own role through EKS Pod Identity (or IRSA) ' +
  'first: the JSON output (podRole) has the commands, docs/usage-evidence.md explains them.';
