// CLI composition root: parses argv, dispatches to a command, maps errors to exit codes (0 ok, 1 findings
// at or above --fail-on, 2 bad usage or unreadable input, always with one line on stderr).
import { parseArgs } from 'node:util';
import type { AccountView } from '../account/account-view';
import { evaluationSettings } from '../composition';
import { type GuardConfig, parseConfig } from '../config';
import { ConfigError, InvalidInputError } from '../domain/errors';
import type { Decision } from '../domain/types';
import { parseRoleChangeEvent } from '../events/role-change';
import { TOOL_VERSION } from '../report/json';
import { ChangeEvaluator } from '../usecases/evaluate-change';
import { auditCommand } from './audit-command';
import { checkDeployCommand } from './check-deploy-command';
import { runDemo } from './demo';
import {
  EVALUATE_OUTPUT_OPTIONS,
  parseEvaluateOutput,
  warnOnAccountMismatch,
  writeDecisions,
} from './evaluate-output';
import { readEventFile } from './event-input';
import { guardrailsCommand } from './guardrails-command';
import { iacCommand } from './iac-command';
import { type CliIo, readJsonFile, UsageError } from './io';
import { type ClientsFactory, liveClients } from './live-clients';
import {
  breakLine,
  fitText,
  LIVE_OPTIONS,
  parseLiveOptions,
  rejectLiveOptions,
  terminalWidth,
} from './options';
import { snapshotCommand } from './snapshot-command';
import { liveView, partitionOfChange, snapshotView } from './views';

interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const EVALUATE_USAGE = `Usage: eks-ecr-guard evaluate --event E.json (--snapshot S.json | --live) [--config C.json]
         [--format table|json] [--fail-on critical|high|medium] [--profile P] [--region R]

Evaluates CloudTrail events and prints the decisions: one per role (a managed policy version can touch
several) and record. E.json holds an EventBridge event, a bare CloudTrail record, an array of either, or a
CloudTrail log file ({"Records": [...]}, also gzipped, .json.gz), evaluated record by record, in file order
(on a snapshot, each change is applied before the next record). --live reads the account (read-only) and
never changes anything.

  --format            table (default at a terminal) or json (default when piped: one object, or an array)
  --fail-on LEVEL     exit 1 when a violation of LEVEL or above is decided (critical > high > medium)
  --profile P         with --live: a profile of ~/.aws/config (else the default credential chain)
  --region R          with --live: the region of the IAM and Account clients (else AWS_REGION)

A warning goes to stderr when an event's account is not the snapshot's. Exit codes: 0 done (no violation
at or above --fail-on), 1 a violation at or above --fail-on, 2 bad usage, or an unreadable or invalid file
(JSON that is none of the above).`;

function loadConfig(path: string | undefined): GuardConfig {
  return path === undefined
    ? parseConfig({})
    : parseConfig(readJsonFile(path, 'config'), `config file ${path}`);
}

export interface EvaluateCommandDeps {
  /** The live account's SDK clients (tests hand in the in-memory fake). */
  readonly clients?: ClientsFactory;
}

