// Runtime configuration: parsed and validated once, at load, from the Lambda environment or a CLI config file.
import { z } from 'zod';
import { ConfigError } from './domain/errors';

export const GUARD_MODES = ['alert', 'remediate'] as const;
export const REPLACEMENT_POLICY_NAMES = [
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
] as const;

export type GuardMode = (typeof GUARD_MODES)[number];
export type ReplacementPolicyName = (typeof REPLACEMENT_POLICY_NAMES)[number];

/** Name of the inline explicit-Deny policy the guard puts on roles whose write grant it cannot swap. */
export const GUARD_POLICY_NAME = 'eks-ecr-guard-deny-ecr-write';

/** Name of the temporary inline policy that keeps pulls allowed while a swap at the quota detaches first. */
export const PULL_BRIDGE_POLICY_NAME = 'eks-ecr-guard-pull-bridge';

const stringList = z.array(z.string().min(1));

const configSchema = z.strictObject({
  mode: z.enum(GUARD_MODES).default('alert'),
  replacementPolicy: z.enum(REPLACEMENT_POLICY_NAMES).default('AmazonEC2ContainerRegistryReadOnly'),
  exemptRoles: stringList.default([]),
  extraPullActions: stringList.default([]),
  eksRegions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'not an AWS region name')).default([]),
  /** Overrides the managed-policies-per-role quota read from the account (GetAccountSummary). */
  managedPolicyQuota: z.number().int().min(1).max(100).nullable().default(null),
  nodeRoleCacheTtlSeconds: z.number().int().min(0).max(86_400).default(300),
  eksConcurrency: z.number().int().min(1).max(32).default(4),
  notifyExempt: z.boolean().default(false),
});

export type GuardConfig = z.infer<typeof configSchema>;

/** Validates a config object (CLI file, tests); the error names each bad key and what it accepts. */
export function parseConfig(
  input: unknown,
  origin = 'config',
  keyNames: Readonly<Record<string, string>> = {},
): GuardConfig {
  const result = configSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const top = path[0] ?? '';
    const key = keyNames[top] ?? (path.join('.') || '(root)');
    return `${origin} key "${key}": ${issue.message}`;
  });
  throw new ConfigError(problems.join('; '));
}

export const defaultConfig = (): GuardConfig => parseConfig({});

/** Environment of the deployed functions (set one variable per value by the CDK stack). */
export interface LambdaSettings {
  readonly config: GuardConfig;
  readonly partition: string;
  readonly accountId: string | null;
  readonly alertTopicArn: string;
  readonly chatTopicArn: string | null;
  readonly idempotencyTableName: string | null;
  readonly guardRoleArn: string | null;
}

type Env = Readonly<Record<string, string | undefined>>;

function jsonListFromEnv(env: Env, name: string): unknown {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new ConfigError(
      `environment variable ${name}: expected a JSON array of strings, got ${raw.slice(0, 80)}`,
    );
  }
}

function numberFromEnv(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new ConfigError(`environment variable ${name}: expected a number, got ${raw}`);
  return value;
}

function booleanFromEnv(env: Env, name: string): boolean | undefined {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`environment variable ${name}: expected true or false, got ${raw}`);
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value.trim() === '')
    throw new ConfigError(`environment variable ${name} is required`);
  return value;
}

function optional(env: Env, name: string): string | null {
  const value = env[name];
  return value === undefined || value.trim() === '' ? null : value;
}

const ENV_NAMES: Readonly<Record<string, string>> = {
  mode: 'GUARD_MODE',
  replacementPolicy: 'REPLACEMENT_POLICY_NAME',
  exemptRoles: 'EXEMPT_ROLES',
  extraPullActions: 'EXTRA_PULL_ACTIONS',
  eksRegions: 'EKS_REGIONS',
  managedPolicyQuota: 'MANAGED_POLICY_QUOTA',
  nodeRoleCacheTtlSeconds: 'NODE_ROLE_CACHE_TTL_SECONDS',
  eksConcurrency: 'EKS_CONCURRENCY',
  notifyExempt: 'NOTIFY_EXEMPT',
};

/** Reads the functions' environment once, at cold start. */
export function settingsFromEnv(env: Env): LambdaSettings {
  const config = parseConfig(
    {
      mode: env.GUARD_MODE || undefined,
      replacementPolicy: env.REPLACEMENT_POLICY_NAME || undefined,
      exemptRoles: jsonListFromEnv(env, 'EXEMPT_ROLES'),
      extraPullActions: jsonListFromEnv(env, 'EXTRA_PULL_ACTIONS'),
      eksRegions: jsonListFromEnv(env, 'EKS_REGIONS'),
      managedPolicyQuota: numberFromEnv(env, 'MANAGED_POLICY_QUOTA'),
      nodeRoleCacheTtlSeconds: numberFromEnv(env, 'NODE_ROLE_CACHE_TTL_SECONDS'),
      eksConcurrency: numberFromEnv(env, 'EKS_CONCURRENCY'),
      notifyExempt: booleanFromEnv(env, 'NOTIFY_EXEMPT'),
    },
    'environment',
    ENV_NAMES,
  );
  const guardRoleArn = optional(env, 'GUARD_ROLE_ARN');
  // Loop safety rests on recognising the guard's own changes: no remediation without knowing its role.
  if (config.mode === 'remediate' && guardRoleArn === null)
    throw new ConfigError('environment variable GUARD_ROLE_ARN is required when GUARD_MODE is remediate');
  return {
    config,
    partition: optional(env, 'GUARD_PARTITION') ?? 'aws',
    accountId: optional(env, 'GUARD_ACCOUNT_ID'),
    alertTopicArn: required(env, 'ALERT_TOPIC_ARN'),
    chatTopicArn: optional(env, 'CHAT_TOPIC_ARN'),
    idempotencyTableName: optional(env, 'IDEMPOTENCY_TABLE_NAME'),
    guardRoleArn,
  };
}
