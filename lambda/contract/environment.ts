// Contract (shared by the CDK app and the runtime): the functions' environment. The construct writes it with
// `configEnvironment` (and the bind methods, by these names); the runtime reads it with `readEnvironment`.
import { type GuardConfig, type GuardConfigInput, type Validated, validateGuardConfig } from './config';
import { METRICS_NAMESPACE } from './metrics';
import { SERVICE_NAME } from './names';

/** Every variable the runtime reads, by the setting it carries. */
export const ENV = {
  mode: 'GUARD_MODE',
  replacementPolicy: 'REPLACEMENT_POLICY_NAME',
  exemptRoles: 'EXEMPT_ROLES',
  extraPullActions: 'EXTRA_PULL_ACTIONS',
  eksRegions: 'EKS_REGIONS',
  managedPolicyQuota: 'MANAGED_POLICY_QUOTA',
  nodeRoleCacheTtlSeconds: 'NODE_ROLE_CACHE_TTL_SECONDS',
  eksConcurrency: 'EKS_CONCURRENCY',
  notifyExempt: 'NOTIFY_EXEMPT',
  digestWhenClean: 'DIGEST_WHEN_CLEAN',
  usageWindowDays: 'USAGE_WINDOW_DAYS',
  usageLookupBudgetSeconds: 'USAGE_LOOKUP_BUDGET_SECONDS',
  fixWhenUsageUnknown: 'FIX_WHEN_USAGE_UNKNOWN',
  securityHub: 'SECURITY_HUB_FINDINGS',
  ownerTagKeys: 'OWNER_TAG_KEYS',
  partition: 'GUARD_PARTITION',
  accountId: 'GUARD_ACCOUNT_ID',
  alertTopicArn: 'ALERT_TOPIC_ARN',
  chatTopicArn: 'CHAT_TOPIC_ARN',
  /** The organization's central alert topic (another account, maybe another Region); empty or unset = none. */
  centralAlertTopicArn: 'CENTRAL_ALERT_TOPIC_ARN',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  guardRoleArn: 'GUARD_ROLE_ARN',
  /** Set by Lambda itself (never written by the construct): the Region whose Security Hub gets the findings. */
  region: 'AWS_REGION',
} as const;

export type EnvironmentVariable = (typeof ENV)[keyof typeof ENV];

/** Variables read by Powertools and Node.js rather than by the guard's code, with the values the guard sets. */
export const RUNTIME_ENVIRONMENT = {
  POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
  POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
} as const;

/** What the deployed functions know about themselves, read once at cold start. */
export interface LambdaSettings {
  readonly config: GuardConfig;
  readonly partition: string;
  readonly accountId: string | null;
  readonly alertTopicArn: string;
  readonly chatTopicArn: string | null;
  /** The organization's central alert topic (docs/organizations.md "Central alerts"); null or absent = none. */
  readonly centralAlertTopicArn?: string | null;
  readonly idempotencyTableName: string | null;
  readonly guardRoleArn: string | null;
  /** The function's Region (Lambda's `AWS_REGION`); null or absent when unset. */
  readonly region?: string | null;
}

/** The settings the construct writes as values (resource names are written by the bind methods). */
export interface ConfigEnvironmentInput {
  readonly config: Pick<
    GuardConfigInput,
    | 'mode'
    | 'replacementPolicy'
    | 'exemptRoles'
    | 'extraPullActions'
    | 'eksRegions'
    | 'nodeRoleCacheTtlSeconds'
    | 'notifyExempt'
    | 'digestWhenClean'
    | 'usageWindowDays'
    | 'usageLookupBudgetSeconds'
    | 'fixWhenUsageUnknown'
    | 'securityHub'
    | 'ownerTagKeys'
  >;
  /** May be a deploy-time token (`AWS::Partition`). */
  readonly partition: string;
  /** May be a deploy-time token (`AWS::AccountId`). */
  readonly accountId: string;
}

/** The config keys named by their variable, for validation messages. */
const CONFIG_KEY_NAMES: Readonly<Record<string, string>> = {
  mode: ENV.mode,
  replacementPolicy: ENV.replacementPolicy,
  exemptRoles: ENV.exemptRoles,
  extraPullActions: ENV.extraPullActions,
  eksRegions: ENV.eksRegions,
  managedPolicyQuota: ENV.managedPolicyQuota,
  nodeRoleCacheTtlSeconds: ENV.nodeRoleCacheTtlSeconds,
  eksConcurrency: ENV.eksConcurrency,
  notifyExempt: ENV.notifyExempt,
  digestWhenClean: ENV.digestWhenClean,
  usageWindowDays: ENV.usageWindowDays,
  usageLookupBudgetSeconds: ENV.usageLookupBudgetSeconds,
  fixWhenUsageUnknown: ENV.fixWhenUsageUnknown,
  securityHub: ENV.securityHub,
  ownerTagKeys: ENV.ownerTagKeys,
};

/**
 * The writer: one variable per setting (lists JSON-encoded), after the same validation the reader applies,
 * so a stack never deploys an environment its functions would refuse.
 */
