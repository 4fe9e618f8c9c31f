// Infrastructure (CDK) layer: parses and validates the app's cdk.json / `-c key=value` context once, before synth.
import {
  AWS_REGION_PATTERN,
  DIGEST_WHEN_CLEAN_CHOICES,
  type DigestWhenClean,
  GUARD_CONFIG_DEFAULTS,
  GUARD_MODES,
  type GuardMode,
  MAX_OWNER_TAG_KEYS,
  NODE_ROLE_CACHE_TTL_LIMITS,
  OWNER_TAG_KEYS_DEFAULT,
  REPLACEMENT_POLICY_NAMES,
  type ReplacementPolicyName,
  SILENCE_ALARM_DAYS_DEFAULT,
  SILENCE_ALARM_DAYS_LIMITS,
  TAG_KEY_PATTERN,
  USAGE_LOOKUP_BUDGET_LIMITS,
  USAGE_WINDOW_DAYS_LIMITS,
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
  /** The organization's central alert topic (in the security account); undefined = none (docs/organizations.md). */
  readonly centralAlertTopicArn: string | undefined;
  /** The key of the central topic; undefined = any key of the topic's account and Region, used through SNS only. */
  readonly centralAlertKeyArn: string | undefined;
  readonly exemptRoles: readonly string[];
  readonly extraPullActions: readonly string[];
  /** Regions to look for EKS clusters in; empty = every enabled region. */
  readonly eksRegions: readonly string[];
  /**
   * Regions whose EKS/ECR events reach the guard in real time (a forwarding rule in each); empty = the default,
   * resolved with the home Region (see `watchedRegions`): `eksRegions` when set, else the home Region alone.
   */
  readonly watchRegions: readonly string[];
  /** EventBridge schedule expression; undefined = no scheduled sweep. */
  readonly sweepSchedule: string | undefined;
  readonly logRetentionDays: LogRetentionDays;
  readonly createTrail: boolean;
  readonly notifyExempt: boolean;
  /** Import each node-role decision into this account's Security Hub (docs/security-hub.md). */
  readonly securityHub: boolean;
  readonly nodeRoleCacheTtlSeconds: number;
  /** Days of CloudTrail history searched for the node role's ECR writes before a fix. */
  readonly usageWindowDays: number;
  /** Seconds the usage lookup of one role may take. */
  readonly usageLookupBudgetSeconds: number;
  /** Fix a role whose ECR usage could not be looked up. */
  readonly fixWhenUsageUnknown: boolean;
  /** Tag keys that name a node role's owner (role, else node group, else cluster), first match wins. */
  readonly ownerTagKeys: readonly string[];
  readonly operationsEmails: readonly string[];
  /** When a clean sweep still publishes a short digest (proof of life); false = never. */
  readonly digestWhenClean: DigestWhenClean;
  /** Days without an event-function invocation before the silence alarm fires; 0 = no alarm. */
  readonly silenceAlarmDays: number;
  /** Home region from context `region`; undefined = take it from the environment. */
  readonly region: string | undefined;
  // ---- organization deployment (docs/organizations.md); any OU set = the app deploys StackSets instead ----
  /** OUs (or roots) whose accounts get the guard in alert mode; empty with no remediate OU = single account. */
  readonly organizationalUnits: readonly string[];
  /** OUs (or roots) whose accounts get the guard in remediate mode; never also in `organizationalUnits`. */
  readonly remediateOrganizationalUnits: readonly string[];
  /** Regions of the member accounts' stack instances (home first); empty = the watched Regions. */
  readonly stackSetRegions: readonly string[];
  /** Who creates the StackSets: the management account (`SELF`) or a delegated administrator. */
  readonly callAs: StackSetCallAs;
  /**
   * The AWS Organization: whose principals may publish to the central topic (bin/central-alert-topic.ts) and read
   * the org deployment's code bucket; undefined = a deploy-time parameter of the org stack.
   */
  readonly organizationId: string | undefined;
}

