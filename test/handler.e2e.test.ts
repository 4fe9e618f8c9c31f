// End-to-end: the real event handler (composition root, gateways, SDK clients) against the stateful in-memory
// fake AWS, for every reference sample event and every demo event, in alert and remediate mode, plus the
// remediation and failure paths. Assertions are on the final IAM state, the AWS calls sent, and the alerts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AttachRolePolicyCommand } from '@aws-sdk/client-iam';
import type { Context } from 'aws-lambda';
import { demoEventFiles } from '../lambda/cli/demo';
import { buildDependencies, type Dependencies } from '../lambda/composition';
import { type GuardConfig, type LambdaSettings, parseConfig } from '../lambda/config';
import { GUARD_POLICY_NAME } from '../lambda/contract';
import { createEventHandler } from '../lambda/event-handler';
import { FakeAws, type FakeAwsOptions } from '../lambda/in-memory-aws/fake-aws';
import { InMemoryCacheClient, inMemoryPersistence } from '../lambda/in-memory-aws/idempotency';
import { InMemoryPendingOutcomes } from '../lambda/in-memory-aws/pending-outcomes';
import { replayRecordedCall, seedRecordedPrecondition } from '../lambda/in-memory-aws/replay';
import { ALERT_JSON_BEGIN, ALERT_JSON_END } from '../lambda/notify/format';
import type { GuardMetrics } from '../lambda/usecases/telemetry';

const ROOT = join(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const SAMPLE_ACCOUNT = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const GUARD_ROLE = 'arn:aws:iam::111122223333:role/eks-ecr-guard-EventFunctionRole';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const READONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const PULLONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';
const IAM_WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];
const PULL_BRIDGE = 'eks-ecr-guard-pull-bridge';

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as unknown as Context;

interface Harness {
  readonly fake: FakeAws;
  readonly handler: ReturnType<typeof createEventHandler>;
  readonly metrics: Record<string, number>;
  readonly topicArn: string;
  readonly deps: Dependencies;
  /** Remediation outcomes whose alert is owed to a retry. */
  readonly pending: InMemoryPendingOutcomes;
  /** What the handler logged at error level: message and fields. */
  readonly errors: { message: string; fields: Record<string, unknown> }[];
  /** What the handler logged at info level. */
  readonly infos: { message: string; fields: Record<string, unknown> }[];
  /** Seeds what the recorded call implies, replays it, forgets the calls so far, then runs the handler. */
  run(raw: unknown): Promise<Awaited<ReturnType<ReturnType<typeof createEventHandler>>>>;
  iamWrites(): { command: string; input: Record<string, unknown> }[];
}

function harness(config: Partial<GuardConfig> = {}, fakeOptions: FakeAwsOptions = {}): Harness {
  const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT, fakeOptions);
  // The sample account states its quota (10); a test may lower it.
  if (fakeOptions.managedPolicyQuota !== undefined)
    fake.setManagedPolicyQuota(fakeOptions.managedPolicyQuota);
  const topicArn = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig(config),
    partition: 'aws',
    accountId: '111122223333',
    alertTopicArn: topicArn,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: GUARD_ROLE,
  };
  const metrics: Record<string, number> = {};
  const recorder: GuardMetrics = {
    addMetric: (name, _unit, value) => {
      metrics[name] = (metrics[name] ?? 0) + value;
    },
  };
  const errors: Harness['errors'] = [];
  const infos: Harness['infos'] = [];
  const deps = buildDependencies(settings, fake.clients(), {
    metrics: recorder,
    logger: {
      info: (message, ...extra) => infos.push({ message, fields: Object.assign({}, ...extra) }),
      warn() {},
      error: (message, ...extra) => errors.push({ message, fields: Object.assign({}, ...extra) }),
    },
    sleep: async () => undefined,
    today: () => '2026-11-22',
    // One hour after the reference AttachRolePolicy (2026-11-20T09:15:42Z).
    now: () => Date.parse('2026-11-20T10:15:42Z'),
  });
  const pending = new InMemoryPendingOutcomes();
  const handler = createEventHandler({
    deps,
    persistence: inMemoryPersistence(new InMemoryCacheClient()),
    pendingOutcomes: pending,
  });
  return {
    fake,
    handler,
    pending,
    metrics,
    topicArn,
    deps,
    errors,
    infos,
    async run(raw) {
      // A recorded detach/delete implies the policy was there: the sample account may not hold it.
      await seedRecordedPrecondition(fake.iamClient(), raw);
      await replayRecordedCall(fake.iamClient(), raw, { eksFor: (region) => fake.eksClientFor(region) });
      fake.resetCalls();
      return handler(raw, context);
    },
    iamWrites: () =>
      fake.calls
        .filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.command))
        .map((c) => ({ command: c.command, input: { ...c.input } })),
  };
}

