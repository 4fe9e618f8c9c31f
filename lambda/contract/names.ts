// Contract (shared by the CDK app and the runtime): the names the guard writes into an account and the AWS
// managed policy lists both the remediation code and the IAM conditions rely on. No imports.

/** Powertools service name: the `service` dimension of every metric and the log key. */
export const SERVICE_NAME = 'eks-ecr-guard';

/** What the guard does with a violation. `alert` never changes IAM. */
export const GUARD_MODES = ['alert', 'remediate'] as const;
export type GuardMode = (typeof GUARD_MODES)[number];

/**
 * AWS managed pull-only policies: the ones a node role may keep (or receive) instead of a write policy, and
 * the only ones remediation may attach (the IAM condition of the attach statement names the chosen one).
 */
export const PULL_MANAGED_POLICY_NAMES = [
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
] as const;
export type ReplacementPolicyName = (typeof PULL_MANAGED_POLICY_NAMES)[number];
/** The replacement is chosen among the pull policies. */
export const REPLACEMENT_POLICY_NAMES: readonly ReplacementPolicyName[] = PULL_MANAGED_POLICY_NAMES;

/**
 * AWS managed policies that grant ECR (or ECR Public) write actions on their own: the plan swaps them for the
 * replacement, and the detach statement's `iam:PolicyARN` condition allows exactly these.
 */
export const ECR_WRITE_MANAGED_POLICY_NAMES = [
  'AmazonEC2ContainerRegistryFullAccess',
  'AmazonEC2ContainerRegistryPowerUser',
  'AmazonElasticContainerRegistryPublicFullAccess',
] as const;

/** Name of the inline explicit-Deny policy the guard puts on roles whose write grant it cannot swap. */
export const GUARD_POLICY_NAME = 'eks-ecr-guard-deny-ecr-write';

/** Name of the temporary inline policy that keeps pulls allowed while a swap at the quota detaches first. */
export const PULL_BRIDGE_POLICY_NAME = 'eks-ecr-guard-pull-bridge';

/**
 * The role tag that exempts a role (value: a reason, optionally `until=YYYY-MM-DD`). The runtime honours it,
 * and every IAM write statement of the guard requires it to be absent.
 */
export const EXEMPT_TAG_KEY = 'eks-ecr-guard:exempt';

/** CloudTrail's event source of Amazon ECR API calls (the usage-evidence lookup attribute). */
export const ECR_EVENT_SOURCE = 'ecr.amazonaws.com';
