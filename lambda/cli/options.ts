// CLI plumbing: options several commands share: the output format, --fail-on and its exit code, and
// --profile/--region for the commands that read the live account (the terminal width and help layout: layout.ts).
import { AWS_REGION_PATTERN } from '../contract';
import { SEVERITIES, severityAtLeast } from '../domain/audit-report';
import type { Severity } from '../domain/types';
import { type CliIo, UsageError } from './io';

export { breakLine, fitText, terminalWidth } from './layout';

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
