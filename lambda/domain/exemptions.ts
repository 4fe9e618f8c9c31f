// Domain (pure): decides whether a role is exempt from the guard, from its exemption tag (the contract's
// EXEMPT_TAG_KEY, passed in: reason + optional `until=YYYY-MM-DD`) or the configured `exemptRoles` list.
import { matchesWildcard, roleNameFromArn } from './arn';
import type { Exemption } from './types';

/** Exemptions ending within this many days are reported as expiring soon. */
export const EXPIRY_WARNING_DAYS = 14;

export interface ExemptionSubject {
  readonly name: string;
  readonly arn: string;
  readonly tags: Readonly<Record<string, string>>;
}

export interface ExemptionConfig {
  readonly exemptRoles: readonly string[];
  /** The role tag that exempts a role; its value is a reason, optionally with `until=YYYY-MM-DD`. */
  readonly tagKey: string;
}

export interface ExemptionResult {
  /** The exemption in force, null when the role is not exempt. */
  readonly exemption: Exemption | null;
  /** A tag exemption whose `until` date has passed (the role is then not exempt through it). */
  readonly expired: Exemption | null;
  /** Why a tag that looks like an exemption is not one (missing reason, bad date...). */
  readonly warnings: string[];
}

/**
 * Finds the exemption in force for `role` on `today` (YYYY-MM-DD, UTC). A valid, unexpired tag wins
 * over the config list (it carries a reason and an end date); otherwise the first matching config entry
 * applies. `until` is inclusive: a tag with `until=<today>` still exempts.
 */
export function findExemption(
  role: ExemptionSubject,
  config: ExemptionConfig,
  today: string,
): ExemptionResult {
  const tag = readExemptionTag(role.tags, config.tagKey);
  const warnings = [...tag.warnings];
  let expired: Exemption | null = null;
  if (tag.exemption !== null) {
    if (tag.exemption.until !== null && tag.exemption.until < today) {
      expired = tag.exemption;
      warnings.push(`the ${config.tagKey} tag expired on ${tag.exemption.until}`);
    } else {
      return { exemption: tag.exemption, expired: null, warnings };
    }
  }
  return { exemption: configExemption(role, config.exemptRoles), expired, warnings };
}

/** Whole days from `today` to `until` (both YYYY-MM-DD): 0 on the day, negative once past; null if unparsable. */
export function daysUntil(until: string, today: string): number | null {
  const end = parseIsoDate(until);
  const start = parseIsoDate(today);
  if (end === null || start === null) return null;
  return Math.round((end - start) / 86_400_000);
}

/** True when the exemption ends within `EXPIRY_WARNING_DAYS` days of today (and has not ended yet). */
export function isExpiringSoon(
  exemption: Exemption,
  today: string,
  withinDays = EXPIRY_WARNING_DAYS,
): boolean {
  if (exemption.until === null) return false;
  const days = daysUntil(exemption.until, today);
  return days !== null && days >= 0 && days <= withinDays;
}

// ---- tag ------------------------------------------------------------------------------------------

interface TagReading {
  readonly exemption: Exemption | null;
  readonly warnings: string[];
}

/** `until=` followed by the date token (anything up to a separator). */
const UNTIL_PATTERN = /until\s*=\s*([^\s,;]*)/gi;
/** Separators trimmed from both ends of each part of the reason. */
const EDGE_SEPARATORS = /^[\s,;:|/-]+|[\s,;:|/-]+$/g;

function readExemptionTag(tags: Readonly<Record<string, string>>, tagKey: string): TagReading {
  const value = tagValue(tags, tagKey);
  if (value === null) return { exemption: null, warnings: [] };

  const untilMatches = [...value.matchAll(UNTIL_PATTERN)];
  if (untilMatches.length > 1) {
    return notExempt(`the ${tagKey} tag has ${untilMatches.length} until= dates; give exactly one`);
  }
  const untilMatch = untilMatches[0];
  const until = untilMatch?.[1] ?? null;
  if (until !== null && parseIsoDate(until) === null) {
    return notExempt(`the ${tagKey} tag has until=${until.slice(0, 32)}, not a YYYY-MM-DD date`);
  }
  const reason = reasonWithoutUntil(value, untilMatch);
  if (reason === '') {
    return notExempt(
      `the ${tagKey} tag has no reason; a reason is required (e.g. "CI builder, until=2027-01-31")`,
    );
  }
  return { exemption: { source: 'tag', reason, until }, warnings: [] };
}

function notExempt(warning: string): TagReading {
  return { exemption: null, warnings: [warning] };
}

/** The tag value with the `until=` part cut out; the parts before and after are trimmed and joined. */
function reasonWithoutUntil(value: string, untilMatch: RegExpMatchArray | undefined): string {
  if (untilMatch?.index === undefined) return trimSeparators(value);
  const before = trimSeparators(value.slice(0, untilMatch.index));
  const after = trimSeparators(value.slice(untilMatch.index + untilMatch[0].length));
  return [before, after].filter((part) => part !== '').join('; ');
}

function trimSeparators(text: string): string {
  return text.replace(EDGE_SEPARATORS, '');
}

/** Tag keys are matched ignoring case (IAM does not allow two keys that differ only in case). */
function tagValue(tags: Readonly<Record<string, string>>, key: string): string | null {
  const wanted = key.toLowerCase();
  for (const [tagKey, value] of Object.entries(tags)) {
    if (tagKey.toLowerCase() === wanted) return value;
  }
  return null;
}

// ---- config ---------------------------------------------------------------------------------------

/**
 * Config entries: an exact role name, a name pattern with `*`, or an ARN pattern (`arn:...`, `*` may span
 * `/` and `:`). Names compare ignoring case (IAM role names are unique ignoring case); ARN patterns
 * compare exactly, as IAM compares ARNs.
 */
function configExemption(role: ExemptionSubject, entries: readonly string[]): Exemption | null {
  const name = role.name !== '' ? role.name : (roleNameFromArn(role.arn) ?? '');
  for (const raw of entries) {
    const entry = raw.trim();
    if (entry === '') continue;
    const matches = entry.startsWith('arn:')
      ? matchesWildcard(entry, role.arn)
      : matchesWildcard(entry, name, { ignoreCase: true });
    if (matches) return { source: 'config', reason: `listed in exemptRoles (${entry})`, until: null };
  }
  return null;
}

// ---- dates ----------------------------------------------------------------------------------------

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Epoch milliseconds of a real calendar date written YYYY-MM-DD, else null (2026-02-30 is null). */
function parseIsoDate(text: string): number | null {
  const match = ISO_DATE.exec(text);
  if (match === null) return null;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const time = Date.UTC(year, month - 1, day);
  const date = new Date(time);
  const valid =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return valid ? time : null;
}
