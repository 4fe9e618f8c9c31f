// Infrastructure (CDK) layer: the IAM statements of the guard functions (reads, and writes in remediate mode).
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import {
  ECR_WRITE_MANAGED_POLICY_NAMES,
  EXEMPT_TAG_KEY,
  type ReplacementPolicyName,
} from '../lambda/contract';

/** `arn:<partition>:iam::aws:policy/<name>` for an AWS managed policy. */
export function awsManagedPolicyArn(name: string): string {
  return `arn:${Aws.PARTITION}:iam::aws:policy/${name}`;
}

/** Every role of this account, whatever its path. */
export const ALL_ROLES_ARN = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:role/*`;

export interface ReadPermissionsOptions {
  /** Regions with EKS clusters to read; empty = every Region (and `account:ListRegions` to find them). */
  readonly eksRegions: readonly string[];
  /** The sweep also reads the whole account at once with GetAccountAuthorizationDetails. */
  readonly includeAccountAuthorizationDetails: boolean;
  /**
   * Read the ECR repository/registry policies and creation templates of the same Regions (the sweep's snapshot).
   * The event function needs none: an ECR event carries the new policy.
   * @default - as includeAccountAuthorizationDetails (the sweep)
   */
  readonly includeEcrResourcePolicies?: boolean;
  /**
   * Read the clusters' EKS Pod Identity associations (the sweep's snapshot: the pod-role KPI). The event function
   * needs none: its node-role inventory does not read them.
   * @default - as includeAccountAuthorizationDetails (the sweep)
   */
  readonly includePodIdentity?: boolean;
}

function readsEcr(options: ReadPermissionsOptions): boolean {
  return options.includeEcrResourcePolicies ?? options.includeAccountAuthorizationDetails;
}

function readsPodIdentity(options: ReadPermissionsOptions): boolean {
  return options.includePodIdentity ?? options.includeAccountAuthorizationDetails;
}

/** Read-only statements: IAM roles and policies, EKS node-role evidence, ECR usage in CloudTrail, enabled Regions. */
export function readStatements(options: ReadPermissionsOptions): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadRoles',
      actions: ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies', 'iam:GetRolePolicy'],
      resources: [ALL_ROLES_ARN],
    }),
    new iam.PolicyStatement({
      sid: 'ReadPolicies',
      actions: ['iam:GetPolicy', 'iam:GetPolicyVersion', 'iam:ListEntitiesForPolicy'],
      resources: [
        `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/*`,
        `arn:${Aws.PARTITION}:iam::aws:policy/*`,
      ],
    }),
    new iam.PolicyStatement({
      // GetAccountSummary (managed-policy quota) and GetAccountAuthorizationDetails have no resource type.
      sid: 'ReadAccountSummary',
      actions: [
        'iam:GetAccountSummary',
        ...(options.includeAccountAuthorizationDetails ? ['iam:GetAccountAuthorizationDetails'] : []),
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      // ListClusters has no resource type: it is what finds the cluster ARNs.
      sid: 'ListEksClusters',
      actions: ['eks:ListClusters'],
      resources: ['*'],
    }),
    ...eksReadStatements(options.eksRegions, { podIdentity: readsPodIdentity(options) }),
    ...(readsEcr(options) ? ecrReadStatements(options.eksRegions) : []),
    new iam.PolicyStatement({
      // Usage evidence before a fix: the node role's recent ECR write calls in Event history. LookupEvents has no
      // resource type (it only accepts "*") and no condition key; it is read-only.
      sid: 'LookUpEcrUsage',
      actions: ['cloudtrail:LookupEvents'],
      resources: ['*'],
    }),
    ...(options.eksRegions.length === 0
      ? [
          new iam.PolicyStatement({
            sid: 'ListEnabledRegions',
            actions: ['account:ListRegions'],
            resources: [`arn:${Aws.PARTITION}:account::${Aws.ACCOUNT_ID}:account`],
          }),
        ]
      : []),
  ];
}

/** The EKS resource types `eksReadStatements` reads, each as a wildcard (clusters are found at run time). */
export function eksReadResources(options: { readonly podIdentity: boolean }): readonly string[] {
  return [
    'cluster/*',
    'nodegroup/*',
    'access-entry/*',
    'fargateprofile/*',
    ...(options.podIdentity ? ['podidentityassociation/*'] : []),
  ];
}

