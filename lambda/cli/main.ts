// CLI composition root: parses argv, dispatches to a command, maps errors to exit codes (0 ok, 1 findings
// at or above --fail-on, 2 bad usage or unreadable input).
import { parseArgs } from 'node:util';
import { type AwsClients, defaultClients, evaluationSettings } from '../composition';
import { type GuardConfig, parseConfig } from '../config';
import { ConfigError, InvalidInputError } from '../domain/errors';
import { parseRoleChangeEvent } from '../events/role-change';
import { TOOL_VERSION } from '../report/json';
import { ChangeEvaluator } from '../usecases/evaluate-change';
import { auditCommand } from './audit-command';
import { checkDeployCommand } from './check-deploy-command';
import { runDemo } from './demo';
import { guardrailsCommand } from './guardrails-command';
import { iacCommand } from './iac-command';
import { type CliIo, readJsonFile, UsageError } from './io';
import { snapshotCommand } from './snapshot-command';
import { liveView, partitionOfChange, snapshotView } from './views';

interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: CliIo): Promise<number>;
}

const EVALUATE_USAGE = `Usage: eks-ecr-guard evaluate --event E.json (--snapshot S.json | --live) [--config C.json]

Evaluates one CloudTrail event (the EventBridge envelope) and prints the decision as JSON: one object, or an
array when a managed policy version touches several roles. --live reads the account of the default credential
chain and never changes anything. Exit code 0 for any decision, 2 for an unreadable or invalid file.`;

function loadConfig(path: string | undefined): GuardConfig {
  return path === undefined
    ? parseConfig({})
    : parseConfig(readJsonFile(path, 'config'), `config file ${path}`);
}

export interface EvaluateCommandDeps {
  /** The live account's SDK clients (tests hand in the in-memory fake). */
  readonly clients?: () => AwsClients;
}

export const createEvaluateCommand = (deps: EvaluateCommandDeps = {}): Command => ({
  summary: 'decide one CloudTrail event against a snapshot file or the live account (read-only)',
  usage: EVALUATE_USAGE,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        event: { type: 'string' },
        snapshot: { type: 'string' },
        live: { type: 'boolean', default: false },
        config: { type: 'string' },
      },
      strict: true,
    });
    if (values.event === undefined) throw new UsageError('--event is required');
    if ((values.snapshot === undefined) === !values.live)
      throw new UsageError('give exactly one of --snapshot or --live');
    const config = loadConfig(values.config);
    const raw = readJsonFile(values.event, 'event');
    const change = parseRoleChangeEvent(raw);
    // A snapshot is the account before the event: replay the change onto it so the verdict sees it.
    const view =
      values.snapshot !== undefined
        ? snapshotView(values.snapshot).withChange(change)
        : liveView(config, (deps.clients ?? (() => defaultClients()))(), io, partitionOfChange(change));
    const evaluator = new ChangeEvaluator(view, evaluationSettings(config, view.partition));
    const decisions = await evaluator.evaluate(change);
    const output = decisions.length === 1 ? decisions[0] : decisions;
    io.stdout.write(`${JSON.stringify(output, null, 2)}\n`);
    return 0;
  },
});

const demoCommand: Command = {
  summary: 'run the bundled sample events through the real handler against an in-memory sample account',
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

function topUsage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`);
  return `Usage: eks-ecr-guard <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun "eks-ecr-guard help <command>" or "eks-ecr-guard <command> --help" for a command's options.`;
}

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
    io.stdout.write(`${topUsage()}\n`);
    return 0;
  }
  const command = COMMANDS[topic];
  if (command === undefined) {
    io.stderr.write(`eks-ecr-guard help: unknown command "${topic}"\n${topUsage()}\n`);
    return 2;
  }
  io.stdout.write(`${command.usage}\n`);
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
    io.stdout.write(`${topUsage()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    io.stderr.write(`eks-ecr-guard: unknown command "${name}"\n${topUsage()}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr.write(`eks-ecr-guard ${name}: ${error.message}\n${command.usage}\n`);
      return 2;
    }
    if (error instanceof InvalidInputError || error instanceof ConfigError) {
      io.stderr.write(`eks-ecr-guard ${name}: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
}
