// CLI command `evaluate`, output side: --format and --fail-on (the same exit codes as `audit`), the decisions
// written as a table or JSON, and the warning when the event comes from another account than the snapshot's.
import type { Decision, EventSummary } from '../domain/types';
import { renderDecisionTable } from '../report/decision-table';
import type { CliIo } from './io';
import { failOnExitCode, parseFailOn, parseFormat, terminalFormat, terminalWidth } from './options';

export const EVALUATE_FORMATS = ['table', 'json'] as const;
export type EvaluateFormat = (typeof EVALUATE_FORMATS)[number];

/** parseArgs options of the output side. */
export const EVALUATE_OUTPUT_OPTIONS = {
  format: { type: 'string' },
  'fail-on': { type: 'string' },
} as const;

export interface EvaluateOutput {
  readonly format: EvaluateFormat;
  readonly failOn: ReturnType<typeof parseFailOn>;
}

/** Validates --format (default: table at a terminal, JSON when piped) and --fail-on before any file is read. */
export function parseEvaluateOutput(
  values: { readonly format?: string | undefined; readonly 'fail-on'?: string | undefined },
  io: CliIo,
): EvaluateOutput {
  return {
    format: parseFormat(values.format, EVALUATE_FORMATS, terminalFormat(io)),
    failOn: parseFailOn(values['fail-on']),
  };
}

/** Writes the decisions (JSON: one object, or an array for several roles) and returns the exit code. */
export function writeDecisions(decisions: readonly Decision[], output: EvaluateOutput, io: CliIo): number {
  if (output.format === 'table') {
    io.stdout.write(renderDecisionTable(decisions, { width: terminalWidth(io) }));
  } else {
    const json = decisions.length === 1 ? decisions[0] : decisions;
    io.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }
  return failOnExitCode(output.failOn, decisions);
}

/** A warning on stderr when the event's account is not the snapshot's: the verdict is then about another account. */
export function warnOnAccountMismatch(
  event: EventSummary,
  snapshotAccountId: string | null,
  io: CliIo,
): void {
  const eventAccount = event.account ?? null;
  if (eventAccount === null || snapshotAccountId === null || eventAccount === snapshotAccountId) return;
  io.stderr.write(
    `warning: the event is from account ${eventAccount} but the snapshot is of account ${snapshotAccountId}: ` +
      'the decision is about the snapshot, not the account the event came from\n',
  );
}
