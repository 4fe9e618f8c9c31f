// Infrastructure (CDK) layer: parses and validates the app's cdk.json / `-c key=value` context once, before synth.
import {
  AWS_REGION_PATTERN,
  GUARD_CONFIG_DEFAULTS,
  GUARD_MODES,
  type GuardMode,
  NODE_ROLE_CACHE_TTL_LIMITS,
  REPLACEMENT_POLICY_NAMES,
  type ReplacementPolicyName,
} from '../lambda/contract';
import { GUARD_DEFAULTS, LOG_RETENTION_DAYS, type LogRetentionDays } from './guard-defaults';

/** A context value that is missing or invalid. The message names the key and what it accepts. */
export class GuardConfigError extends Error {
  constructor(
    readonly key: string,
    readonly problem: string,
    readonly accepted: string,
  ) {
    super(
      `Invalid config "${key}": ${problem}. Accepted: ${accepted}. ` +
        `Set it in cdk.json "context" or with -c ${key}=<value>.`,
    );
    this.name = 'GuardConfigError';
  }
}

/**
 * Every setting the app reads from its context, in the context's formats, with defaults applied. The values
 * the functions also receive are validated again, by the contract's one schema, when the construct writes
 * the environment (see `configEnvironment`); this parser adds the formats only the app knows (e-mails, topic
 * ARNs, schedules) and clear messages for `-c` values.
 */
export interface GuardAppConfig {
  readonly mode: GuardMode;
  readonly replacementPolicy: ReplacementPolicyName;
  readonly notificationEmails: readonly string[];
  /** Existing alert topic; undefined = the stack creates one. */
  readonly alertTopicArn: string | undefined;
  /** Existing topic for Amazon Q Developer in chat applications; undefined = none. */
  readonly chatTopicArn: string | undefined;
  readonly exemptRoles: readonly string[];
  readonly extraPullActions: readonly string[];
  /** Regions to look for EKS clusters in; empty = every enabled region. */
  readonly eksRegions: readonly string[];
  /** EventBridge schedule expression; undefined = no scheduled sweep. */
  readonly sweepSchedule: string | undefined;
  readonly logRetentionDays: LogRetentionDays;
  readonly createTrail: boolean;
  readonly notifyExempt: boolean;
  /** Import each node-role decision into this account's Security Hub (docs/security-hub.md). */
  readonly securityHub: boolean;
  readonly nodeRoleCacheTtlSeconds: number;
  readonly operationsEmails: readonly string[];
  /** Home region from context `region`; undefined = take it from the environment. */
  readonly region: string | undefined;
}

/** Reads one context key; `app.node.tryGetContext` fits. */
export type ContextReader = (key: string) => unknown;

/** Parses every key once. Throws GuardConfigError on the first bad key. */
export function loadGuardConfig(read: ContextReader): GuardAppConfig {
  return {
    mode: parseChoice(read, 'mode', GUARD_MODES, GUARD_DEFAULTS.mode),
    replacementPolicy: parseChoice(
      read,
      'replacementPolicy',
      REPLACEMENT_POLICY_NAMES,
      GUARD_DEFAULTS.replacementPolicy,
    ),
    notificationEmails: parseList(read, 'notificationEmails', EMAIL),
    alertTopicArn: parseOptional(read, 'alertTopicArn', SNS_TOPIC_ARN),
    chatTopicArn: parseOptional(read, 'chatTopicArn', SNS_TOPIC_ARN),
    exemptRoles: parseList(read, 'exemptRoles', ROLE_NAME_OR_ARN),
    extraPullActions: parseList(read, 'extraPullActions', ECR_ACTION),
    eksRegions: parseList(read, 'eksRegions', REGION),
    sweepSchedule: parseSweepSchedule(read),
    logRetentionDays: parseChoice(
      read,
      'logRetentionDays',
      LOG_RETENTION_DAYS,
      GUARD_DEFAULTS.logRetentionDays,
    ),
    createTrail: parseBoolean(read, 'createTrail', GUARD_DEFAULTS.createTrail),
    notifyExempt: parseBoolean(read, 'notifyExempt', GUARD_DEFAULTS.notifyExempt),
    securityHub: parseBoolean(read, 'securityHub', GUARD_CONFIG_DEFAULTS.securityHub),
    nodeRoleCacheTtlSeconds: parseInteger(
      read,
      'nodeRoleCacheTtlSeconds',
      NODE_ROLE_CACHE_TTL_LIMITS,
      GUARD_DEFAULTS.nodeRoleCacheTtlSeconds,
    ),
    operationsEmails: parseList(read, 'operationsEmails', EMAIL),
    region: parseOptional(read, 'region', REGION),
  };
}

// ---- value formats -----------------------------------------------------------------------------