export const createEvaluateCommand = (deps: EvaluateCommandDeps = {}): Command => ({
  summary: 'decide CloudTrail events (an event, records, a log file) against a snapshot or the live account',
  usage: EVALUATE_USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        event: { type: 'string' },
        snapshot: { type: 'string' },
        live: { type: 'boolean', default: false },
        config: { type: 'string' },
        ...EVALUATE_OUTPUT_OPTIONS,
        ...LIVE_OPTIONS,
      },
      strict: true,
    });
    if (values.event === undefined) throw new UsageError('--event is required');
    if ((values.snapshot === undefined) === !values.live)
      throw new UsageError('give exactly one of --snapshot or --live');
    const output = parseEvaluateOutput(values, io);
    const live = parseLiveOptions(values);
    if (!values.live) rejectLiveOptions(live, 'with --live');
    const config = loadConfig(values.config);
    const changes = readEventFile(values.event).map(parseRoleChangeEvent);
    const decisions: Decision[] = [];
    // A snapshot is the account before the events: replay each change onto it, in file order, so each verdict
    // sees it and the ones before. A live account is read once, after them all.
    let snapshot = values.snapshot === undefined ? null : snapshotView(values.snapshot, io);
    let liveAccount: (AccountView & { readonly partition: string }) | null = null;
    for (const change of changes) {
      let view: AccountView & { readonly partition: string };
      if (snapshot !== null) {
        warnOnAccountMismatch(change.event, snapshot.accountId, io);
        snapshot = snapshot.withChange(change);
        view = snapshot;
      } else {
        liveAccount ??= liveView(
          config,
          await (deps.clients ?? liveClients)(live),
          io,
          partitionOfChange(change),
        );
        view = liveAccount;
      }
      const evaluator = new ChangeEvaluator(view, evaluationSettings(config, view.partition));
      decisions.push(...(await evaluator.evaluate(change)));
    }
    return writeDecisions(decisions, output, io);
  },
});

const demoCommand: Command = {
  summary: 'run the sample events through the real handler against an in-memory account (offline)',
  usage: `Usage: eks-ecr-guard demo [--mode alert|remediate|both]

Offline: no AWS access needed. Prints, per sample event, a short summary, the alert that would be sent, and
the role's policies before and after (remediate mode).`,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: { mode: { type: 'string', default: 'both' } },
      strict: true,
    });
    const mode = values.mode;
    if (mode !== 'alert' && mode !== 'remediate' && mode !== 'both') {
      throw new UsageError('--mode must be alert, remediate or both');
    }
    return runDemo(io, mode);
  },
};

export const COMMANDS: Record<string, Command> = {
  evaluate: createEvaluateCommand(),
  demo: demoCommand,
  audit: auditCommand,
  snapshot: snapshotCommand,
  guardrails: guardrailsCommand,
  iac: iacCommand,
  'check-deploy': checkDeployCommand,
};

function topUsage(width: number): string {
  const lines = Object.entries(COMMANDS).flatMap(([name, c]) =>
    breakLine(`  ${name.padEnd(10)} ${c.summary}`, width, 13),
  );
  return `Usage: eks-ecr-guard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "eks-ecr-guard help <command>" or "eks-ecr-guard <command> --help" for a command's options.`;
}

const LIST_HINT = 'run "eks-ecr-guard --help" for the list of commands';

/** node:util parseArgs rejects unknown or ill-typed flags with ERR_PARSE_ARGS_* codes. */
function isParseArgsError(error: unknown): error is { code: string; message: string } {
  // Duck-typed: node's internal TypeError may come from another realm (test runners' VM contexts).
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS') &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/** `help` alone prints the command list; `help <command>` that command's usage; an unknown one is bad usage. */
function help(topic: string | undefined, io: CliIo): number {
  if (topic === undefined) {
    io.stdout.write(`${fitText(topUsage(terminalWidth(io)), terminalWidth(io))}\n`);
    return 0;
  }
  const command = COMMANDS[topic];
  if (command === undefined) {
    io.stderr.write(`eks-ecr-guard help: unknown command "${topic}" (${LIST_HINT})\n`);
    return 2;
  }
  io.stdout.write(`${fitText(command.usage, terminalWidth(io))}\n`);
  return 0;
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help') return help(rest[0], io);
  if (name === '--version') {
    io.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout.write(`${fitText(topUsage(terminalWidth(io)), terminalWidth(io))}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`eks-ecr-guard: unknown command "${name}" (${LIST_HINT})\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${fitText(command.usage, terminalWidth(io))}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      // One line that says what to do; the full usage is one `--help` away.
      const message = error.message.split('\n')[0] ?? '';
      io.stderr.write(`eks-ecr-guard ${name}: ${message} (see "eks-ecr-guard ${name} --help")\n`);
      return 2;
    }
    if (error instanceof InvalidInputError || error instanceof ConfigError) {
      io.stderr.write(`eks-ecr-guard ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
