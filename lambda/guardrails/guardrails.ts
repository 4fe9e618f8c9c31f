// Guardrails (pure): one entry for the CLI: build the SCP or the boundary, check it with the analyser, and
// describe where it goes and what it breaks. A policy that fails its check comes back with the problems only.
import { buildBoundary } from './boundary';
import { checkBoundary, checkScp } from './check';
import type { BoundaryOptions, ScpOptions } from './options';
import { MANAGED_POLICY_MAX_CHARS, type PolicyDocument, policySize, SCP_MAX_CHARS } from './policy';
import { buildScp } from './scp';

export type GuardrailKind = 'scp' | 'boundary';

export type GuardrailResult =
  | {
      readonly ok: true;
      readonly kind: GuardrailKind;
      readonly document: PolicyDocument;
      /** Size as checked (see `policySize`), and the limit. */
      readonly size: { readonly used: number; readonly limit: number };
      readonly description: readonly string[];
    }
  | { readonly ok: false; readonly kind: GuardrailKind; readonly problems: readonly string[] };

const CONDITION_KEYS_DOC =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html';

function scpDescription(options: ScpOptions): string[] {
  return [
    'Service control policy: attach it in AWS Organizations to the root or to the OUs whose accounts run EKS',
    '(organizations create-policy --type SERVICE_CONTROL_POLICY, then attach-policy). It denies:',
    '- attaching AmazonEC2ContainerRegistryFullAccess / PowerUser, AmazonElasticContainerRegistryPublicFullAccess,',
    '  AdministratorAccess or PowerUserAccess to a node role (iam:AttachRolePolicy, condition iam:PolicyARN);',
    '- putting any inline policy on a node role (iam:PutRolePolicy cannot be conditioned on the policy text);',
    '- ECR and ECR Public write actions to any principal using EC2 instance-profile credentials',
    `  (Null ec2:SourceInstanceARN = false; see the IAM global condition context keys, ${CONDITION_KEYS_DOC}).`,
    `Node roles: ${options.nodeRolePatterns.length} name pattern(s)${options.nodeRoleTag === null ? '' : `, tag ${options.nodeRoleTag.key}=${options.nodeRoleTag.value}`}.`,
    options.exemptPrincipals.length === 0
      ? 'No exempt principal: give the guard remediator and EC2 CI runners that must push with --exempt-principal.'
      : `Exempt (aws:PrincipalArn): ${options.exemptPrincipals.join(', ')}.`,
    'Breaks on purpose: CI runners on EC2 that push with their instance profile, and any push from a node.',
    'Image pulls, the pull-through cache import and eks-auth:AssumeRoleForPodIdentity are never denied.',
  ];
}

function boundaryDescription(options: BoundaryOptions): string[] {
  return [
    'Permissions boundary for EKS node roles: create it as a customer managed policy and set it as the',
    'PermissionsBoundary of each node role (eksctl, CDK and Terraform can set it: see docs/guardrails.md).',
    'It allows the EKS worker node and VPC CNI actions, image pulls and the pull-through cache import,',
    `eks-auth:AssumeRoleForPodIdentity${options.ssmCore ? ', Session Manager (AmazonSSMManagedInstanceCore)' : ''}${options.extraActions.length > 0 ? ` and ${options.extraActions.length} extra action(s)` : ''},`,
    'and no ECR write; an explicit Deny of ECR writes also stops repository and registry policy grants that',
    'name a node role session (a boundary alone only limits grants naming the role ARN).',
    'Breaks on purpose: any push from a node; node add-ons using the node role for anything not listed.',
  ];
}

/** The SCP, checked; the problems instead when the check fails. */
export function generateScp(options: ScpOptions): GuardrailResult {
  const document = buildScp(options);
  const problems = checkScp(document, options);
  if (problems.length > 0) return { ok: false, kind: 'scp', problems };
  const size = { used: policySize(document), limit: SCP_MAX_CHARS };
  return { ok: true, kind: 'scp', document, size, description: scpDescription(options) };
}

/** The node-role permissions boundary, checked; the problems instead when the check fails. */
export function generateBoundary(options: BoundaryOptions): GuardrailResult {
  const document = buildBoundary(options);
  const problems = checkBoundary(document, options);
  if (problems.length > 0) return { ok: false, kind: 'boundary', problems };
  const size = { used: policySize(document), limit: MANAGED_POLICY_MAX_CHARS };
  return { ok: true, kind: 'boundary', document, size, description: boundaryDescription(options) };
}