function attachEvent(roleName: string, policyArn: string, eventId = 'evt-attach'): unknown {
  const raw = structuredClone(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'))) as {
    detail: { requestParameters: Record<string, string>; eventID: string };
  };
  raw.detail.requestParameters = { roleName, policyArn };
  raw.detail.eventID = eventId;
  return raw;
}

/** A DeleteRolePermissionsBoundary event: the one change the guard always answers by reading the whole role. */
function wholeRoleEvent(roleName: string, eventId: string): unknown {
  const raw = attachEvent(roleName, FULL, eventId) as {
    detail: { eventName: string; requestParameters: Record<string, string> };
  };
  raw.detail.eventName = 'DeleteRolePermissionsBoundary';
  raw.detail.requestParameters = { roleName };
  return raw;
}

function alertJson(message: string): { kind: string; decision: { verdict: string } } {
  const start = message.indexOf(ALERT_JSON_BEGIN) + ALERT_JSON_BEGIN.length;
  return JSON.parse(message.slice(start, message.indexOf(ALERT_JSON_END)));
}

describe.each(['alert', 'remediate'] as const)('every sample and demo event, mode %s', (mode) => {
  const referenceFiles = [
    'iam-AttachRolePolicy.json',
    'iam-AttachRolePolicy-AccessDenied.json',
    'iam-PutRolePolicy.json',
    'iam-DetachRolePolicy.json',
    'iam-DeleteRolePolicy.json',
    'iam-CreatePolicyVersion.json',
    'iam-SetDefaultPolicyVersion.json',
    'eks-CreateNodegroup.json',
    'eks-CreateAccessEntry.json',
  ].map((f) => join(FIXTURES, f));

  it.each([...referenceFiles, ...demoEventFiles()].map((f) => [f.slice(f.lastIndexOf('/') + 1), f]))(
    '%s',
    async (_name, file) => {
      const h = harness({ mode });
      const result = await h.run(readJson(file));
      const violations = result.outcomes.filter(
        (o) => o.verdict === 'violation' || o.verdict === 'indeterminate',
      );
      // One alert per violation/indeterminate decision, nothing for the rest, none twice.
      expect(h.fake.published).toHaveLength(violations.length);
      if (mode === 'alert') {
        expect(h.iamWrites()).toEqual([]);
        for (const o of result.outcomes) expect(o.remediation).toBeNull();
      } else {
        for (const o of result.outcomes.filter((x) => x.verdict === 'violation'))
          expect(o.remediation).toBe('applied');
        // After remediation no role the event touched can write to ECR any more: an event that makes the
        // guard re-read the whole role (a boundary removal, no short cut) finds it compliant.
        for (const o of result.outcomes.filter((x) => x.verdict === 'violation' && x.role !== null)) {
          const again = await h.handler(wholeRoleEvent(o.role ?? '', `re-${o.role}`), context);
          expect(again.outcomes).toEqual([expect.objectContaining({ verdict: 'compliant', alerted: false })]);
          const state = h.fake.roleState(o.role ?? '');
          const swapped = !state.attached.some((arn) => /FullAccess|PowerUser|AdministratorAccess/.test(arn));
          expect(swapped || GUARD_POLICY_NAME in state.inline).toBe(true);
        }
      }
    },
  );
});