/**
 * The EKS reads of the node-role inventory; with `podIdentity` also the Pod Identity associations (the list on the
 * cluster, the describe on the association: the summaries carry no role).
 */
export function eksReadStatements(
  eksRegions: readonly string[],
  options: { readonly podIdentity: boolean },
): iam.PolicyStatement[] {
  const regions = eksRegions.length > 0 ? eksRegions : ['*'];
  const eksArns = (resource: string) =>
    regions.map((region) => `arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:${resource}`);
  return [
    new iam.PolicyStatement({
      sid: 'ReadEksClusters',
      actions: [
        'eks:DescribeCluster',
        'eks:ListNodegroups',
        'eks:ListAccessEntries',
        'eks:ListFargateProfiles',
        ...(options.podIdentity ? ['eks:ListPodIdentityAssociations'] : []),
      ],
      resources: eksArns('cluster/*'),
    }),
    new iam.PolicyStatement({
      sid: 'ReadEksNodegroups',
      actions: ['eks:DescribeNodegroup'],
      resources: eksArns('nodegroup/*'),
    }),
    new iam.PolicyStatement({
      sid: 'ReadEksAccessEntries',
      actions: ['eks:DescribeAccessEntry'],
      resources: eksArns('access-entry/*'),
    }),
    new iam.PolicyStatement({
      sid: 'ReadEksFargateProfiles',
      actions: ['eks:DescribeFargateProfile'],
      resources: eksArns('fargateprofile/*'),
    }),
    ...(options.podIdentity
      ? [
          new iam.PolicyStatement({
            sid: 'ReadEksPodIdentityAssociations',
            actions: ['eks:DescribePodIdentityAssociation'],
            resources: eksArns('podidentityassociation/*'),
          }),
        ]
      : []),
  ];
}

/** ECR resource policies: the repository reads on repositories, the registry-wide reads on `*` (no resource type). */
export function ecrReadStatements(regions: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ReadEcrRepositoryPolicies',
      actions: ['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy'],
      resources: ecrRepositoryArns(regions),
    }),
    new iam.PolicyStatement({
      // GetRegistryPolicy and DescribeRepositoryCreationTemplates have no resource type in IAM.
      sid: 'ReadEcrRegistryPolicies',
      actions: ['ecr:GetRegistryPolicy', 'ecr:DescribeRepositoryCreationTemplates'],
      resources: ['*'],
    }),
  ];
}

function ecrRepositoryArns(eksRegions: readonly string[]): string[] {
  const regions = eksRegions.length > 0 ? eksRegions : ['*'];
  return regions.map((region) => `arn:${Aws.PARTITION}:ecr:${region}:${Aws.ACCOUNT_ID}:repository/*`);
}

/** The repository-wide resource of `ecrReadStatements`, acknowledged with why. */
export function acknowledgeEcrReadFindings(scope: IConstruct, eksRegions: readonly string[]): void {
  for (const resource of ecrRepositoryArns(eksRegions)) {
    Validations.of(scope).acknowledge({
      id: wildcardResourceFinding(resource),
      reason:
        'Any repository may hold a policy that grants a node role ECR write; the guard reads (Describe/Get) the policies of every repository of the configured Regions, nothing else.',
    });
  }
}

/** Never write to a role tagged exempt: the tag must be absent. */
const NOT_TAGGED_EXEMPT = { Null: { [`aws:ResourceTag/${EXEMPT_TAG_KEY}`]: 'true' } };

/**
 * Remediate-mode statements. Each can change IAM, so each is pinned: managed-policy writes by
 * `iam:PolicyARN`, every write to roles not tagged exempt.
 */
