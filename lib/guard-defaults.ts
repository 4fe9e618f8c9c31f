// Infrastructure (CDK) layer: the one table of default settings, shared by the config parser and the construct.
import { GUARD_CONFIG_DEFAULTS, type GuardMode, type ReplacementPolicyName } from '../lambda/contract';

/** Retention periods (days) CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** The runtime settings' defaults (from the contract) and those only the CDK app has. */
export const GUARD_DEFAULTS = {
  mode: GUARD_CONFIG_DEFAULTS.mode,
  replacementPolicy: GUARD_CONFIG_DEFAULTS.replacementPolicy,
  notifyExempt: GUARD_CONFIG_DEFAULTS.notifyExempt,
  nodeRoleCacheTtlSeconds: GUARD_CONFIG_DEFAULTS.nodeRoleCacheTtlSeconds,
  usageWindowDays: GUARD_CONFIG_DEFAULTS.usageWindowDays,
  usageLookupBudgetSeconds: GUARD_CONFIG_DEFAULTS.usageLookupBudgetSeconds,
  fixWhenUsageUnknown: GUARD_CONFIG_DEFAULTS.fixWhenUsageUnknown,
  sweepSchedule: 'cron(0 6 * * ? *)',
  logRetentionDays: 90,
  createTrail: false,
} as const satisfies {
  readonly mode: GuardMode;
  readonly replacementPolicy: ReplacementPolicyName;
  readonly sweepSchedule: string;
  readonly logRetentionDays: LogRetentionDays;
  readonly createTrail: boolean;
  readonly notifyExempt: boolean;
  readonly nodeRoleCacheTtlSeconds: number;
  readonly usageWindowDays: number;
  readonly usageLookupBudgetSeconds: number;
  readonly fixWhenUsageUnknown: boolean;
};