describe('alert mode', () => {
  it('the FullAccess attach on a managed node group role alerts once, with the decision JSON, and writes nothing', async () => {
    const h = harness();
    const result = await h.run(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json')));
    expect(result.outcomes).toEqual([
      {
        verdict: 'violation',
        scope: 'role',
        role: NODE_ROLE,
        severity: 'high',
        remediation: null,
        alerted: true,
      },
    ]);
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.roleState(NODE_ROLE).attached).toContain(FULL);
    const [message] = h.fake.published;
    expect(message?.topicArn).toBe(h.topicArn);
    expect(message?.subject).toMatch(/^\[HIGH\] EKS node role .* can now write to ECR \(AttachRolePolicy\)$/);
    expect(message?.attributes).toMatchObject({
      severity: 'high',
      verdict: 'violation',
      eventName: 'AttachRolePolicy',
    });
    expect(alertJson(message?.message ?? '').decision.verdict).toBe('violation');
    expect(h.metrics).toMatchObject({ EventsEvaluated: 1, ViolationsHigh: 1 });
  });

  it('a duplicated delivery of the same CloudTrail event sends one Publish', async () => {
    const h = harness();
    const raw = readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'));
    await h.run(raw);
    await h.handler(raw, context);
    await h.handler(structuredClone(raw), context);
    expect(h.fake.published).toHaveLength(1);
  });

  it('a different event id on the same change is a new event (alerted again)', async () => {
    const h = harness();
    await h.run(attachEvent(NODE_ROLE, FULL, 'one'));
    await h.handler(attachEvent(NODE_ROLE, FULL, 'two'), context);
    expect(h.fake.published).toHaveLength(2);
  });

  it('AccessDenied on a read gives an indeterminate alert naming what could not be read', async () => {
    const h = harness();
    h.fake.failOn({ service: 'iam', command: 'GetRolePolicy', error: 'AccessDenied' });
    const result = await h.run(readJson(join(FIXTURES, 'iam-PutRolePolicy.json')));
    expect(result.outcomes[0]?.verdict).toBe('indeterminate');
    expect(h.fake.published).toHaveLength(1);
    expect(h.fake.published[0]?.subject).toContain(NODE_ROLE.slice(0, 20));
    expect(h.fake.published[0]?.message).toContain('ci-push-images');
    expect(h.metrics.Indeterminate).toBe(1);
  });

  it('AccessDenied on EKS is indeterminate and alerted, never a silent pass', async () => {
    const h = harness();
    h.fake.failOn({ service: 'eks', command: 'ListClusters', error: 'AccessDenied' });
    const result = await h.run(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json')));
    expect(result.outcomes[0]?.verdict).toBe('indeterminate');
    expect(h.fake.published[0]?.message).toContain('AccessDenied');
  });

  it('a role deleted before the guard reads it is ignored, no alert', async () => {
    const h = harness();
    h.fake.failOn({ service: 'iam', command: 'GetRole', error: 'NoSuchEntity' });
    const result = await h.run(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json')));
    expect(result.outcomes[0]).toMatchObject({ verdict: 'ignored', alerted: false });
    expect(h.fake.published).toHaveLength(0);
  });

  it('persistent throttling fails the invocation (so Lambda retries it) and a retry then succeeds', async () => {
    const h = harness();
    h.fake.failOn({ service: 'iam', command: 'GetRole', error: 'Throttling', times: 1 });
    const raw = readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'));
    await expect(h.run(raw)).rejects.toThrow();
    expect(h.fake.published).toHaveLength(0);
    const retried = await h.handler(raw, context);
    expect(retried.outcomes[0]?.verdict).toBe('violation');
    expect(h.fake.published).toHaveLength(1);
  });

  it('an SNS failure fails the invocation instead of losing the alert', async () => {
    const h = harness();
    h.fake.failOn({ service: 'sns', command: 'Publish', error: 'ServiceFailure' });
    await expect(h.run(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json')))).rejects.toThrow();
  });
});

describe.each(['alert', 'remediate'] as const)('the check-deploy test change, mode %s', (mode) => {
  it('is decided like any change, logged with the line check-deploy waits for, and never touched', async () => {
    const h = harness({ mode });
    const roleName = 'eks-ecr-guard-check-deploy-abc123';
    h.fake.addRole({
      name: roleName,
      attached: [],
      tags: { 'eks-ecr-guard:exempt': 'check-deploy test role' },
    });
    const raw = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
      detail: { eventID: string; requestParameters: Record<string, string> };
    };
    raw.detail.eventID = 'evt-check-deploy';
    raw.detail.requestParameters = {
      roleName,
      policyName: 'eks-ecr-guard-check-deploy',
      policyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Action: '*', Resource: '*' }],
      }),
    };
    await h.run(raw);
    expect(h.infos.filter((line) => line.message === 'check-deploy test event seen')).toEqual([
      {
        message: 'check-deploy test event seen',
        fields: expect.objectContaining({
          role: roleName,
          eventId: 'evt-check-deploy',
          eventName: 'PutRolePolicy',
        }),
      },
    ]);
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.published).toHaveLength(0);
  });
});

