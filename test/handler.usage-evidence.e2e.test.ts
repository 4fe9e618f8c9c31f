// End-to-end (issue 13, done-when 1): the real event handler over the in-memory AWS, whose CloudTrail answers
// LookupEvents: a node role that pushed yesterday is not fixed in remediate mode and the alert says why; one that
// did not push is fixed; unknown usage holds the fix unless fixWhenUsageUnknown.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { buildDependencies } from '../lambda/composition';
import { type GuardConfig, type LambdaSettings, parseConfig } from '../lambda/config';
import { createEventHandler } from '../lambda/event-handler';
import { FakeAws } from '../lambda/in-memory-aws/fake-aws';
import { InMemoryCacheClient, inMemoryPersistence } from '../lambda/in-memory-aws/idempotency';
import { replayRecordedCall } from '../lambda/in-memory-aws/replay';
import { extractAlertJson } from '../lambda/notify/format';
import { ecrCall } from './support/cloudtrail-events';

const ROOT = join(__dirname, '..');
const SAMPLE_ACCOUNT = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const ATTACH_EVENT = JSON.parse(
  readFileSync(join(ROOT, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json'), 'utf8'),
);
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const NODE_ROLE_ARN = `arn:aws:iam::111122223333:role/${NODE_ROLE}`;
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const IAM_WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];
/** One hour after the reference AttachRolePolicy (2026-11-20T09:15:42Z). */
const NOW = Date.parse('2026-11-20T10:15:42Z');
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as unknown as Context;

/** The decision in the alert's JSON block. */
function alertDecision(message: string | undefined): unknown {
  const json = extractAlertJson(message ?? '');
  return typeof json === 'object' && json !== null && 'decision' in json ? json.decision : null;
}

function harness(config: Partial<GuardConfig> = {}) {
  let clock = NOW;
  const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT, { clock: () => clock });
  const topicArn = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig({ mode: 'remediate', ...config }),
    partition: 'aws',
    accountId: '111122223333',
    alertTopicArn: topicArn,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: 'arn:aws:iam::111122223333:role/eks-ecr-guard-EventFunctionRole',
  };
  const sleeps: number[] = [];
  const deps = buildDependencies(settings, fake.clients(), {
    // The clock moves only when the guard sleeps: the fake's rate limit sees the spacing the guard keeps.
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
    today: () => '2026-11-22',
    now: () => clock,
  });
  const handler = createEventHandler({ deps, persistence: inMemoryPersistence(new InMemoryCacheClient()) });
  return {
    fake,
    sleeps,
    async run() {
      await replayRecordedCall(fake.iamClient(), ATTACH_EVENT);
      fake.resetCalls();
      return handler(ATTACH_EVENT, context);
    },
    iamWrites: () => fake.calls.filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.command)),
    lookups: () => fake.calls.filter((c) => c.service === 'cloudtrail'),
  };
}