/** CloudFormation's `CallAs` for service-managed StackSets. */
export const STACK_SET_CALL_AS = ['SELF', 'DELEGATED_ADMIN'] as const;
export type StackSetCallAs = (typeof STACK_SET_CALL_AS)[number];

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
    centralAlertTopicArn: parseOptional(read, 'centralAlertTopicArn', SNS_TOPIC_ARN),
    centralAlertKeyArn: parseOptional(read, 'centralAlertKeyArn', KMS_KEY_ARN),
    exemptRoles: parseList(read, 'exemptRoles', ROLE_NAME_OR_ARN),
    extraPullActions: parseList(read, 'extraPullActions', ECR_ACTION),
    eksRegions: parseList(read, 'eksRegions', REGION),
    watchRegions: parseList(read, 'watchRegions', REGION),
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
    usageWindowDays: parseInteger(
      read,
      'usageWindowDays',
      USAGE_WINDOW_DAYS_LIMITS,
      GUARD_DEFAULTS.usageWindowDays,
    ),
    usageLookupBudgetSeconds: parseInteger(
      read,
      'usageLookupBudgetSeconds',
      USAGE_LOOKUP_BUDGET_LIMITS,
      GUARD_DEFAULTS.usageLookupBudgetSeconds,
    ),
    fixWhenUsageUnknown: parseBoolean(read, 'fixWhenUsageUnknown', GUARD_DEFAULTS.fixWhenUsageUnknown),
    ownerTagKeys: parseOwnerTagKeys(read),
    operationsEmails: parseList(read, 'operationsEmails', EMAIL),
    digestWhenClean: parseChoice(
      read,
      'digestWhenClean',
      DIGEST_WHEN_CLEAN_CHOICES,
      GUARD_CONFIG_DEFAULTS.digestWhenClean,
    ),
    silenceAlarmDays: parseInteger(
      read,
      'silenceAlarmDays',
      SILENCE_ALARM_DAYS_LIMITS,
      SILENCE_ALARM_DAYS_DEFAULT,
    ),
    region: parseOptional(read, 'region', REGION),
    organizationalUnits: parseList(read, 'organizationalUnits', ORGANIZATIONAL_UNIT),
    remediateOrganizationalUnits: parseList(read, 'remediateOrganizationalUnits', ORGANIZATIONAL_UNIT),
    stackSetRegions: parseList(read, 'stackSetRegions', REGION),
    callAs: parseChoice(read, 'callAs', STACK_SET_CALL_AS, 'SELF'),
    organizationId: parseOptional(read, 'organizationId', ORGANIZATION_ID),
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

const KMS_KEY_ARN: ValueFormat = {
  description: 'a KMS key ARN (arn:<partition>:kms:<region>:<12-digit account>:key/<key id>)',
  test: (value) => /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]{1,128}$/.test(value),
};

const ORGANIZATION_ID: ValueFormat = {
  description: 'an AWS Organizations id (o- and 10 to 32 lowercase letters or digits)',
  test: (value) => /^o-[a-z0-9]{10,32}$/.test(value),
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

/** CloudFormation's `DeploymentTargets.OrganizationalUnitIds` pattern: an OU id or a root id. */
const ORGANIZATIONAL_UNIT: ValueFormat = {
  description:
    'organizational unit ids (ou-<4-32 of a-z 0-9>-<8-32 of a-z 0-9>) or root ids (r-<4-32 of a-z 0-9>)',
  test: (value) => /^(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$/.test(value),
};

const TAG_KEY: ValueFormat = {
  description: 'tag keys (1-128 letters, digits, spaces and _ . : / = + - @), such as owner or team',
  test: (value) => TAG_KEY_PATTERN.test(value),
};

const SCHEDULE: ValueFormat = {
  description: 'an EventBridge schedule expression, cron(...) or rate(...), or "" to disable the sweep',
  test: (value) => /^(cron|rate)\(.+\)$/.test(value),
};

// ---- parsers -----------------------------------------------------------------------------------

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value}"` : `${JSON.stringify(value)} (${typeof value})`;
}