describe('remediate mode', () => {
  it('swaps FullAccess on a role without a pull policy: attach ReadOnly, then detach, exactly', async () => {
    const h = harness({ mode: 'remediate' });
    const result = await h.run(attachEvent('prod-gpu-nodes', FULL));
    expect(result.outcomes[0]).toMatchObject({ verdict: 'violation', remediation: 'applied' });
    expect(h.iamWrites()).toEqual([
      { command: 'AttachRolePolicy', input: { RoleName: 'prod-gpu-nodes', PolicyArn: READONLY } },
      // PowerUser was already on this role (an existing violation): both write policies go.
      { command: 'DetachRolePolicy', input: { RoleName: 'prod-gpu-nodes', PolicyArn: FULL } },
      {
        command: 'DetachRolePolicy',
        input: {
          RoleName: 'prod-gpu-nodes',
          PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
        },
      },
    ]);
    const after = h.fake.roleState('prod-gpu-nodes').attached;
    expect(after).toContain(READONLY);
    expect(after).not.toContain(FULL);
    expect(h.fake.published[0]?.subject).toMatch(/^\[FIXED\]/);
    expect(h.metrics.RemediationsApplied).toBe(1);
    // From the CloudTrail event time to the verified fix, in seconds (the clock is pinned one hour later).
    expect(h.metrics.TimeToRemediate).toBe(3600);
  });

  it('keeps an already attached PullOnly and only detaches', async () => {
    const h = harness({ mode: 'remediate' });
    await h.run(attachEvent('KarpenterNodeRole-prod', FULL));
    expect(h.iamWrites()).toEqual([
      { command: 'DetachRolePolicy', input: { RoleName: 'KarpenterNodeRole-prod', PolicyArn: FULL } },
    ]);
    expect(h.fake.roleState('KarpenterNodeRole-prod').attached).toContain(PULLONLY);
  });

  it('puts the explicit-deny guard for an inline ecr:* and keeps pulls allowed', async () => {
    const h = harness({ mode: 'remediate' });
    const result = await h.run(readJson(join(FIXTURES, 'iam-PutRolePolicy.json')));
    expect(result.outcomes[0]?.remediation).toBe('applied');
    expect(h.iamWrites().map((w) => [w.command, w.input.PolicyName])).toEqual([
      ['PutRolePolicy', GUARD_POLICY_NAME],
    ]);
    const guard = h.fake.roleState(NODE_ROLE).inline[GUARD_POLICY_NAME] as {
      Statement: { Effect: string; Action: string[] }[];
    };
    expect(guard.Statement[0]?.Effect).toBe('Deny');
    expect(guard.Statement[0]?.Action).toContain('ecr:PutImage');
    expect(guard.Statement[0]?.Action).not.toContain('ecr:BatchGetImage');
    expect(guard.Statement[0]?.Action).not.toContain('ecr:BatchImportUpstreamImage');
  });

  it('at the managed-policy quota: detaches first, behind a temporary pull bridge, then removes the bridge', async () => {
    const h = harness({ mode: 'remediate' }, { managedPolicyQuota: 3 });
    // prod-gpu-nodes: worker node + CNI + PowerUser = 3 attached, at the quota of 3.
    const result = await h.run(
      attachEvent('prod-gpu-nodes', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser', 'q'),
    );
    expect(result.outcomes[0]?.remediation).toBe('applied');
    expect(h.iamWrites().map((w) => [w.command, w.input.PolicyArn ?? w.input.PolicyName])).toEqual([
      ['PutRolePolicy', PULL_BRIDGE],
      ['DetachRolePolicy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'],
      ['AttachRolePolicy', READONLY],
      ['DeleteRolePolicy', PULL_BRIDGE],
    ]);
    const state = h.fake.roleState('prod-gpu-nodes');
    expect(state.attached).toContain(READONLY);
    expect(Object.keys(state.inline)).toEqual([]);
  });

  it('the pull bridge allows exactly the pull actions, nothing that writes', async () => {
    const h = harness({ mode: 'remediate' }, { managedPolicyQuota: 3 });
    await h.run(attachEvent('prod-gpu-nodes', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'));
    const put = h.iamWrites().find((w) => w.command === 'PutRolePolicy');
    expect(JSON.parse(String(put?.input.PolicyDocument))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'KeepImagePullsWhileEksEcrGuardSwapsPolicies',
          Effect: 'Allow',
          Action: [
            'ecr:BatchGetImage',
            'ecr:BatchImportUpstreamImage',
            'ecr:GetAuthorizationToken',
            'ecr:GetDownloadUrlForLayer',
          ],
          Resource: '*',
        },
      ],
    });
  });

  it('on LimitExceeded (quota higher in config than in the account) frees the slot behind the bridge and retries', async () => {
    const h = harness({ mode: 'remediate', managedPolicyQuota: 20 }, { managedPolicyQuota: 3 });
    const result = await h.run(
      attachEvent('prod-gpu-nodes', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'),
    );
    expect(result.outcomes[0]?.remediation).toBe('applied');
    expect(h.iamWrites().map((w) => w.command)).toEqual([
      'AttachRolePolicy',
      'PutRolePolicy',
      'DetachRolePolicy',
      'AttachRolePolicy',
      'DeleteRolePolicy',
    ]);
    expect(Object.keys(h.fake.roleState('prod-gpu-nodes').inline)).toEqual([]);
  });

  it('a failed step stops there: what was done stays (nothing is re-attached), and the alert says what is left', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({
      service: 'iam',
      command: 'DetachRolePolicy',
      match: (i) => i.PolicyArn === FULL,
      error: 'ServiceFailure',
      times: 1,
    });
    const before = h.fake.roleState('prod-gpu-nodes');
    const result = await h.run(attachEvent('prod-gpu-nodes', FULL));
    expect(result.outcomes[0]).toMatchObject({ remediation: 'failed-safe', alerted: true });
    expect(h.iamWrites().map((w) => [w.command, w.input.PolicyArn])).toEqual([
      ['AttachRolePolicy', READONLY],
      ['DetachRolePolicy', FULL],
    ]);
    // The replacement stays (it only adds pulls); the write policies are still there, as the alert says.
    expect(h.fake.roleState('prod-gpu-nodes').attached.sort()).toEqual(
      [...before.attached, FULL, READONLY].sort(),
    );
    const alert = h.fake.published[0];
    expect(alert?.subject).toMatch(/^\[ACTION NEEDED\]/);
    expect(alert?.message).toContain('Done, and left in place');
    expect(alert?.message).toContain('Not done:');
    expect(alert?.message).toContain('aws iam detach-role-policy');
    expect(h.metrics.RemediationFailures).toBe(1);
  });

  it('a failed attach after a detach at the quota leaves the pull bridge: no write access, pulls still allowed', async () => {
    const h = harness({ mode: 'remediate' }, { managedPolicyQuota: 3 });
    h.fake.failOn({
      service: 'iam',
      command: 'AttachRolePolicy',
      match: (input) => input.PolicyArn === READONLY,
      error: 'ServiceFailure',
    });
    const result = await h.run(
      attachEvent('prod-gpu-nodes', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'),
    );
    expect(result.outcomes[0]).toMatchObject({ remediation: 'failed-safe', alerted: true });
    expect(h.iamWrites().map((w) => w.command)).toEqual([
      'PutRolePolicy',
      'DetachRolePolicy',
      'AttachRolePolicy',
    ]);
    const state = h.fake.roleState('prod-gpu-nodes');
    expect(state.attached.some((arn) => /PowerUser|FullAccess/.test(arn))).toBe(false);
    expect(Object.keys(state.inline)).toEqual([PULL_BRIDGE]);
    expect(h.fake.published[0]?.message).toContain('aws iam delete-role-policy');
    // Read whole again, the role cannot write, and the bridge still lets the nodes pull.
    const after = await h.deps.evaluator.evaluateRole('prod-gpu-nodes', {
      id: null,
      name: null,
      time: null,
      actor: null,
    });
    expect(after.ecrWriteActions).toEqual([]);
    expect(after.pullActionsAllowed).toEqual(
      expect.arrayContaining(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']),
    );
  });

  it('a failed verification (role unreadable after the fix) keeps the fix and alerts', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({
      service: 'iam',
      command: 'GetRolePolicy',
      match: (input) =>
        input.PolicyName === 'ci-push-images' && GUARD_POLICY_NAME in h.fake.roleState(NODE_ROLE).inline,
      error: 'AccessDenied',
    });
    const result = await h.run(readJson(join(FIXTURES, 'iam-PutRolePolicy.json')));
    expect(result.outcomes[0]).toMatchObject({ remediation: 'failed-safe', alerted: true });
    expect(Object.keys(h.fake.roleState(NODE_ROLE).inline)).toContain(GUARD_POLICY_NAME);
    expect(h.iamWrites().map((w) => w.command)).toEqual(['PutRolePolicy']);
    expect(h.fake.published[0]?.message).toContain('verification could not read the role');
  });

  it('throttling that outlasts the retries during verification keeps the fix and alerts', async () => {
    const h = harness({ mode: 'remediate' });
    // Every read of the role fails once the write policies are gone, i.e. during verification only.
    h.fake.failOn({
      service: 'iam',
      command: 'ListAttachedRolePolicies',
      match: () => !h.fake.roleState('prod-gpu-nodes').attached.some((a) => a.includes('PowerUser')),
      error: 'Throttling',
    });
    const result = await h.run(attachEvent('prod-gpu-nodes', FULL));
    expect(result.outcomes[0]).toMatchObject({ remediation: 'failed-safe', alerted: true });
    const attached = h.fake.roleState('prod-gpu-nodes').attached;
    expect(attached).toContain(READONLY);
    expect(attached.some((arn) => /PowerUser|FullAccess/.test(arn))).toBe(false);
    expect(h.fake.published[0]?.subject).toMatch(/^\[ACTION NEEDED\]/);
    expect(h.fake.published[0]?.message).toContain('Throttling');
    expect(h.metrics.RemediationFailures).toBe(1);
  });

  it('an SNS failure after an applied fix fails the invocation and logs what was changed', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({ service: 'sns', command: 'Publish', error: 'ServiceFailure' });
    await expect(h.run(attachEvent('prod-gpu-nodes', FULL))).rejects.toThrow();
    expect(h.fake.roleState('prod-gpu-nodes').attached).toContain(READONLY);
    expect(h.errors[0]).toEqual({
      message: 'the alert for a remediation could not be published',
      fields: expect.objectContaining({
        role: 'prod-gpu-nodes',
        status: 'applied',
        applied: expect.arrayContaining([
          expect.objectContaining({ op: 'DetachRolePolicy', policyArn: FULL }),
        ]),
      }),
    });
  });

  it('no lost outcome: after a fix whose alert publish failed, the retry publishes [FIXED] once and writes nothing', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({ service: 'sns', command: 'Publish', error: 'ServiceFailure', times: 1 });
    const raw = attachEvent('prod-gpu-nodes', FULL, 'evt-lost-outcome');
    await expect(h.run(raw)).rejects.toThrow();
    expect(h.fake.published).toHaveLength(0);
    expect(h.iamWrites().length).toBeGreaterThan(0);
    expect(h.pending.size).toBe(1);
    expect(h.errors[0]?.fields).toMatchObject({ keptForRetry: true });

    // The async retry: the same event through the same handler (the idempotency record was not completed).
    h.fake.resetCalls();
    const retried = await h.handler(raw, context);
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.published).toHaveLength(1);
    expect(h.fake.published[0]?.subject).toMatch(/^\[FIXED\]/);
    expect(h.fake.published[0]?.message).toContain('prod-gpu-nodes');
    expect(retried.outcomes).toEqual([
      expect.objectContaining({
        verdict: 'violation',
        role: 'prod-gpu-nodes',
        remediation: 'applied',
        alerted: true,
      }),
    ]);
    expect(h.pending.size).toBe(0);

    // A duplicate delivery after that is answered from the idempotency record: no third publish.
    await h.handler(raw, context);
    expect(h.fake.published).toHaveLength(1);
  });

  it('no lost outcome: a publish that fails on the retry too keeps the outcome for the next retry', async () => {
    const h = harness({ mode: 'remediate' });
    h.fake.failOn({ service: 'sns', command: 'Publish', error: 'ServiceFailure', times: 2 });
    const raw = attachEvent('prod-gpu-nodes', FULL, 'evt-lost-twice');
    await expect(h.run(raw)).rejects.toThrow();
    await expect(h.handler(raw, context)).rejects.toThrow();
    expect(h.pending.size).toBe(1);
    expect(h.errors.map((e) => e.message)).toContain(
      'the alert for a remediation could not be published on the retry either',
    );
    h.fake.resetCalls();
    await h.handler(raw, context);
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.published.map((m) => m.subject?.slice(0, 7))).toEqual(['[FIXED]']);
    expect(h.pending.size).toBe(0);
  });

  it('without a pending-outcome store, a failed publish after a fix is logged as not kept', async () => {
    const h = harness({ mode: 'remediate' });
    const handler = createEventHandler({ deps: h.deps, persistence: null });
    h.fake.failOn({ service: 'sns', command: 'Publish', error: 'ServiceFailure', times: 1 });
    const raw = attachEvent('prod-gpu-nodes', FULL, 'evt-no-store');
    await replayRecordedCall(h.fake.iamClient(), raw);
    await expect(handler(raw, context)).rejects.toThrow();
    expect(h.errors[0]?.fields).toMatchObject({ keptForRetry: false, status: 'applied' });
  });

  it("someone deleting the guard's deny policy gets it put back (and an alert)", async () => {
    const h = harness({ mode: 'remediate' });
    // ci-push-images (inline ecr:*) is guarded with the explicit deny on the node role.
    await h.run(readJson(join(FIXTURES, 'iam-PutRolePolicy.json')));
    expect(Object.keys(h.fake.roleState(NODE_ROLE).inline)).toContain(GUARD_POLICY_NAME);
    const published = h.fake.published.length;

    const removal = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
      detail: { eventName: string; eventID: string; requestParameters: Record<string, string> };
    };
    removal.detail.eventName = 'DeleteRolePolicy';
    removal.detail.eventID = 'evt-delete-guard';
    removal.detail.requestParameters = { roleName: NODE_ROLE, policyName: GUARD_POLICY_NAME };
    const result = await h.run(removal);
    expect(result.outcomes[0]).toMatchObject({ verdict: 'violation', remediation: 'applied', alerted: true });
    expect(h.iamWrites()).toEqual([
      {
        command: 'PutRolePolicy',
        input: expect.objectContaining({ RoleName: NODE_ROLE, PolicyName: GUARD_POLICY_NAME }),
      },
    ]);
    expect(Object.keys(h.fake.roleState(NODE_ROLE).inline)).toContain(GUARD_POLICY_NAME);
    expect(h.fake.published).toHaveLength(published + 1);
  });

  it('is idempotent: a second event on the fixed role changes nothing', async () => {
    const h = harness({ mode: 'remediate' });
    await h.run(attachEvent('prod-gpu-nodes', FULL, 'first'));
    const state = h.fake.roleState('prod-gpu-nodes');
    h.fake.resetCalls();
    const again = await h.handler(attachEvent('prod-gpu-nodes', FULL, 'second'), context);
    expect(again.outcomes[0]?.verdict).toBe('compliant');
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.roleState('prod-gpu-nodes')).toEqual(state);
  });

  it('is loop-safe: the events the guard own changes cause lead to no alert and no action', async () => {
    const h = harness({ mode: 'remediate' });
    await h.run(attachEvent('prod-gpu-nodes', FULL, 'human'));
    const published = h.fake.published.length;
    for (const write of h.iamWrites()) {
      const own = attachEvent('prod-gpu-nodes', String(write.input.PolicyArn), `guard-${write.command}`) as {
        detail: { eventName: string; userIdentity: { sessionContext: { sessionIssuer: { arn: string } } } };
      };
      own.detail.eventName = write.command;
      own.detail.userIdentity.sessionContext.sessionIssuer.arn = GUARD_ROLE;
      h.fake.resetCalls();
      const result = await h.handler(own, context);
      expect(result.outcomes.map((o) => o.verdict)).toEqual(['ignored']);
      expect(h.fake.calls).toEqual([]);
    }
    expect(h.fake.published).toHaveLength(published);
  });

  it('never touches an exempt role', async () => {
    const h = harness({ mode: 'remediate' });
    const result = await h.run(
      readJson(join(ROOT, 'demo', 'events', '08-attach-poweruser-exempt-role.json')),
    );
    expect(result.outcomes[0]?.verdict).toBe('exempt');
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.published).toHaveLength(0);
  });

  it('never touches a role that is not a node role', async () => {
    const h = harness({ mode: 'remediate' });
    await h.run(readJson(join(ROOT, 'demo', 'events', '03-attach-poweruser-ci-role.json')));
    expect(h.iamWrites()).toEqual([]);
  });

  it('remediates every role of a policy version, each verified', async () => {
    const h = harness({ mode: 'remediate', replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly' });
    const result = await h.run(readJson(join(FIXTURES, 'iam-CreatePolicyVersion.json')));
    expect(result.outcomes.map((o) => [o.role, o.remediation])).toEqual([
      ['KarpenterNodeRole-prod', 'applied'],
      [NODE_ROLE, 'applied'],
    ]);
    expect(h.fake.published).toHaveLength(2);
  });
});