describe('usage evidence before a fix (remediate mode)', () => {
  it('a node role that pushed yesterday is not fixed: the alert escalates and says why', async () => {
    const h = harness();
    h.fake.addCloudTrailEvent(
      'eu-west-1',
      ecrCall({
        id: 'push-1',
        roleArn: NODE_ROLE_ARN,
        session: 'i-0abc1234def567890',
        region: 'eu-west-1',
        time: '2026-11-19T14:02:11Z',
        repository: 'ci/builder',
      }),
    );
    const result = await h.run();

    expect(result.outcomes).toEqual([
      expect.objectContaining({ verdict: 'violation', remediation: null, alerted: true }),
    ]);
    expect(h.iamWrites()).toEqual([]);
    expect(h.fake.roleState(NODE_ROLE).attached).toContain(FULL);

    const [message] = h.fake.published;
    expect(message?.subject).toMatch(/^\[ESCALATED\].*In use, not fixed: EKS node role .* pushes to ECR/);
    const body = message?.message ?? '';
    expect(body).toContain('ESCALATED');
    expect(body).toContain('USAGE EVIDENCE (CLOUDTRAIL)');
    expect(body).toContain('i-0abc1234def567890');
    expect(body).toContain('eu-west-1/ci/builder');
    expect(body).toContain('aws eks create-pod-identity-association');
    expect(body).toContain('arn:aws:ecr:eu-west-1:111122223333:repository/ci/builder');

    expect(alertDecision(body)).toMatchObject({
      usageHold: 'escalated-in-use',
      usage: {
        status: 'used',
        sessions: ['i-0abc1234def567890'],
        repositories: ['eu-west-1/ci/builder'],
        calls: 1,
        lastTime: '2026-11-19T14:02:11Z',
        windowDays: 14,
      },
    });
    // Looked up by event source, in the role's cluster region first.
    expect(h.lookups()[0]).toMatchObject({
      command: 'LookupEvents',
      region: 'eu-west-1',
      input: { LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ecr.amazonaws.com' }] },
    });
  });

  it('a node role that did not push is fixed, and the alert says CloudTrail found no write', async () => {
    const h = harness();
    // Another role's push and an old push by this role (outside the 14-day window) are no evidence.
    h.fake.addCloudTrailEvent(
      'eu-west-1',
      ecrCall({
        id: 'other',
        roleArn: 'arn:aws:iam::111122223333:role/ci-pod-role',
        session: 'eks-prod-builder-1',
        region: 'eu-west-1',
        time: '2026-11-19T14:02:11Z',
      }),
    );
    h.fake.addCloudTrailEvent(
      'eu-west-1',
      ecrCall({
        id: 'old',
        roleArn: NODE_ROLE_ARN,
        session: 'i-0old',
        region: 'eu-west-1',
        time: '2026-10-01T00:00:00Z',
      }),
    );
    const result = await h.run();

    expect(result.outcomes).toEqual([
      expect.objectContaining({ verdict: 'violation', remediation: 'applied' }),
    ]);
    expect(h.fake.roleState(NODE_ROLE).attached).not.toContain(FULL);
    const [message] = h.fake.published;
    expect(message?.subject).toMatch(/^\[FIXED\]/);
    expect(alertDecision(message?.message)).toMatchObject({
      usage: { status: 'not-used', windowDays: 14 },
      usageHold: null,
    });
    expect(message?.message).toContain('no ECR write call by this role in the last 14 days');
  });

  it('usage that cannot be looked up (AccessDenied) holds the fix by default, and says why', async () => {
    const h = harness();
    h.fake.failOn({ service: 'cloudtrail', command: 'LookupEvents', error: 'AccessDenied' });
    const result = await h.run();
    expect(result.outcomes).toEqual([expect.objectContaining({ remediation: null, alerted: true })]);
    expect(h.iamWrites()).toEqual([]);
    const [message] = h.fake.published;
    expect(message?.subject).toMatch(/Not fixed, ECR usage unknown/);
    expect(alertDecision(message?.message)).toMatchObject({
      usage: { status: 'unknown', reason: 'access-denied' },
      usageHold: 'held-usage-unknown',
    });
  });

  it('with fixWhenUsageUnknown the same role is fixed', async () => {
    const h = harness({ fixWhenUsageUnknown: true });
    h.fake.failOn({ service: 'cloudtrail', command: 'LookupEvents', error: 'AccessDenied' });
    const result = await h.run();
    expect(result.outcomes).toEqual([expect.objectContaining({ remediation: 'applied' })]);
  });

  it('keeps to 2 LookupEvents per second per region while paging (the fake throttles beyond it)', async () => {
    const h = harness();
    // 120 pulls by the role (not writes): three pages of 50 in the home cluster region, no evidence.
    for (let i = 0; i < 120; i += 1) {
      h.fake.addCloudTrailEvent(
        'eu-west-1',
        ecrCall({
          id: `pull-${i}`,
          roleArn: NODE_ROLE_ARN,
          session: 'i-0abc',
          region: 'eu-west-1',
          time: new Date(NOW - (i + 1) * 60_000).toISOString(),
          eventName: 'BatchGetImage',
        }),
      );
    }
    const result = await h.run();
    const pages = h.lookups().filter((call) => call.region === 'eu-west-1');
    expect(pages).toHaveLength(3);
    expect(pages[1]?.input.NextToken).toEqual(expect.any(String));
    expect(h.sleeps.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(2);
    expect(result.outcomes).toEqual([expect.objectContaining({ remediation: 'applied' })]);
  });
});

describe('usage evidence in alert mode', () => {
  it('shows the evidence and the pod-role path, and changes nothing', async () => {
    const h = harness({ mode: 'alert' });
    h.fake.addCloudTrailEvent(
      'eu-west-1',
      ecrCall({
        id: 'p',
        roleArn: NODE_ROLE_ARN,
        session: 'i-0abc',
        region: 'eu-west-1',
        time: '2026-11-19T10:00:00Z',
      }),
    );
    await h.run();
    expect(h.iamWrites()).toEqual([]);
    const [message] = h.fake.published;
    expect(message?.subject).toMatch(/^\[HIGH\] EKS node role .* can now write to ECR/);
    expect(message?.message).toContain('IN USE: 1 ECR write call(s)');
    expect(message?.message).toContain('PUSH ACCESS');
  });
});
