// CLI composition root: parses argv, dispatches to a command, maps errors to exit codes (0 ok, 1 findings
// at or above --fail-on, 2 bad usage or unreadable input, always with one line on stderr).
import { parseArgs } from 'node:util';
import { ConfigError, InvalidInputError } from '../domain/errors';
import { TOOL_VERSION } from '../report/json';
import type { EvaluateCommandDeps } from './evaluate-command';
import { type CliIo, UsageError } from './io';
import { breakLine, fitText, terminalWidth } from './layout';

export type { EvaluateCommandDeps } from './evaluate-command';

/** A command: its usage (`help <command>`, `<command> --help`) and what it does. */
export interface Command {
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

/**
 * A command of the registry: its one-line summary for the command list, and its module, loaded only when the
 * command runs or shows its usage. A static import of every command would load all their dependencies (the
 * SDK clients, Powertools, the YAML and IaC readers, the organization code) on every start, `--version` too;
 * `audit --snapshot` needs none of them.
 */
export interface CommandEntry {
  readonly summary: string;
  load(): Command;
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

/** The evaluate command over the given dependencies (tests hand in fake clients). */
export const createEvaluateCommand = (deps: EvaluateCommandDeps = {}): Command => ({
  usage: EVALUATE_USAGE,
  run: (args, io) => {
    const evaluate: typeof import('./evaluate-command') = require('./evaluate-command');
    return evaluate.runEvaluate(args, io, deps);
  },
});

const demoCommand: Command = {
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
    const demo: typeof import('./demo') = require('./demo');
    return demo.runDemo(io, mode);
  },
};

// The modules load lazily: `require` where a command is loaded, typed by the module it names. (A dynamic `import()`
// would need `.js` specifiers, which the tsx loader of a checkout does not map to the sources.)
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  evaluate: {
    summary:
      'decide CloudTrail events (an event, records, a log file) against a snapshot or the live account',
    load: () => createEvaluateCommand(),
  },
  demo: {
    summary: 'run the sample events through the real handler against an in-memory account (offline)',
    load: () => demoCommand,
  },
  audit: {
    summary: 'audit every EKS node role of a snapshot file or the live account (table, JSON or SARIF)',
    load: () => {
      const audit: typeof import('./audit-command') = require('./audit-command');
      return audit.auditCommand;
    },
  },
  snapshot: {
    summary: 'write the live account (read-only) to a snapshot file for offline audits',
    load: () => {
      const snapshot: typeof import('./snapshot-command') = require('./snapshot-command');
      return snapshot.snapshotCommand;
    },
  },
  guardrails: {
    summary: 'print a preventive SCP or node-role permissions boundary, checked by the analyser',
    load: () => {
      const guardrails: typeof import('./guardrails-command') = require('./guardrails-command');
      return guardrails.guardrailsCommand;
    },
  },
  iac: {
    summary: 'check CloudFormation templates, cdk.out and Terraform plans for node roles with ECR write',
    load: () => {
      const iac: typeof import('./iac-command') = require('./iac-command');
      return iac.iacCommand;
    },
  },
  'check-deploy': {
    summary: 'check a deployed guard end to end with your own credentials (one harmless IAM change)',
    load: () => {
      const checkDeploy: typeof import('./check-deploy-command') = require('./check-deploy-command');
      return checkDeploy.checkDeployCommand;
    },
  },
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
  const entry = COMMANDS[topic];
  if (entry === undefined) {
    io.stderr.write(`eks-ecr-guard help: unknown command "${topic}" (${LIST_HINT})\n`);
    return 2;
  }
  io.stdout.write(`${fitText(entry.load().usage, terminalWidth(io))}\n`);
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
  const entry = COMMANDS[name];
  if (entry === undefined) {
    io.stderr.write(`eks-ecr-guard: unknown command "${name}" (${LIST_HINT})\n`);
    return 2;
  }
  // Only this command's module (and what it imports) loads.
  const command = entry.load();
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
