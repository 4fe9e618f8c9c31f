// CLI plumbing: options several commands share: the output format, --fail-on and its exit code, the terminal
// width, and --profile/--region for the commands that read the live account.
import { AWS_REGION_PATTERN } from '../contract';
import { SEVERITIES, severityAtLeast } from '../domain/audit-report';
import type { Severity } from '../domain/types';
import { DEFAULT_WIDTH } from '../report/table';
import { type CliIo, UsageError } from './io';

/** parseArgs options of every live command. */
export const LIVE_OPTIONS = {
  profile: { type: 'string' },
  region: { type: 'string' },
} as const;

/** What a live command hands the SDK: a named profile of the shared config files and the home region. */
export interface LiveOptions {
  readonly profile: string | undefined;
  readonly region: string | undefined;
}

const PROFILE_NAME = /^[\w.+@-]+$/;

export function parseLiveOptions(values: {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
}): LiveOptions {
  const { profile, region } = values;
  if (profile !== undefined && !PROFILE_NAME.test(profile)) {
    throw new UsageError(`--profile expects a profile name of ~/.aws/config, got ${JSON.stringify(profile)}`);
  }
  if (region !== undefined && !AWS_REGION_PATTERN.test(region)) {
    throw new UsageError(`--region expects a region name such as eu-west-1, got ${JSON.stringify(region)}`);
  }
  return { profile, region };
}

/** Live options given to a command that reads no live account are a mistake worth saying. */
export function rejectLiveOptions(options: LiveOptions, why: string): void {
  if (options.profile !== undefined) throw new UsageError(`--profile only applies ${why}`);
  if (options.region !== undefined) throw new UsageError(`--region only applies ${why}`);
}

/** `--format`: one of `formats`; without it, `fallback` (a command may pick it from the terminal, see below). */
export function parseFormat<F extends string>(
  value: string | undefined,
  formats: readonly F[],
  fallback: F,
): F {
  if (value === undefined) return fallback;
  const format = formats.find((candidate) => candidate === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${formats.join(', ')}`);
  return format;
}

/** Table for a person at a terminal, JSON when stdout is piped or redirected (a tool reads it). */
export function terminalFormat(io: CliIo): 'table' | 'json' {
  return io.stdout.isTTY === true ? 'table' : 'json';
}

export function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const severity = SEVERITIES.find((candidate) => candidate === value);
  if (severity === undefined) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  return severity;
}

/** Exit code 1 when a violation at or above --fail-on was found, else 0. */
export function failOnExitCode(
  failOn: Severity | undefined,
  violations: readonly { readonly verdict: string; readonly severity: Severity | null }[],
): number {
  if (failOn === undefined) return 0;
  return violations.some((v) => v.verdict === 'violation' && severityAtLeast(v.severity, failOn)) ? 1 : 0;
}

/** The terminal width: `COLUMNS` when it is a sensible number, else DEFAULT_WIDTH. */
export function terminalWidth(io: CliIo): number {
  const columns = Number(io.env?.COLUMNS);
  return Number.isInteger(columns) && columns >= 40 ? columns : DEFAULT_WIDTH;
}

/**
 * Help text within `width`. A group (a paragraph, an option with its continuation lines, a usage line with its
 * flag lines) that has a longer line is reflowed at spaces, continuing at its own indent (an option's description
 * column); groups that fit keep their layout, and a single longer word is kept whole.
 */
export function fitText(text: string, width: number): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let start = 0; start < lines.length; ) {
    const first = lines[start] ?? '';
    const indent = continuationIndent(first, lines[start + 1]);
    let end = start + 1;
    while (end < lines.length && continues(first, lines[end] ?? '', indent)) end += 1;
    const group = lines.slice(start, end);
    if (group.every((line) => line.length <= width)) out.push(...group);
    else
      out.push(...breakLine([first, ...group.slice(1).map((line) => line.trim())].join(' '), width, indent));
    start = end;
  }
  return out.join('\n');
}

const leading = (line: string): number => /^ */.exec(line)?.[0].length ?? 0;

function continuationIndent(line: string, next: string | undefined): number {
  const flags = next ?? '';
  if (line.startsWith('Usage:')) return flags.trim().startsWith('[') ? leading(flags) : 9;
  const option = /^(\s+\S+(?: \S+)?\s{2,})\S/.exec(line)?.[1];
  return option?.length ?? leading(line);
}

function continues(first: string, next: string, indent: number): boolean {
  if (first.trim() === '' || next.trim() === '' || next.trimStart().startsWith('--')) return false;
  if (first.startsWith('Usage:')) return next.trim().startsWith('[');
  // Lines of a list share their indent: only a deeper (or a paragraph's) indent continues a line.
  return leading(next) === indent && (indent > leading(first) || indent === 0);
}

/** One line in lines of at most `width`, broken at spaces, the later ones indented by `indent`. */
export function breakLine(line: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  let rest = line;
  let prefix = '';
  while (prefix.length + rest.length > width) {
    const cut = rest.lastIndexOf(' ', width - prefix.length);
    if (cut <= 0) break;
    lines.push(`${prefix}${rest.slice(0, cut).trimEnd()}`);
    rest = rest.slice(cut + 1).trimStart();
    prefix = ' '.repeat(indent);
  }
  lines.push(`${prefix}${rest}`);
  return lines;
}