describe('EKS events end to end over the in-memory AWS', () => {
  const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';

  it('CreateAccessEntry (EC2_LINUX) for a Karpenter role with PowerUser: violation, alert, and the entry in EKS', async () => {
    const h = harness({ mode: 'alert' });
    const raw = readJson(join(ROOT, 'demo', 'events', '13-create-access-entry-karpenter-poweruser.json'));
    const result = await h.run(raw);
    expect(result.outcomes).toEqual([
      expect.objectContaining({ verdict: 'violation', role: 'KarpenterNodeRole-staging', alerted: true }),
    ]);
    expect(h.fake.roleState('KarpenterNodeRole-staging').attached).toContain(POWER_USER);
    const alert = alertJson(h.fake.published[0]?.message ?? '');
    expect(alert.decision.verdict).toBe('violation');
    // The replay created the entry, and the guard read the inventory again (the warm cache was forgotten).
    expect(
      h.fake.calls.filter((c) => c.service === 'eks' && c.command === 'ListClusters').length,
    ).toBeGreaterThan(0);
    expect(h.iamWrites()).toEqual([]);
  });

  it('CreateCluster with Auto Mode whose node role holds FullAccess: violation with auto-mode evidence, fixed in remediate', async () => {
    const h = harness({ mode: 'remediate' });
    await h.fake
      .iamClient()
      .send(new AttachRolePolicyCommand({ RoleName: 'AmazonEKSAutoNodeRole', PolicyArn: FULL }));
    const result = await h.run(readJson(join(FIXTURES, 'eks-CreateCluster.json')));
    expect(result.outcomes).toEqual([
      expect.objectContaining({
        verdict: 'violation',
        role: 'AmazonEKSAutoNodeRole',
        remediation: 'applied',
      }),
    ]);
    expect(h.fake.roleState('AmazonEKSAutoNodeRole').attached).not.toContain(FULL);
    const alert = alertJson(h.fake.published[0]?.message ?? '') as unknown as {
      decision: { nodeRole: { evidence: { kind: string; cluster: string | null }[] } };
    };
    expect(alert.decision.nodeRole.evidence).toContainEqual(
      expect.objectContaining({ kind: 'auto-mode', cluster: 'auto' }),
    );
  });

  it('a failed CreateNodegroup is ignored, with no read', async () => {
    const h = harness({ mode: 'remediate' });
    const raw = readJson(join(FIXTURES, 'eks-CreateNodegroup.json')) as { detail: Record<string, unknown> };
    raw.detail.errorCode = 'ResourceInUseException';
    const result = await h.run(raw);
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'ignored', alerted: false })]);
    expect(h.fake.calls).toEqual([]);
  });
});