function parseChoice<T extends string | number | boolean>(
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

/** At least one tag key, at most MAX_OWNER_TAG_KEYS; unset = `owner`, then `team`. */
function parseOwnerTagKeys(read: ContextReader): readonly string[] {
  if (read('ownerTagKeys') === undefined) return OWNER_TAG_KEYS_DEFAULT;
  const keys = parseList(read, 'ownerTagKeys', TAG_KEY);
  if (keys.length === 0 || keys.length > MAX_OWNER_TAG_KEYS) {
    throw new GuardConfigError(
      'ownerTagKeys',
      `got ${keys.length} keys`,
      `1 to ${MAX_OWNER_TAG_KEYS} ${TAG_KEY.description}, as a JSON array or comma-separated list`,
    );
  }
  return keys;
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

// ---- keys that say no --------------------------------------------------------------------------

/**
 * Context keys the CDK toolkit itself writes without a namespace (`cdk acknowledge` stores the acknowledged
 * notices in cdk.context.json, which reaches the app as context).
 */
const TOOLKIT_CONTEXT_KEYS: readonly string[] = ['acknowledged-issue-numbers'];

/**
 * The keys `loadGuardConfig` reads, found by running it over an empty context: the parser is the one list, so
 * a key added there is known here without a second list to keep in step.
 */
export function knownContextKeys(): readonly string[] {
  const keys = new Set<string>();
  loadGuardConfig((key) => {
    keys.add(key);
    return undefined;
  });
  return [...keys];
}

/**
 * Keys the guard owns: those with neither `@` nor `:`. CDK feature flags (`@aws-cdk/...`), CDK's own keys
 * (`aws:cdk:...`) and cached lookups (`availability-zones:account=...`) are namespaced and left alone.
 */
export function isGuardContextKey(key: string): boolean {
  return !key.includes('@') && !key.includes(':') && !TOOLKIT_CONTEXT_KEYS.includes(key);
}

/** A context key the guard does not know; the message names the closest known key. */
export class UnknownContextKeyError extends GuardConfigError {
  constructor(
    key: string,
    readonly suggestion: string | undefined,
    known: readonly string[],
  ) {
    super(key, 'unknown key', known.join(' | '));
    this.name = 'UnknownContextKeyError';
    const hint = suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
    this.message =
      `Unknown config "${key}" in cdk.json "context" or -c.${hint} ` + `Known keys: ${known.join(', ')}.`;
  }
}

/** Throws UnknownContextKeyError for the first guard key (see isGuardContextKey) that the parser never reads. */
export function checkContextKeys(context: Readonly<Record<string, unknown>>): void {
  const known = knownContextKeys();
  const unknown = Object.keys(context)
    .filter(isGuardContextKey)
    .find((key) => !known.includes(key));
  if (unknown !== undefined) {
    throw new UnknownContextKeyError(unknown, closestKey(unknown, known), known);
  }
}

/** The known key nearest to a typo (case-insensitive edit distance, a swap counting one), if near enough. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (best === undefined || distance < best.distance) best = { key: candidate, distance };
  }
  const limit = Math.max(2, Math.floor(key.length / 3));
  return best !== undefined && best.distance <= limit ? best.key : undefined;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    const row = rows[i] ?? [];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      row[j] = value;
    }
  }
  return at(a.length, b.length);
}

/** True when no one receives the alerts: no e-mail, chat topic, existing alert topic nor central topic is configured. */
export function hasNoAlertSubscriber(config: GuardAppConfig): boolean {
  return (
    config.notificationEmails.length === 0 &&
    config.chatTopicArn === undefined &&
    config.alertTopicArn === undefined &&
    config.centralAlertTopicArn === undefined
  );
}
