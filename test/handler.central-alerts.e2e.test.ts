// End-to-end: central alerts through the real event handler (composition root, SNS and Account gateways, SDK
// clients) against the in-memory AWS: the member's alert topic and the organization's central topic in another
// account and Region, the account name in the subject and attributes (and its fallback), and a central publish that
// fails: reported, never costing the local alert or a remediation outcome, retried without sending anything twice.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { buildDependencies, type Dependencies } from '../lambda/composition';
import { type GuardConfig, type LambdaSettings, parseConfig } from '../lambda/config';
import { createEventHandler } from '../lambda/event-handler';
import { FakeAws, type FakeAwsOptions } from '../lambda/in-memory-aws/fake-aws';
import { InMemoryCacheClient, inMemoryPersistence } from '../lambda/in-memory-aws/idempotency';
import { InMemoryPendingOutcomes } from '../lambda/in-memory-aws/pending-outcomes';
import { replayRecordedCall, seedRecordedPrecondition } from '../lambda/in-memory-aws/replay';
import type { GuardMetrics } from '../lambda/usecases/telemetry';

const ROOT = join(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const SAMPLE_ACCOUNT = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const GUARD_ROLE = 'arn:aws:iam::111122223333:role/eks-ecr-guard-EventFunctionRole';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const READONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const ORG = 'o-abcd123456';
const CENTRAL = 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts';
const IAM_WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as unknown as Context;

interface Logged {
  readonly message: string;
  readonly fields: Record<string, unknown>;
}

function harness(
  config: Partial<GuardConfig> = {},
  options: FakeAwsOptions & { readonly store?: boolean; readonly central?: string | null } = {},
) {
  const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT, {
    accountName: 'prod-payments',
    organizationId: ORG,
    ...options,
  });
  const alertTopic = fake.addTopic('eks-ecr-guard-alerts');
  fake.addTopic(CENTRAL, { publishers: { organizationId: ORG } });
  const settings: LambdaSettings = {
    config: parseConfig(config),
    partition: 'aws',
    accountId: '111122223333',
    alertTopicArn: alertTopic,
    chatTopicArn: null,
    centralAlertTopicArn: options.central === undefined ? CENTRAL : options.central,
    idempotencyTableName: null,
    guardRoleArn: GUARD_ROLE,
  };
  const metrics: Record<string, number> = {};
  const recorder: GuardMetrics = {
    addMetric: (name, _unit, value) => {
      metrics[name] = (metrics[name] ?? 0) + value;
    },
  };
  const errors: Logged[] = [];
  const warnings: Logged[] = [];
  const entry = (message: string, extra: Record<string, unknown>[]): Logged => ({
    message,
    fields: Object.assign({}, ...extra),
  });
  let clock = Date.parse('2026-11-20T10:15:42Z');
  const deps: Dependencies = buildDependencies(settings, fake.clients(), {
    metrics: recorder,
    logger: {
      info() {},
      warn: (message, ...extra) => warnings.push(entry(message, extra)),
      error: (message, ...extra) => errors.push(entry(message, extra)),
    },
    sleep: async () => undefined,
    today: () => '2026-11-22',
    now: () => clock,
  });
  const pending = new InMemoryPendingOutcomes();
  const handler = createEventHandler({
    deps,
    persistence: inMemoryPersistence(new InMemoryCacheClient()),
    pendingOutcomes: options.store === false ? null : pending,
  });
  return {
    fake,
    alertTopic,
    handler,
    pending,
    metrics,
    errors,
    warnings,
    advance: (ms: number) => {
      clock += ms;
    },
    async run(raw: unknown) {
      await seedRecordedPrecondition(fake.iamClient(), raw);
      await replayRecordedCall(fake.iamClient(), raw, { eksFor: (region) => fake.eksClientFor(region) });
      fake.resetCalls();
      return handler(raw, context);
    },
    published: (topicArn: string) => fake.published.filter((message) => message.topicArn === topicArn),
    iamWrites: () => fake.calls.filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.command)),
  };
}

function attachEvent(roleName: string, eventId: string): unknown {
  const raw = structuredClone(
    JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8')),
  ) as { detail: { requestParameters: Record<string, string>; eventID: string } };
  raw.detail.requestParameters = { roleName, policyArn: FULL };
  raw.detail.eventID = eventId;
  return raw;
}

