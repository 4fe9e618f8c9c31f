// Guardrails (pure): what the policy builders take, with the write policies and write actions they act on.

import { ECR_WRITE_MANAGED_POLICY_NAMES } from '../contract';
import { WRITE_ACTIONS } from '../domain/catalogue';

export interface GuardrailOptions {
  /** `aws`, `aws-cn`, `aws-us-gov`...: every ARN the policies write uses it. */
  readonly partition: string;
  /** Write-level actions nodes keep (see `pullAllowance` in lambda/domain/catalogue). */
  readonly pullAllowance: ReadonlySet<string>;
}

export interface NodeRoleTag {
  readonly key: string;
  readonly value: string;
}

export interface ScpOptions extends GuardrailOptions {
  /** Role-name wildcards (or role ARN wildcards) of node roles. */
  readonly nodeRolePatterns: readonly string[];
  /** A tag every node role carries, or null. */
  readonly nodeRoleTag: NodeRoleTag | null;
  /** Principal ARNs (wildcards allowed) no statement applies to: the guard's remediator, EC2 CI runners. */
  readonly exemptPrincipals: readonly string[];
}

export interface BoundaryOptions extends GuardrailOptions {
  /** Keep Session Manager / Systems Manager (AmazonSSMManagedInstanceCore) on the nodes. */
  readonly ssmCore: boolean;
  /** More actions the nodes need (e.g. a CloudWatch agent's); an ECR write here fails the check. */
  readonly extraActions: readonly string[];
}

/** The AWS managed policies whose attachment to a node role the SCP denies: the ECR writers and the two admins. */
export const WRITE_POLICY_NAMES: readonly string[] = Object.freeze([
  ...ECR_WRITE_MANAGED_POLICY_NAMES,
  'AdministratorAccess',
  'PowerUserAccess',
]);

/** The pull-through cache import: a write-level action every node pull may need, never denied. */
export const PULL_THROUGH_IMPORT = 'ecr:BatchImportUpstreamImage';

/** ECR and ECR Public write-level actions minus the pull allowance (and never the pull-through import). */
export function ecrWritesToDeny(pullAllowance: ReadonlySet<string>): string[] {
  return WRITE_ACTIONS.filter((action) => !pullAllowance.has(action) && action !== PULL_THROUGH_IMPORT);
}
