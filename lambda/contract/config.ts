// Contract (shared by the CDK app and the runtime): the guard settings both sides accept, validated by one
// schema: the construct validates what it writes at synth, the runtime what it reads at cold start.
import { z } from 'zod';
import { GUARD_MODES, PULL_MANAGED_POLICY_NAMES } from './names';

/** AWS Region codes such as `us-east-1` or `eu-west-1`. */
export const AWS_REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Bounds of the node-role cache TTL in seconds (up to one day). */
export const NODE_ROLE_CACHE_TTL_LIMITS = { min: 0, max: 86_400 } as const;

/**
 * When the sweep publishes a short "all clean" digest although nothing needs a person (silence never means "not
 * running"): every sweep, the sweep of one weekday (`CLEAN_DIGEST_WEEKDAY`), or never (`false`).
 */
export const DIGEST_WHEN_CLEAN_CHOICES = ['daily', 'weekly', false] as const;
export type DigestWhenClean = (typeof DIGEST_WHEN_CLEAN_CHOICES)[number];
/** The weekday (UTC, 0 = Sunday) of the weekly clean digest: Monday, so the week starts with proof of life. */
export const CLEAN_DIGEST_WEEKDAY = 1;

/**
 * Days without a single event-function invocation before the silence alarm fires (0 = no alarm). At most 7:
 * CloudWatch refuses an alarm whose period times evaluation periods exceeds 7 days (604,800 s; PutMetricAlarm).
 */
export const SILENCE_ALARM_DAYS_LIMITS = { min: 0, max: 7 } as const;
export const SILENCE_ALARM_DAYS_DEFAULT = 7;
/** Bounds of the CloudTrail usage-evidence window in days (LookupEvents keeps 90 days). */
export const USAGE_WINDOW_DAYS_LIMITS = { min: 1, max: 90 } as const;

/** Bounds of the time the usage lookup may take per role, in seconds (the event function times out at 60 s). */
export const USAGE_LOOKUP_BUDGET_LIMITS = { min: 1, max: 45 } as const;

/** Tag keys that name a node role's owner, in order of preference (the first one found wins). */
export const OWNER_TAG_KEYS_DEFAULT = ['owner', 'team'] as const;
/** At most this many owner tag keys (each one is looked up on the role, its node groups and its clusters). */
export const MAX_OWNER_TAG_KEYS = 10;
/** An IAM/EKS tag key: 1 to 128 letters, digits, spaces and `_ . : / = + - @` (IAM `Tag.Key`). */
export const TAG_KEY_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;

/** Defaults of the shared settings (the CDK app and the CLI start from the same ones). */
export const GUARD_CONFIG_DEFAULTS = {
  mode: 'alert',
  replacementPolicy: 'AmazonEC2ContainerRegistryReadOnly',
  nodeRoleCacheTtlSeconds: 300,
  eksConcurrency: 4,
  notifyExempt: false,
  digestWhenClean: 'weekly',
  usageWindowDays: 14,
  usageLookupBudgetSeconds: 20,
  fixWhenUsageUnknown: false,
  securityHub: false,
} as const satisfies { readonly digestWhenClean: DigestWhenClean } & Record<string, unknown>;

const stringList = z.array(z.string().min(1));

const guardConfigSchema = z.strictObject({
  mode: z.enum(GUARD_MODES).default(GUARD_CONFIG_DEFAULTS.mode),
  replacementPolicy: z.enum(PULL_MANAGED_POLICY_NAMES).default(GUARD_CONFIG_DEFAULTS.replacementPolicy),
  exemptRoles: stringList.default([]),
  extraPullActions: stringList.default([]),
  eksRegions: z.array(z.string().regex(AWS_REGION_PATTERN, 'not an AWS region name')).default([]),
  /** Overrides the managed-policies-per-role quota read from the account (GetAccountSummary). */
  managedPolicyQuota: z.number().int().min(1).max(100).nullable().default(null),
  nodeRoleCacheTtlSeconds: z
    .number()
    .int()
    .min(NODE_ROLE_CACHE_TTL_LIMITS.min)
    .max(NODE_ROLE_CACHE_TTL_LIMITS.max)
    .default(GUARD_CONFIG_DEFAULTS.nodeRoleCacheTtlSeconds),
  eksConcurrency: z.number().int().min(1).max(32).default(GUARD_CONFIG_DEFAULTS.eksConcurrency),
  notifyExempt: z.boolean().default(GUARD_CONFIG_DEFAULTS.notifyExempt),
  digestWhenClean: z
    .union([z.enum(['daily', 'weekly']), z.literal(false)], {
      error: 'expected daily, weekly or false',
    })
    .default(GUARD_CONFIG_DEFAULTS.digestWhenClean),
  /** How far back the CloudTrail lookup of the role's ECR writes goes before a fix. */
  usageWindowDays: z
    .number()
    .int()
    .min(USAGE_WINDOW_DAYS_LIMITS.min)
    .max(USAGE_WINDOW_DAYS_LIMITS.max)
    .default(GUARD_CONFIG_DEFAULTS.usageWindowDays),
  /** The time the usage lookup of one role may take; past it the usage is `unknown`. */
  usageLookupBudgetSeconds: z
    .number()
    .int()
    .min(USAGE_LOOKUP_BUDGET_LIMITS.min)
    .max(USAGE_LOOKUP_BUDGET_LIMITS.max)
    .default(GUARD_CONFIG_DEFAULTS.usageLookupBudgetSeconds),
  /** Fix a role whose usage could not be looked up (default: hold the fix and say why). */
  fixWhenUsageUnknown: z.boolean().default(GUARD_CONFIG_DEFAULTS.fixWhenUsageUnknown),
  /** Import each node-role decision into the account's own Security Hub as an ASFF finding (docs/security-hub.md). */
  securityHub: z.boolean().default(GUARD_CONFIG_DEFAULTS.securityHub),
  /** Tag keys that name a node role's owner (role, else node group, else cluster), first match wins. */
  ownerTagKeys: z
    .array(
      z.string().regex(TAG_KEY_PATTERN, 'not a tag key (1-128 letters, digits, spaces, _ . : / = + - @)'),
    )
    .min(1)
    .max(MAX_OWNER_TAG_KEYS)
    .default([...OWNER_TAG_KEYS_DEFAULT]),
});

/** The validated settings of the guard's runtime (Lambda functions and CLI), defaults applied. */
export type GuardConfig = z.infer<typeof guardConfigSchema>;
/** What a caller may give: every key optional. */
export type GuardConfigInput = z.input<typeof guardConfigSchema>;

/** The outcome of a validation: the value, or one message per bad key. */
export type Validated<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates a config object. Each problem names the key as `origin key "<name>"`, the name taken from
 * `keyNames` when given (an environment variable name), else the key's path.
 */
export function validateGuardConfig(
  input: unknown,
  origin = 'config',
  keyNames: Readonly<Record<string, string>> = {},
): Validated<GuardConfig> {
  const result = guardConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, value: result.data };
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const top = path[0] ?? '';
    const key = keyNames[top] ?? (path.join('.') || '(root)');
    return `${origin} key "${key}": ${issue.message}`;
  });
  return { ok: false, problems };
}