export function remediationStatements(replacementPolicy: ReplacementPolicyName): iam.PolicyStatement[] {
  const replacementArn = awsManagedPolicyArn(replacementPolicy);
  const writePolicyArns = ECR_WRITE_MANAGED_POLICY_NAMES.map(awsManagedPolicyArn);
  return [
    new iam.PolicyStatement({
      sid: 'AttachReplacementPullPolicy',
      actions: ['iam:AttachRolePolicy'],
      resources: [ALL_ROLES_ARN],
      conditions: { ArnEquals: { 'iam:PolicyARN': replacementArn }, ...NOT_TAGGED_EXEMPT },
    }),
    new iam.PolicyStatement({
      // Only the known ECR write policies. The guard never attaches one back, not even to undo a failed run: it
      // must not hold the very permission it takes away (a failed run stops where pulls still work, reported).
      sid: 'DetachEcrWritePolicies',
      actions: ['iam:DetachRolePolicy'],
      resources: [ALL_ROLES_ARN],
      conditions: { ArnEquals: { 'iam:PolicyARN': writePolicyArns }, ...NOT_TAGGED_EXEMPT },
    }),
    new iam.PolicyStatement({
      // The guard's explicit deny and the temporary pull bridge (put, then deleted). IAM has no condition key for
      // the inline policy's name or content, so this is the one write only the exempt tag narrows.
      sid: 'RewriteInlineRolePolicies',
      actions: ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'],
      resources: [ALL_ROLES_ARN],
      conditions: NOT_TAGGED_EXEMPT,
    }),
  ];
}

/**
 * Security Hub statements (opt-in `securityHub`): import into this account's own default product only (the
 * product resource, and `securityhub:TargetAccount` pinned to this account), and read findings back from this
 * account's hub (GetFindings' optional resource type `hub`). Neither can change IAM; no wildcard resource.
 */
export function securityHubStatements(): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ImportOwnSecurityHubFindings',
      actions: ['securityhub:BatchImportFindings'],
      resources: [
        `arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:product/${Aws.ACCOUNT_ID}/default`,
      ],
      conditions: { StringEquals: { 'securityhub:TargetAccount': Aws.ACCOUNT_ID } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadOwnSecurityHubFindings',
      actions: ['securityhub:GetFindings'],
      resources: [`arn:${Aws.PARTITION}:securityhub:${Aws.REGION}:${Aws.ACCOUNT_ID}:hub/default`],
    }),
  ];
}

/** The finding id cdk-nag gives a wildcard resource, e.g. `arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*`. */
export function wildcardResourceFinding(resource: string): string {
  const rendered = resource
    .replace(Aws.PARTITION, '<AWS::Partition>')
    .replace(Aws.ACCOUNT_ID, '<AWS::AccountId>');
  return `AwsSolutions-IAM5[Resource::${rendered}]`;
}

/** cdk-nag acknowledgements for the wildcards in readStatements, each with the reason it cannot be narrower. */
export function acknowledgeReadFindings(scope: IConstruct, options: ReadPermissionsOptions): void {
  const validations = Validations.of(scope);
  validations.acknowledge(
    {
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iam:GetAccountSummary, iam:GetAccountAuthorizationDetails, eks:ListClusters, cloudtrail:LookupEvents, ecr:GetRegistryPolicy and ecr:DescribeRepositoryCreationTemplates have no resource type in IAM; they only accept "*". All are read-only.',
    },
    {
      id: wildcardResourceFinding(ALL_ROLES_ARN),
      reason:
        'Which roles are EKS node roles is only known at run time (node groups, access entries, Fargate profiles, changed role); the guard reads (Get/List) any role of this account, nothing else.',
    },
    {
      id: wildcardResourceFinding(`arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:policy/*`),
      reason:
        'A node role may have any customer managed policy attached; each must be read to find ECR write grants.',
    },
    {
      id: wildcardResourceFinding(`arn:${Aws.PARTITION}:iam::aws:policy/*`),
      reason:
        'A node role may have any AWS managed policy attached; each must be read to find ECR write grants.',
    },
  );
  if (readsEcr(options)) acknowledgeEcrReadFindings(scope, options.eksRegions);
  const regions = options.eksRegions.length > 0 ? options.eksRegions : ['*'];
  for (const region of regions) {
    for (const resource of eksReadResources({ podIdentity: readsPodIdentity(options) })) {
      validations.acknowledge({
        id: wildcardResourceFinding(`arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:${resource}`),
        reason:
          'Clusters are discovered at run time with eks:ListClusters in each configured Region; the Describe/List reads must work on any of them. Read-only.',
      });
    }
  }
}

/** cdk-nag acknowledgements for the wildcards in remediationStatements. */
export function acknowledgeRemediationFindings(scope: IConstruct): void {
  Validations.of(scope).acknowledge({
    id: wildcardResourceFinding(ALL_ROLES_ARN),
    reason:
      'Remediation targets the node role found at run time. Each write statement is pinned by iam:PolicyARN (managed policies) and by a Null condition on the exempt tag; see the statement ids.',
  });
}
