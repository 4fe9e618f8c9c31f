// CLI command `evaluate` (loaded by main.ts when it runs): decides CloudTrail events against a snapshot file,
// replayed in file order, or against the live account (read-only), and prints the decisions.
import { parseArgs } from 'node:util';
import type { AccountView } from '../account/account-view';
import type { Decision } from '../domain/types';
import { evaluationSettings } from '../evaluation-settings';
import { parseRoleChangeEvent } from '../events/role-change';
import { ChangeEvaluator } from '../usecases/evaluate-change';
import { loadCliConfig } from './audit-command';
import {
  EVALUATE_OUTPUT_OPTIONS,
  parseEvaluateOutput,
  warnOnAccountMismatch,
  writeDecisions,
} from './evaluate-output';
import { readEventFile } from './event-input';
import { type CliIo, UsageError } from './io';
import { type ClientsFactory, liveClients } from './live-clients';
import { liveView } from './live-view';
import { LIVE_OPTIONS, parseLiveOptions, rejectLiveOptions } from './options';
import { partitionOfChange, snapshotView } from './views';

export interface EvaluateCommandDeps {
  /** The live account's SDK clients (tests hand in the in-memory fake). */
  readonly clients?: ClientsFactory;
}

export async function runEvaluate(args: string[], io: CliIo, deps: EvaluateCommandDeps): Promise<number> {
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
  const config = loadCliConfig(values.config);
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
}