const failCentral = (times?: number) => ({
  service: 'sns' as const,
  command: 'Publish',
  error: 'ServiceFailure' as const,
  match: (input: Readonly<Record<string, unknown>>) => input.TopicArn === CENTRAL,
  ...(times === undefined ? {} : { times }),
});

describe('central alerts, end to end', () => {
  it('publishes to the alert topic and to the central topic (its own Region), naming the account', async () => {
    const h = harness();
    await h.run(attachEvent('prod-gpu-nodes', 'evt-central-1'));
    const [local] = h.published(h.alertTopic);
    const [central] = h.published(CENTRAL);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.published(CENTRAL)).toHaveLength(1);
    expect(central?.subject).toBe(
      // The event name gives way first (the eventName attribute and the body keep it).
      '[HIGH] prod-payments (111122223333): EKS node role prod-gpu-nodes can now write to ECR',
    );
    expect(local?.subject).toBe(
      '[HIGH] EKS node role prod-gpu-nodes can now write to ECR (AttachRolePolicy)',
    );
    expect(central?.message).toBe(local?.message);
    expect(central?.attributes).toMatchObject({
      accountId: '111122223333',
      accountName: 'prod-payments',
      severity: 'high',
      roleName: 'prod-gpu-nodes',
    });
    expect(central?.attributes).not.toHaveProperty('account');
    expect(local?.attributes).toMatchObject({ account: '111122223333' });
    expect(local?.attributes).not.toHaveProperty('accountName');
    const centralCall = h.fake.calls.find(
      (call) => call.service === 'sns' && call.input.TopicArn === CENTRAL,
    );
    expect(centralCall?.region).toBe('eu-central-1');
  });

  it('reads the account name once and keeps it (one GetAccountInformation for several alerts)', async () => {
    const h = harness();
    const reads = () =>
      h.fake.calls.filter((call) => call.service === 'account' && call.command === 'GetAccountInformation');
    await h.run(attachEvent('prod-gpu-nodes', 'evt-cache-1'));
    expect(reads()).toHaveLength(1);
    // run() forgets the calls so far: the second alert read nothing.
    await h.run(attachEvent('prod-gpu-nodes', 'evt-cache-2'));
    expect(reads()).toHaveLength(0);
    // An hour later the name is read again.
    h.advance(60 * 60 * 1000);
    await h.run(attachEvent('prod-gpu-nodes', 'evt-cache-3'));
    expect(reads()).toHaveLength(1);
    expect(h.published(CENTRAL).map((m) => m.attributes.accountName)).toEqual([
      'prod-payments',
      'prod-payments',
      'prod-payments',
    ]);
  });

  it('names the account id alone when the name cannot be read, and still publishes', async () => {
    const h = harness();
    h.fake.failOn({ service: 'account', command: 'GetAccountInformation', error: 'AccessDenied' });
    await h.run(attachEvent('prod-gpu-nodes', 'evt-no-name'));
    const [central] = h.published(CENTRAL);
    expect(central?.subject).toBe(
      '[HIGH] 111122223333: EKS node role prod-gpu-nodes can now write to ECR (AttachRolePolicy)',
    );
    expect(central?.attributes).toMatchObject({ accountId: '111122223333' });
    expect(central?.attributes).not.toHaveProperty('accountName');
    expect(h.warnings.map((w) => w.message)).toContain(
      'the account name could not be read; the central alert names the account id',
    );
  });

  it('keeps a non-ASCII account name ASCII and within 99 bytes', async () => {
    const h = harness({}, { accountName: 'Zahlungsverkehr-Produktion-Ñandú-ノード-環境-very-long-name' });
    await h.run(attachEvent('eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F', 'evt-long'));
    const [central] = h.published(CENTRAL);
    const subject = central?.subject ?? '';
    expect(subject).toMatch(/^[\x20-\x7E]{1,99}$/);
    expect(subject).toContain('(111122223333): ');
    expect(subject).toBe(
      '[HIGH] Zahlungsverke... (111122223333): EKS node role eksctl-prod-nodegroup... can now write to ECR',
    );
  });

  it('without a central topic, publishes only locally and never reads the account name', async () => {
    const h = harness({}, { central: null });
    await h.run(attachEvent('prod-gpu-nodes', 'evt-local-only'));
    expect(h.published(CENTRAL)).toEqual([]);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.fake.calls.filter((call) => call.command === 'GetAccountInformation')).toEqual([]);
  });

  it('a topic policy that does not admit the account is reported as a central failure', async () => {
    const h = harness({}, { organizationId: 'o-otherorg123' });
    const raw = attachEvent('prod-gpu-nodes', 'evt-denied');
    await expect(h.run(raw)).rejects.toThrow(/central topic/);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.metrics.CentralAlertFailures).toBe(1);
    expect(h.errors[0]?.fields.error).toMatch(/AuthorizationError|not authorized/);
  });

  it('alert mode: a failed central publish is kept for the retry, which publishes it once and the local alert not again', async () => {
    const h = harness();
    h.fake.failOn(failCentral(1));
    const raw = attachEvent('prod-gpu-nodes', 'evt-retry-alert');
    await expect(h.run(raw)).rejects.toThrow(/central topic/);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.published(CENTRAL)).toHaveLength(0);
    expect(h.pending.size).toBe(1);
    expect(h.metrics.CentralAlertFailures).toBe(1);
    expect(h.errors[0]).toMatchObject({
      message: 'the alert could not be published to the central topic; the alert topic has it',
      fields: { role: 'prod-gpu-nodes', topicArn: CENTRAL, keptForRetry: true },
    });

    const retried = await h.handler(raw, context);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.published(CENTRAL)).toHaveLength(1);
    expect(retried.outcomes).toEqual([expect.objectContaining({ role: 'prod-gpu-nodes', alerted: true })]);
    expect(h.pending.size).toBe(0);
    await h.handler(raw, context);
    expect(h.fake.published).toHaveLength(2);
  });

  it('remediate mode: the fix, the local [FIXED] and the central [FIXED] each happen once across the retries', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn(failCentral(2));
    const raw = attachEvent('prod-gpu-nodes', 'evt-retry-fix');
    await expect(h.run(raw)).rejects.toThrow();
    expect(h.fake.roleState('prod-gpu-nodes').attached).toContain(READONLY);
    expect(h.published(h.alertTopic).map((m) => m.subject?.slice(0, 7))).toEqual(['[FIXED]']);

    h.fake.resetCalls();
    await expect(h.handler(raw, context)).rejects.toThrow();
    expect(h.errors.map((e) => e.message)).toContain(
      'the alert for a remediation could not be published on the retry either',
    );
    expect(h.pending.size).toBe(1);

    await h.handler(raw, context);
    expect(h.iamWrites()).toEqual([]);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.published(CENTRAL).map((m) => m.subject)).toEqual([
      '[FIXED] prod-payments (111122223333): ECR write removed from EKS node role prod-gpu-nodes',
    ]);
    expect(h.metrics.CentralAlertFailures).toBe(2);
    expect(h.pending.size).toBe(0);
  });

  it('a local failure after a fix still keeps the whole alert (local and central) for the retry', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({
      service: 'sns',
      command: 'Publish',
      error: 'ServiceFailure',
      times: 1,
      match: (input) => input.TopicArn !== CENTRAL,
    });
    const raw = attachEvent('prod-gpu-nodes', 'evt-local-fails');
    await expect(h.run(raw)).rejects.toThrow();
    expect(h.fake.published).toEqual([]);
    await h.handler(raw, context);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.published(CENTRAL)).toHaveLength(1);
    expect(h.metrics.CentralAlertFailures ?? 0).toBe(0);
  });

  it('without a pending store, a failed central publish is reported and the invocation succeeds (no duplicate)', async () => {
    const h = harness({}, { store: false });
    h.fake.failOn(failCentral());
    const result = await h.run(attachEvent('prod-gpu-nodes', 'evt-no-store'));
    expect(result.outcomes).toEqual([expect.objectContaining({ alerted: true })]);
    expect(h.published(h.alertTopic)).toHaveLength(1);
    expect(h.metrics.CentralAlertFailures).toBe(1);
    expect(h.errors[0]?.fields).toMatchObject({ keptForRetry: false });
  });
});