interface ValueFormat {
  readonly description: string;
  readonly test: (value: string) => boolean;
}

const EMAIL: ValueFormat = {
  description: 'e-mail addresses (name@example.com)',
  test: (value) => /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/.test(value),
};

const SNS_TOPIC_ARN: ValueFormat = {
  description: 'an SNS topic ARN (arn:<partition>:sns:<region>:<12-digit account>:<topic name>)',
  test: (value) => /^arn:aws(-cn|-us-gov)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/.test(value),
};

const ROLE_NAME_OR_ARN: ValueFormat = {
  description:
    'IAM role names (1-64 of A-Z a-z 0-9 +=,.@_-) or role ARNs (arn:<partition>:iam::<account>:role/...)',
  test: (value) =>
    /^[\w+=,.@-]{1,64}$/.test(value) ||
    /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,576}$/.test(value),
};

const ECR_ACTION: ValueFormat = {
  description:
    'ECR action names such as ecr:BatchImportUpstreamImage or ecr-public:BatchCheckLayerAvailability',
  test: (value) => /^(ecr|ecr-public):[A-Za-z]+$/.test(value),
};

const REGION: ValueFormat = {
  description: 'AWS Region codes such as us-east-1 or eu-west-1',
  test: (value) => AWS_REGION_PATTERN.test(value),
};

const SCHEDULE: ValueFormat = {
  description: 'an EventBridge schedule expression, cron(...) or rate(...), or "" to disable the sweep',
  test: (value) => /^(cron|rate)\(.+\)$/.test(value),
};

// ---- parsers -----------------------------------------------------------------------------------

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : `${JSON.stringify(value)} (${typeof value})`;
}

function parseChoice<T extends string | number>(
  read: ContextReader,
  key: string,
  choices: readonly T[],
  fallback: T,
): T {
  const raw = read(key);
  if (raw === undefined) return fallback;
  const match = choices.find((choice) => choice === raw || String(choice) === raw);
  if (match === undefined) {
    throw new GuardConfigError(key, `got ${describe(raw)}`, choices.join(' | '));
  }
  return match;
}

function parseBoolean(read: ContextReader, key: string, fallback: boolean): boolean {
  const raw = read(key);
  if (raw === undefined) return fallback;
  if (raw === true || raw === 'true') return true;
  if (raw === false || raw === 'false') return false;
  throw new GuardConfigError(key, `got ${describe(raw)}`, 'true | false');
}

function parseInteger(
  read: ContextReader,
  key: string,
  range: { readonly min: number; readonly max: number },
  fallback: number,
): number {
  const raw = read(key);
  if (raw === undefined) return fallback;
  const value = typeof raw === 'string' && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
    throw new GuardConfigError(
      key,
      `got ${describe(raw)}`,
      `a whole number from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

function parseOptional(read: ContextReader, key: string, format: ValueFormat): string | undefined {
  const raw = read(key);
  if (raw === undefined || raw === '') return undefined;
  if (typeof raw !== 'string' || !format.test(raw.trim())) {
    throw new GuardConfigError(key, `got ${describe(raw)}`, format.description);
  }
  return raw.trim();
}

function parseSweepSchedule(read: ContextReader): string | undefined {
  const raw = read('sweepSchedule');
  if (raw === undefined) return GUARD_DEFAULTS.sweepSchedule;
  if (raw === '') return undefined;
  return parseOptional(() => raw, 'sweepSchedule', SCHEDULE);
}

/**
 * A list arrives as a JSON array from cdk.json, or as a string from `-c`: either a JSON array
 * (`["a","b"]`) or comma-separated (`a,b`). An empty string is an empty list.
 */
function parseList(read: ContextReader, key: string, format: ValueFormat): readonly string[] {
  const raw = read(key);
  if (raw === undefined) return [];
  const items = listItems(key, raw, format);
  const bad = items.find((item) => !format.test(item));
  if (bad !== undefined) {
    throw new GuardConfigError(
      key,
      `item "${bad}" is not valid`,
      `a JSON array or comma-separated list of ${format.description}`,
    );
  }
  return [...new Set(items)];
}

function listItems(key: string, raw: unknown, format: ValueFormat): string[] {
  const accepted = `a JSON array or comma-separated list of ${format.description}`;
  const value =
    typeof raw === 'string' && raw.trim().startsWith('[') ? parseJsonArray(key, raw, accepted) : raw;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => {
      if (typeof item !== 'string')
        throw new GuardConfigError(key, `item ${describe(item)} is not a string`, accepted);
      return item.trim();
    });
  }
  throw new GuardConfigError(key, `got ${describe(raw)}`, accepted);
}

function parseJsonArray(key: string, raw: string, accepted: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw new GuardConfigError(key, `"${raw}" is not valid JSON`, accepted);
  }
}
