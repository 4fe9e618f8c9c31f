// The Security Hub finding lifecycle over the in-memory AWS (issue 14, part 5): the event pipeline and the sweep,
// with `securityHub` on, import one ASFF finding per node role into the account's own Security Hub: new (FAILED),
// still failing (same Id, later UpdatedAt, creation kept), fixed (PASSED, archived; remediate mode too), role
// deleted (closed by the sweep's reconciliation), partial failures retried once and reported, batches of ≤ 100.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DetachRolePolicyCommand } from '@aws-sdk/client-iam';
import { buildDependencies } from '../../lambda/composition';
import { type GuardConfig, type LambdaSettings, parseConfig } from '../../lambda/config';
import { METRIC } from '../../lambda/contract';
import { FakeAws, type StoredFinding } from '../../lambda/in-memory-aws/fake-aws';
import { replayRecordedCall } from '../../lambda/in-memory-aws/replay';
import { findingId, GENERATOR_ID } from '../../lambda/report/asff';
import { Sweep } from '../../lambda/sweep';
import { handleEvent } from '../../lambda/usecases/handle-event';
import type { GuardLogger, GuardMetrics } from '../../lambda/usecases/telemetry';
import { assertValidAsff } from '../report/asff-validator';

const ROOT = join(__dirname, '..', '..');
const SAMPLE_ACCOUNT = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const ATTACH = JSON.parse(
  readFileSync(join(ROOT, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json'), 'utf8'),
);
const ACCOUNT = '111122223333';
const REGION = 'eu-west-1';
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const NODE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${NODE_ROLE}`;
const GPU_ROLE = 'prod-gpu-nodes';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const TARGET = { accountId: ACCOUNT, region: REGION, partition: 'aws' };

function event(eventName: string, roleName: string, policyArn: string | null, id: string): unknown {
  const raw = structuredClone(ATTACH);
  raw.detail.eventName = eventName;
  raw.detail.eventID = id;
  raw.detail.requestParameters = policyArn === null ? { roleName } : { roleName, policyArn };
  return raw;
}

interface Harness {
  readonly fake: FakeAws;
  readonly metrics: Record<string, number>;
  readonly errors: { message: string; fields: Record<string, unknown> }[];
  /** Sets the clock (ISO). */
  at(iso: string): void;
  /** Replays the IAM call into the fake, then runs the event pipeline. */
  onEvent(raw: unknown): Promise<void>;
  sweep(): Promise<void>;
  findings(): StoredFinding[];
  findingOf(roleArn: string): StoredFinding | undefined;
}

function harness(config: Partial<GuardConfig> = {}): Harness {
  const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT, { homeRegion: REGION, pageSize: 3 });
  const topic = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig({ securityHub: true, ...config }),
    partition: 'aws',
    accountId: ACCOUNT,
    alertTopicArn: topic,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: `arn:aws:iam::${ACCOUNT}:role/eks-ecr-guard-EventFunctionRole`,
    region: REGION,
  };
  const metrics: Record<string, number> = {};
  const recorder: GuardMetrics = {
    addMetric: (name, _unit, value) => {
      metrics[name] = (metrics[name] ?? 0) + value;
    },
  };
  const errors: Harness['errors'] = [];
  const logger: GuardLogger = {
    info() {},
    warn() {},
    error: (message, ...extra) => errors.push({ message, fields: Object.assign({}, ...extra) }),
  };
  let now = Date.parse('2026-11-20T10:00:00Z');
  const clock = () => now;
  const options = {
    metrics: recorder,
    logger,
    now: clock,
    sleep: async () => undefined,
    today: () => '2026-11-22',
  };
  const deps = buildDependencies(settings, fake.clients(), options);
  const findings = () => fake.securityHubFindings(REGION);
  return {
    fake,
    metrics,
    errors,
    at: (iso) => {
      now = Date.parse(iso);
    },
    async onEvent(raw) {
      await replayRecordedCall(fake.iamClient(), raw);
      await handleEvent(deps, raw);
    },
    async sweep() {
      await new Sweep(settings, fake.clients(), options).run();
    },
    findings,
    findingOf: (roleArn) => findings().find((f) => f.Id === findingId(TARGET, roleArn)),
  };
}

const compliance = (finding: StoredFinding | undefined): unknown =>
  finding !== undefined && typeof finding.Compliance === 'object' && finding.Compliance !== null
    ? Reflect.get(finding.Compliance, 'Status')
    : undefined;
const workflow = (finding: StoredFinding | undefined): unknown =>
  finding !== undefined && typeof finding.Workflow === 'object' && finding.Workflow !== null
    ? Reflect.get(finding.Workflow, 'Status')
    : undefined;

describe('the finding lifecycle on the event path', () => {
  it('new → still failing → fixed: one finding, same Id, FAILED then PASSED and archived', async () => {
    const h = harness();
    // New: a write policy attached to a node role.
    h.at('2026-11-20T10:00:00Z');
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(h.findings()).toHaveLength(1);
    const created = h.findingOf(NODE_ROLE_ARN);
    expect(created).toMatchObject({
      AwsAccountId: ACCOUNT,
      ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
      GeneratorId: GENERATOR_ID,
      RecordState: 'ACTIVE',
      CreatedAt: '2026-11-20T10:00:00.000Z',
      UpdatedAt: '2026-11-20T10:00:00.000Z',
      // AmazonEC2ContainerRegistryFullAccess on a node role is a HIGH violation (docs/decisions.md).
      Severity: { Label: 'HIGH' },
    });
    expect(compliance(created)).toBe('FAILED');
    expect(workflow(created)).toBe('NEW');
    assertValidAsff(created);

    // Still failing: another write policy, later: the same finding updated, its creation kept.
    h.at('2026-11-20T11:00:00Z');
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, POWER_USER, 'evt-2'));
    expect(h.findings()).toHaveLength(1);
    const updated = h.findingOf(NODE_ROLE_ARN);
    expect(compliance(updated)).toBe('FAILED');
    expect(updated).toMatchObject({
      CreatedAt: '2026-11-20T10:00:00.000Z',
      UpdatedAt: '2026-11-20T11:00:00.000Z',
    });

    // Fixed: both write policies detached; the next whole-role look passes it and archives the finding.
    for (const policy of [FULL, POWER_USER]) {
      await h.fake.iamClient().send(new DetachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: policy }));
    }
    h.at('2026-11-20T12:00:00Z');
    await h.onEvent(event('DeleteRolePermissionsBoundary', NODE_ROLE, null, 'evt-3'));
    expect(h.findings()).toHaveLength(1);
    const fixed = h.findingOf(NODE_ROLE_ARN);
    expect(compliance(fixed)).toBe('PASSED');
    expect(fixed).toMatchObject({
      RecordState: 'ARCHIVED',
      Severity: { Label: 'INFORMATIONAL' },
      CreatedAt: '2026-11-20T10:00:00.000Z',
      UpdatedAt: '2026-11-20T12:00:00.000Z',
    });
    assertValidAsff(fixed);
    expect(h.errors).toEqual([]);
  });

  it('remediate mode: the violation fixed by the guard is imported as PASSED and archived', async () => {
    const h = harness({ mode: 'remediate' });
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(h.fake.roleState(NODE_ROLE).attached).not.toContain(FULL);
    const finding = h.findingOf(NODE_ROLE_ARN);
    expect(compliance(finding)).toBe('PASSED');
    expect(finding).toMatchObject({ RecordState: 'ARCHIVED', ProductFields: { verdict: 'remediated' } });
  });

  it('imports nothing for a change that cannot grant ECR write (only the change was judged)', async () => {
    const h = harness();
    await h.onEvent(
      event(
        'AttachRolePolicy',
        NODE_ROLE,
        'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
        'evt-pull',
      ),
    );
    expect(h.findings()).toEqual([]);
    expect(h.fake.callCount('securityhub', 'BatchImportFindings')).toBe(0);
  });

  it('imports nothing when securityHub is off', async () => {
    const h = harness({ securityHub: false });
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(h.fake.callCount('securityhub')).toBe(0);
  });
});

describe('the sweep reconciles every finding it owns', () => {
  it('imports one finding per node role, and closes the finding of a role that was deleted', async () => {
    const h = harness();
    h.at('2026-11-21T06:00:00Z');
    await h.sweep();
    // The sample account has 8 node roles, one of them (prod-gpu-nodes) a violation.
    expect(h.findings()).toHaveLength(8);
    const gpuArn = `arn:aws:iam::${ACCOUNT}:role/${GPU_ROLE}`;
    expect(compliance(h.findingOf(gpuArn))).toBe('FAILED');
    for (const finding of h.findings()) assertValidAsff(finding);

    // The role is deleted: the next sweep no longer sees it, and closes its finding.
    expect(h.fake.deleteRole(GPU_ROLE)).toBe(true);
    h.at('2026-11-22T06:00:00Z');
    await h.sweep();
    expect(h.findings()).toHaveLength(8);
    const closed = h.findingOf(gpuArn);
    expect(compliance(closed)).toBe('PASSED');
    expect(closed).toMatchObject({
      RecordState: 'ARCHIVED',
      CreatedAt: '2026-11-21T06:00:00.000Z',
      UpdatedAt: '2026-11-22T06:00:00.000Z',
      ProductFields: { verdict: 'not-node-role' },
    });
    assertValidAsff(closed);
    // None left FAILED for a role that is compliant or gone.
    expect(h.findings().filter((f) => compliance(f) === 'FAILED')).toEqual([]);
    // The reconciliation read the owned findings by product and generator.
    const reads = h.fake.calls.filter(
      (call) => call.service === 'securityhub' && call.command === 'GetFindings',
    );
    expect(reads.length).toBeGreaterThan(0);
    expect(reads[0]?.input.Filters).toMatchObject({
      ProductArn: [{ Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: GENERATOR_ID, Comparison: 'EQUALS' }],
    });
  });

  it('closes no finding for an absent role while an EKS Region could not be read, and does once it can', async () => {
    const h = harness();
    h.at('2026-11-21T06:00:00Z');
    await h.sweep();
    const gpuArn = `arn:aws:iam::${ACCOUNT}:role/${GPU_ROLE}`;
    h.fake.deleteRole(GPU_ROLE);
    h.fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'us-east-2',
      error: 'UnrecognizedClient',
    });
    h.at('2026-11-22T06:00:00Z');
    await h.sweep();
    expect(compliance(h.findingOf(gpuArn))).toBe('FAILED');
    h.fake.clearFaults();
    h.at('2026-11-23T06:00:00Z');
    await h.sweep();
    expect(compliance(h.findingOf(gpuArn))).toBe('PASSED');
  });

  it('closes a FAILED finding left by the event path once the sweep finds the role compliant', async () => {
    const h = harness();
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(compliance(h.findingOf(NODE_ROLE_ARN))).toBe('FAILED');
    await h.fake.iamClient().send(new DetachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    h.at('2026-11-21T06:00:00Z');
    await h.sweep();
    expect(compliance(h.findingOf(NODE_ROLE_ARN))).toBe('PASSED');
    expect(h.findingOf(NODE_ROLE_ARN)).toMatchObject({ CreatedAt: '2026-11-20T10:00:00.000Z' });
  });

  it('a role that fails again is reopened: ACTIVE, FAILED', async () => {
    const h = harness();
    h.at('2026-11-21T06:00:00Z');
    await h.sweep();
    expect(h.findingOf(NODE_ROLE_ARN)).toMatchObject({ RecordState: 'ARCHIVED' });
    h.at('2026-11-21T07:00:00Z');
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-again'));
    expect(h.findingOf(NODE_ROLE_ARN)).toMatchObject({ RecordState: 'ACTIVE' });
    expect(compliance(h.findingOf(NODE_ROLE_ARN))).toBe('FAILED');
  });
});

describe('failures', () => {
  it('retries a failed import call once, and the findings arrive', async () => {
    const h = harness();
    h.fake.failOn({
      service: 'securityhub',
      command: 'BatchImportFindings',
      error: 'ServiceFailure',
      times: 1,
    });
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(h.fake.callCount('securityhub', 'BatchImportFindings')).toBe(2);
    expect(compliance(h.findingOf(NODE_ROLE_ARN))).toBe('FAILED');
    expect(h.metrics[METRIC.securityHubImportFailures]).toBeUndefined();
    expect(h.metrics[METRIC.securityHubFindingsImported]).toBe(1);
  });

  it('reports the findings when Security Hub is off in the Region: log and metric, the alert still sent', async () => {
    const h = harness();
    h.fake.setSecurityHubEnabled(false, REGION);
    await h.onEvent(event('AttachRolePolicy', NODE_ROLE, FULL, 'evt-1'));
    expect(h.fake.published).toHaveLength(1);
    expect(h.findings()).toEqual([]);
    expect(h.metrics[METRIC.securityHubImportFailures]).toBe(1);
    expect(h.errors).toEqual([expect.objectContaining({ message: 'Security Hub refused findings' })]);
  });

  it('the sweep reports every node role finding it could not import, and still publishes its digest', async () => {
    const h = harness();
    h.fake.setSecurityHubEnabled(false, REGION);
    h.at('2026-11-21T06:00:00Z');
    await h.sweep();
    expect(h.metrics[METRIC.securityHubImportFailures]).toBe(8);
    expect(h.fake.published).toHaveLength(1);
  });
});

describe('the composition root', () => {
  it('builds no publisher, and says why, when securityHub is on but the Region is unknown', () => {
    const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT);
    const warnings: string[] = [];
    const settings: LambdaSettings = {
      config: parseConfig({ securityHub: true }),
      partition: 'aws',
      accountId: ACCOUNT,
      alertTopicArn: fake.addTopic('alerts'),
      chatTopicArn: null,
      idempotencyTableName: null,
      guardRoleArn: null,
    };
    const logger: GuardLogger = { info() {}, warn: (message) => warnings.push(message), error() {} };
    expect(buildDependencies(settings, fake.clients(), { logger }).findings).toBeNull();
    expect(warnings).toEqual([expect.stringMatching(/securityHub is on/)]);
    expect(
      buildDependencies({ ...settings, region: REGION }, fake.clients(), { logger }).findings,
    ).not.toBeNull();
  });
});