export function configEnvironment(
  input: ConfigEnvironmentInput,
): Validated<Readonly<Partial<Record<EnvironmentVariable, string>>>> {
  const checked = validateGuardConfig(input.config, 'environment', CONFIG_KEY_NAMES);
  if (!checked.ok) return checked;
  const config = checked.value;
  return {
    ok: true,
    value: {
      [ENV.mode]: config.mode,
      [ENV.replacementPolicy]: config.replacementPolicy,
      [ENV.partition]: input.partition,
      [ENV.accountId]: input.accountId,
      [ENV.exemptRoles]: JSON.stringify(config.exemptRoles),
      [ENV.eksRegions]: JSON.stringify(config.eksRegions),
      [ENV.extraPullActions]: JSON.stringify(config.extraPullActions),
      [ENV.nodeRoleCacheTtlSeconds]: String(config.nodeRoleCacheTtlSeconds),
      [ENV.notifyExempt]: String(config.notifyExempt),
      [ENV.digestWhenClean]: String(config.digestWhenClean),
      [ENV.usageWindowDays]: String(config.usageWindowDays),
      [ENV.usageLookupBudgetSeconds]: String(config.usageLookupBudgetSeconds),
      [ENV.fixWhenUsageUnknown]: String(config.fixWhenUsageUnknown),
      [ENV.securityHub]: String(config.securityHub),
      [ENV.ownerTagKeys]: JSON.stringify(config.ownerTagKeys),
    },
  };
}

type Env = Readonly<Record<string, string | undefined>>;

/** A variable that cannot be read; caught in `readEnvironment` and returned as its problem. */
class UnreadableVariable extends Error {}

const present = (env: Env, name: EnvironmentVariable): string | undefined => {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw;
};

function jsonList(env: Env, name: EnvironmentVariable): unknown {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    throw new UnreadableVariable(
      `environment variable ${name}: expected a JSON array of strings, got ${raw.slice(0, 80)}`,
    );
  }
}

function number(env: Env, name: EnvironmentVariable): number | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value))
    throw new UnreadableVariable(`environment variable ${name}: expected a number, got ${raw}`);
  return value;
}

function boolean(env: Env, name: EnvironmentVariable): boolean | undefined {
  const raw = present(env, name);
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new UnreadableVariable(`environment variable ${name}: expected true or false, got ${raw}`);
}

function required(env: Env, name: EnvironmentVariable): string {
  const value = present(env, name);
  if (value === undefined) throw new UnreadableVariable(`environment variable ${name} is required`);
  return value;
}

const optional = (env: Env, name: EnvironmentVariable): string | null => present(env, name) ?? null;

/** A choice as set: only an unset or empty variable means "the default" (blanks are a bad value). */
const choice = (env: Env, name: EnvironmentVariable): string | undefined => env[name] || undefined;

/** `false` is written as text; the schema judges every other value. */
function digestSchedule(env: Env, name: EnvironmentVariable): string | false | undefined {
  const raw = choice(env, name);
  return raw === 'false' ? false : raw;
}

/** The reader: the functions' environment, decoded and validated (the first bad variable is named). */
export function readEnvironment(env: Env): Validated<LambdaSettings> {
  try {
    return { ok: true, value: read(env) };
  } catch (error) {
    if (error instanceof UnreadableVariable) return { ok: false, problems: [error.message] };
    throw error;
  }
}

function read(env: Env): LambdaSettings {
  const checked = validateGuardConfig(
    {
      mode: choice(env, ENV.mode),
      replacementPolicy: choice(env, ENV.replacementPolicy),
      exemptRoles: jsonList(env, ENV.exemptRoles),
      extraPullActions: jsonList(env, ENV.extraPullActions),
      eksRegions: jsonList(env, ENV.eksRegions),
      managedPolicyQuota: number(env, ENV.managedPolicyQuota),
      nodeRoleCacheTtlSeconds: number(env, ENV.nodeRoleCacheTtlSeconds),
      eksConcurrency: number(env, ENV.eksConcurrency),
      notifyExempt: boolean(env, ENV.notifyExempt),
      digestWhenClean: digestSchedule(env, ENV.digestWhenClean),
      usageWindowDays: number(env, ENV.usageWindowDays),
      usageLookupBudgetSeconds: number(env, ENV.usageLookupBudgetSeconds),
      fixWhenUsageUnknown: boolean(env, ENV.fixWhenUsageUnknown),
      securityHub: boolean(env, ENV.securityHub),
      ownerTagKeys: jsonList(env, ENV.ownerTagKeys),
    },
    'environment',
    CONFIG_KEY_NAMES,
  );
  if (!checked.ok) throw new UnreadableVariable(checked.problems.join('; '));
  const config = checked.value;
  const guardRoleArn = optional(env, ENV.guardRoleArn);
  // Loop safety rests on recognising the guard's own changes: no remediation without knowing its role.
  if (config.mode === 'remediate' && guardRoleArn === null)
    throw new UnreadableVariable(
      `environment variable ${ENV.guardRoleArn} is required when ${ENV.mode} is remediate`,
    );
  return {
    config,
    partition: optional(env, ENV.partition) ?? 'aws',
    accountId: optional(env, ENV.accountId),
    alertTopicArn: required(env, ENV.alertTopicArn),
    chatTopicArn: optional(env, ENV.chatTopicArn),
    centralAlertTopicArn: optional(env, ENV.centralAlertTopicArn),
    idempotencyTableName: optional(env, ENV.idempotencyTableName),
    guardRoleArn,
    region: optional(env, ENV.region),
  };
}
