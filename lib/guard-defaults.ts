// Infrastructure (CDK) layer: the one table of default settings, shared by the config parser and the construct.

/** What the guard does with a violation. `alert` never changes IAM. */
export type GuardMode = 'alert' | 'remediate';
export const GUARD_MODES: readonly GuardMode[] = ['alert', 'remediate'];

/** AWS managed pull-only policies the guard may attach in place of a write policy. */
export type ReplacementPolicyName =
  | 'AmazonEC2ContainerRegistryReadOnly'
  | 'AmazonEC2ContainerRegistryPullOnly';
export const REPLACEMENT_POLICY_NAMES: readonly ReplacementPolicyName[] = [
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
];

/** AWS managed policies that let a role write to ECR; the only ones remediation may detach. */
export const KNOWN_ECR_WRITE_POLICY_NAMES = [
  'AmazonEC2ContainerRegistryFullAccess',
  'AmazonEC2ContainerRegistryPowerUser',
  'AmazonElasticContainerRegistryPublicFullAccess',
] as const;

/** Retention periods (days) CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** Tag that marks a role the guard must never change (enforced by IAM conditions, not only by code). */
export const EXEMPT_TAG_KEY = 'eks-ecr-guard:exempt';

/** Powertools service name; also the single metric dimension `service`. */
export const SERVICE_NAME = 'eks-ecr-guard';
export const METRICS_NAMESPACE = 'EksEcrGuard';

export const GUARD_DEFAULTS = {
  mode: 'alert',
  replacementPolicy: 'AmazonEC2ContainerRegistryReadOnly',
  sweepSchedule: 'cron(0 6 * * ? *)',
  logRetentionDays: 90,
  createTrail: false,
  notifyExempt: false,
  nodeRoleCacheTtlSeconds: 300,
} as const satisfies {
  readonly mode: GuardMode;
  readonly replacementPolicy: ReplacementPolicyName;
  readonly sweepSchedule: string;
  readonly logRetentionDays: LogRetentionDays;
  readonly createTrail: boolean;
  readonly notifyExempt: boolean;
  readonly nodeRoleCacheTtlSeconds: number;
};

/** Upper bound for the node-role cache TTL (one day), the same bound the runtime config enforces. */
export const MAX_NODE_ROLE_CACHE_TTL_SECONDS = 86_400;
