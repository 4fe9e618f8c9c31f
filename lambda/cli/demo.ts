// The offline demo: the bundled sample account in the in-memory fake AWS, the sample events replayed as real
// IAM calls, and the real event handler deciding, alerting and (remediate mode) fixing, printed for people.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { buildDependencies } from '../composition';
import { type GuardMode, type LambdaSettings, parseConfig } from '../config';
import { verdictWords } from '../domain/decision';
import type { Decision } from '../domain/types';
import { createEventHandler } from '../event-handler';
import { parseRoleChangeEvent } from '../events/role-change';
import { FakeAws } from '../in-memory-aws/fake-aws';
import { inMemoryPersistence } from '../in-memory-aws/idempotency';
import { replayRecordedCall } from '../in-memory-aws/replay';
import { ALERT_JSON_BEGIN } from '../notify/format';
import type { CliIo } from './io';
import { readJsonFile } from './io';

export const DEMO_DIR = join(__dirname, '..', '..', 'demo');
const ALERT_TOPIC = 'eks-ecr-guard-alerts';

export interface DemoRun {
  readonly file: string;
  readonly call: string | null;
  /** Why nothing was replayed when `call` is null (the parser's reason for ignoring the event, or the gap). */
  readonly notReplayed: string | null;
  readonly roleName: string | null;
  readonly before: { attached: string[]; inline: string[] } | null;
  readonly after: { attached: string[]; inline: string[] } | null;
  readonly outcomes: readonly {
    verdict: Decision['verdict'];
    scope: Decision['scope'] | null;
    role: string | null;
    severity: string | null;
    remediation: string | null;
  }[];
  readonly alerts: readonly { subject: string | undefined; message: string }[];
}

export function demoEventFiles(dir = join(DEMO_DIR, 'events')): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

const lambdaContext = (name: string): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'eks-ecr-guard-demo',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:eks-ecr-guard-demo',
  memoryLimitInMB: '256',
  awsRequestId: name,
  logGroupName: '/aws/lambda/eks-ecr-guard-demo',
  logStreamName: 'demo',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

function roleNameOf(raw: unknown): string | null {
  const change = parseRoleChangeEvent(raw);
  return 'roleName' in change ? change.roleName : null;
}

/** Runs every demo event through the real handler against a fresh fake account in the given mode. */
export async function runDemoMode(
  mode: GuardMode,
  files: readonly string[] = demoEventFiles(),
): Promise<DemoRun[]> {
  const fake = FakeAws.fromSnapshot(readJsonFile(join(DEMO_DIR, 'sample-account.json'), 'sample account'), {
    pageSize: 20,
  });
  const topicArn = fake.addTopic(ALERT_TOPIC);
  const settings: LambdaSettings = {
    config: parseConfig({ mode }),
    partition: fake.partition,
    accountId: fake.accountId,
    alertTopicArn: topicArn,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: `arn:aws:iam::${fake.accountId}:role/eks-ecr-guard-function`,
  };
  const deps = buildDependencies(settings, fake.clients(), { sleep: async () => undefined });
  const handler = createEventHandler({ deps, persistence: inMemoryPersistence() });
  const runs: DemoRun[] = [];
  for (const file of files) {
    const raw = readJsonFile(file, 'event');
    const call = await replayRecordedCall(fake.iamClient(), raw, {
      ecrFor: (region) => fake.ecrClientFor(region),
      eksFor: (region) => fake.eksClientFor(region),
    });
    const notReplayed = call === null ? whyNotReplayed(raw) : null;
    const roleName = roleNameOf(raw);
    const stateOf = (name: string | null) => {
      if (name === null) return null;
      const state = fake.roleState(name);
      return { attached: state.attached, inline: Object.keys(state.inline) };
    };
    const before = stateOf(roleName);
    const publishedBefore = fake.published.length;
    const result = await handler(raw, lambdaContext(file));
    runs.push({
      file,
      call,
      notReplayed,
      roleName,
      before,
      after: stateOf(roleName),
      outcomes: result.outcomes,
      alerts: fake.published.slice(publishedBefore).map((p) => ({ subject: p.subject, message: p.message })),
    });
  }
  return runs;
}

/** The reason the guard ignores an event; else the one widening change replay cannot make (no version named). */
function whyNotReplayed(raw: unknown): string {
  const change = parseRoleChangeEvent(raw);
  return change.kind === 'ignored' ? change.reason : 'the event names no policy version to make the default';
}

const shortArn = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

function printRun(io: CliIo, run: DemoRun, mode: GuardMode): void {
  const name = run.file.slice(run.file.lastIndexOf('/') + 1);
  io.stdout.write(`\n── ${name}\n`);
  io.stdout.write(`   change:   ${run.call ?? `nothing to replay: ${run.notReplayed ?? 'no change'}`}\n`);
  for (const o of run.outcomes) {
    const severity = o.severity === null ? '' : ` [${o.severity}]`;
    const remediation = o.remediation === null ? '' : `, remediation: ${o.remediation}`;
    // A decision about the change alone reads as such ("this change adds no ECR write access"), never "compliant".
    const words = verdictWords({ verdict: o.verdict, scope: o.scope ?? undefined });
    const about = o.role === null ? '' : o.scope === 'change' ? ` (to ${o.role})` : ` for ${o.role}`;
    io.stdout.write(`   decision: ${words}${severity}${about}${remediation}\n`);
  }
  if (run.before !== null && run.after !== null) {
    // "before" is the role once the change was made, "after" once the guard has run (the same in alert mode).
    const list = (s: { attached: string[]; inline: string[] }) =>
      `managed: ${s.attached.map(shortArn).join(', ') || '-'} | inline: ${s.inline.join(', ') || '-'}`;
    io.stdout.write(`   before:   ${list(run.before)}\n   after:    ${list(run.after)}\n`);
  }
  if (run.alerts.length === 0) {
    io.stdout.write('   alert:    none sent\n');
    return;
  }
  for (const alert of run.alerts) {
    io.stdout.write(`   alert:    ${alert.subject ?? '(no subject)'}\n`);
    // The machine-readable JSON block is for subscribers, not for people reading the demo.
    const text = alert.message.split(ALERT_JSON_BEGIN)[0]?.trimEnd().split('\n') ?? [];
    const shown = mode === 'alert' ? text : text.slice(0, 14);
    io.stdout.write(`${shown.map((line) => `   │ ${line}`).join('\n')}\n`);
    if (shown.length < text.length) io.stdout.write(`   │ … (${text.length - shown.length} more lines)\n`);
  }
}

export async function runDemo(io: CliIo, which: GuardMode | 'both'): Promise<number> {
  const modes: GuardMode[] = which === 'both' ? ['alert', 'remediate'] : [which];
  io.stdout.write(
    'eks-ecr-guard demo: sample account 111122223333 (in-memory, offline), real event handler\n',
  );
  for (const mode of modes) {
    io.stdout.write(`\n════ mode: ${mode} ${'═'.repeat(60)}\n`);
    const runs = await runDemoMode(mode);
    for (const run of runs) printRun(io, run, mode);
    const alerts = runs.reduce((n, r) => n + r.alerts.length, 0);
    io.stdout.write(`\n${runs.length} events, ${alerts} alerts published in ${mode} mode.\n`);
  }
  return 0;
}
