// Tests for the scheduled sweep (lambda/sweep.ts) over the in-memory fake AWS: one GAAD-based collection, one digest
// naming each violation, the KPI metrics, no IAM write in alert mode, the event path's remediation in remediate mode,
// nothing published for a clean account; and the Lambda entry's wiring.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LambdaSettings, parseConfig } from '../lambda/config';
import { FakeAws } from '../lambda/in-memory-aws/fake-aws';
import { Sweep, type SweepOptions } from '../lambda/sweep';
import type { GuardMetrics } from '../lambda/usecases/telemetry';
import { ecrCall } from './support/cloudtrail-events';

const SAMPLE = join(__dirname, '..', 'demo', 'sample-account.json');
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];

interface Metric {
  readonly name: string;
  readonly unit: string;
  readonly value: number;
}

function recorder(): GuardMetrics & { readonly metrics: Metric[]; value(name: string): number | undefined } {
  const metrics: Metric[] = [];
  return {
    metrics,
    addMetric: (name, unit, value) => {
      metrics.push({ name, unit, value });
    },
    value: (name) => metrics.find((metric) => metric.name === name)?.value,
  };
}

function setup(
  mode: 'alert' | 'remediate',
  options: SweepOptions = {},
  edit?: (fake: FakeAws) => void,
  config: Record<string, unknown> = {},
) {
  const fake = FakeAws.fromSnapshot(JSON.parse(readFileSync(SAMPLE, 'utf8')), { pageSize: 4 });
  edit?.(fake);
  const topic = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig({ mode, ...config }),
    partition: fake.partition,
    accountId: fake.accountId,
    alertTopicArn: topic,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: null,
  };
  const metrics = recorder();
  const sweep = new Sweep(settings, fake.clients(), {
    metrics,
    now: () => Date.parse('2026-11-22T06:00:00Z'),
    sleep: async () => undefined,
    ...options,
  });
  return { fake, topic, metrics, sweep };
}

const iamWrites = (fake: FakeAws) =>
  fake.calls.filter((call) => call.service === 'iam' && WRITES.includes(call.command));

describe('the sweep in alert mode', () => {
  it('collects IAM with GetAccountAuthorizationDetails only: no per-role IAM call, no IAM write', async () => {
    const { fake, sweep } = setup('alert');
    await sweep.run();
    const iamCommands = new Set(
      fake.calls.filter((call) => call.service === 'iam').map((call) => call.command),
    );
    expect([...iamCommands].sort()).toEqual(['GetAccountAuthorizationDetails', 'GetAccountSummary']);
    expect(iamWrites(fake)).toEqual([]);
  });

  it('publishes one digest to the alert topic naming the violation, with kind=digest and the highest severity', async () => {
    const { fake, topic, sweep } = setup('alert');
    const result = await sweep.run();
    expect(fake.published).toHaveLength(1);
    const [digest] = fake.published;
    expect(digest?.topicArn).toBe(topic);
    expect(digest?.messageStructure).toBeUndefined();
    expect(digest?.subject).toBe(
      '[HIGH] eks-ecr-guard sweep: 1 EKS node role can write to ECR (111122223333)',
    );
    expect(digest?.attributes).toMatchObject({ kind: 'digest', severity: 'high', openViolations: '1' });
    expect(digest?.message.match(/^ {2}\[HIGH\] prod-gpu-nodes: /gm)).toHaveLength(1);
    expect(digest?.message).not.toMatch(/\] staging-build-nodes:/);
    expect(result.digest).toEqual({ sent: true, messageId: digest?.messageId, subject: digest?.subject });
  });

  it('puts the pod roles with ECR push in the digest, per cluster, next to the node-role KPIs', async () => {
    const { fake, sweep } = setup('alert');
    const result = await sweep.run();
    const message = fake.published[0]?.message ?? '';
    expect(message).toContain(
      'PUSH THROUGH POD ROLES (EKS Pod Identity, IRSA): WORKLOADS THAT PUSH THE RIGHT WAY',
    );
    expect(message).toContain(
      '  eu-west-1/prod: 1 pod role holds ECR push (ci-image-pusher); 1 pod role in all\n',
    );
    expect(message).toContain('  us-east-2/staging: no pod role holds ECR push; 0 pod roles in all\n');
    expect(message).toMatch(/Tied to no cluster read .*: ci-image-builder \(push\)/);
    expect(message).toContain('  Pod-role push:   2 of 2 pod roles, in 1 of 2 clusters');
    // The pod-role section comes before the SUMMARY, whose node-role rows keep their alignment.
    expect(message.indexOf('PUSH THROUGH POD ROLES')).toBeLessThan(message.indexOf('SUMMARY'));
    expect(message).toContain('  Node roles:      8 (of 12 IAM roles)');
    expect(result.podRoleKpis).toEqual({
      podRolesTotal: 2,
      podRolesWithPush: 2,
      podRolesPushUnknown: 0,
      clustersWithPodRolePush: 1,
      clustersTotal: 2,
    });
  });

  it('emits the compliance KPIs', async () => {
    const { metrics, sweep } = setup('alert');
    await sweep.run();
    const kpis = metrics.metrics.filter((metric) => metric.name !== 'SweepDuration');
    expect(kpis).toEqual([
      { name: 'NodeRolesTotal', unit: 'Count', value: 8 },
      { name: 'NodeRolesCompliant', unit: 'Count', value: 6 },
      { name: 'ComplianceRatio', unit: 'Percent', value: 75 },
      { name: 'OpenViolationsCritical', unit: 'Count', value: 0 },
      { name: 'OpenViolationsHigh', unit: 'Count', value: 1 },
      { name: 'OpenViolationsMedium', unit: 'Count', value: 0 },
      // The sample's two Pod Identity roles with ECR push; ci-image-pusher's association ties it to eu-west-1/prod.
      { name: 'PodRolesTotal', unit: 'Count', value: 2 },
      { name: 'PodRolesWithPush', unit: 'Count', value: 2 },
      { name: 'PodRolesPushUnknown', unit: 'Count', value: 0 },
      { name: 'ClustersWithPodRolePush', unit: 'Count', value: 1 },
      { name: 'UntaggedNodeRoles', unit: 'Count', value: 2 },
    ]);
  });

  describe('a clean sweep (no node role can write to ECR)', () => {
    const fixGpuRole = (fake: FakeAws) =>
      fake.addRole({
        name: 'prod-gpu-nodes',
        attached: [READ_ONLY, fake.awsManagedPolicyArn('AmazonEKSWorkerNodePolicy')],
      });
    const SUNDAY = Date.parse('2026-11-22T06:00:00Z');
    const MONDAY = Date.parse('2026-11-23T06:00:00Z');
    const clean = (now: number, digestWhenClean?: unknown) =>
      setup(
        'alert',
        { now: () => now },
        fixGpuRole,
        digestWhenClean === undefined ? {} : { digestWhenClean },
      );

    it('publishes nothing on other days by default (weekly), but the KPIs', async () => {
      const quiet = clean(SUNDAY);
      const result = await quiet.sweep.run();
      expect(quiet.fake.published).toEqual([]);
      expect(result.digest.sent).toBe(false);
      expect(quiet.metrics.value('OpenViolationsHigh')).toBe(0);
      expect(quiet.metrics.value('ComplianceRatio')).toBe(87.5);
    });

    it('sends the short clean digest on Mondays by default (weekly), ASCII subject, proof of life', async () => {
      const weekly = clean(MONDAY);
      const result = await weekly.sweep.run();
      expect(result.digest.sent).toBe(true);
      const [message] = weekly.fake.published;
      expect(message?.subject).toBe('[OK] eks-ecr-guard: all clean, 8 EKS node roles checked (111122223333)');
      expect(message?.subject).toMatch(/^[\x20-\x7e]{1,99}$/);
      expect(message?.message).toContain('eks-ecr-guard is running');
      expect(message?.message.split('\n').length).toBeLessThan(15);
      expect(message?.attributes).toMatchObject({ kind: 'digest', alertKind: 'digest-clean' });
    });

    it('daily: every clean sweep sends it; false: never, not even on Mondays', async () => {
      const daily = clean(SUNDAY, 'daily');
      await daily.sweep.run();
      expect(daily.fake.published).toHaveLength(1);
      const off = clean(MONDAY, false);
      const result = await off.sweep.run();
      expect(off.fake.published).toEqual([]);
      expect(result.digest.sent).toBe(false);
    });

    it('a sweep with violations sends the full digest whatever digestWhenClean says', async () => {
      const { fake, sweep } = setup('alert', { now: () => SUNDAY }, undefined, { digestWhenClean: false });
      await sweep.run();
      expect(fake.published).toHaveLength(1);
      expect(fake.published[0]?.subject).not.toContain('all clean');
    });
  });

  it('fails (so the invocation is retried and alarmed) when IAM cannot be read', async () => {
    const { fake, sweep } = setup('alert');
    fake.failOn({ service: 'iam', command: 'GetAccountAuthorizationDetails', error: 'AccessDenied' });
    await expect(sweep.run()).rejects.toThrow(/GetAccountAuthorizationDetails/);
    expect(fake.published).toEqual([]);
  });

  it('lists EKS regions it could not read in the digest', async () => {
    const { fake, sweep } = setup('alert');
    fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'us-east-1',
      error: 'UnrecognizedClient',
    });
    const result = await sweep.run();
    expect(result.eksWarnings.map((warning) => warning.region)).toEqual(['us-east-1']);
    expect(fake.published[0]?.message).toContain('EKS REGIONS NOT READ');
  });
});

describe('the sweep in remediate mode', () => {
  it('fixes the violation through the event path remediation and reports it in the digest', async () => {
    const { fake, metrics, sweep } = setup('remediate');
    const result = await sweep.run();
    expect(iamWrites(fake).map((call) => [call.command, call.input.RoleName, call.input.PolicyArn])).toEqual([
      ['AttachRolePolicy', 'prod-gpu-nodes', READ_ONLY],
      ['DetachRolePolicy', 'prod-gpu-nodes', POWER_USER],
    ]);
    expect(fake.roleState('prod-gpu-nodes').attached).not.toContain(POWER_USER);
    expect(result.remediations).toEqual([{ roleName: 'prod-gpu-nodes', status: 'applied' }]);
    // The exempt role can write too, and is left alone.
    expect(fake.roleState('staging-build-nodes').attached).toContain(
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    );
    const [digest] = fake.published;
    expect(digest?.subject).toBe(
      '[FIXED] eks-ecr-guard sweep: ECR write removed from 1 EKS node role (111122223333)',
    );
    expect(digest?.attributes).toMatchObject({ kind: 'digest', severity: 'none', openViolations: '0' });
    expect(digest?.message).toMatch(/\[HIGH\] prod-gpu-nodes: .* => FIXED by this sweep/);
    expect(metrics.value('RemediationsApplied')).toBe(1);
    expect(metrics.value('OpenViolationsHigh')).toBe(0);
    expect(metrics.value('NodeRolesCompliant')).toBe(7);
    expect(metrics.metrics.some((metric) => metric.name === 'TimeToRemediate')).toBe(false);
  });

  it('does not fix a role CloudTrail shows pushing (the usage gate), and says so in the digest', async () => {
    const { fake, sweep } = setup('remediate', {}, (account) =>
      account.addCloudTrailEvent(
        'eu-west-1',
        ecrCall({
          id: 'push',
          roleArn: 'arn:aws:iam::111122223333:role/prod-gpu-nodes',
          session: 'i-0gpu',
          region: 'eu-west-1',
          time: '2026-11-21T18:00:00Z',
        }),
      ),
    );
    const result = await sweep.run();
    expect(iamWrites(fake)).toEqual([]);
    expect(result.remediations).toEqual([{ roleName: 'prod-gpu-nodes', status: 'escalated-in-use' }]);
    expect(fake.published[0]?.message).toMatch(
      /prod-gpu-nodes: .* => NOT FIXED: CloudTrail shows the role pushing to ECR.*i-0gpu/,
    );
  });

  it('reports a failed fix (not finished) as still open, and carries on', async () => {
    const { fake, metrics, sweep } = setup('remediate');
    fake.failOn({ service: 'iam', command: 'DetachRolePolicy', error: 'AccessDenied', times: 1 });
    const result = await sweep.run();
    expect(result.remediations).toEqual([{ roleName: 'prod-gpu-nodes', status: 'failed-safe' }]);
    expect(fake.roleState('prod-gpu-nodes').attached).toContain(POWER_USER);
    const [digest] = fake.published;
    expect(digest?.attributes).toMatchObject({ severity: 'high', openViolations: '1' });
    expect(digest?.message).toMatch(/prod-gpu-nodes: .* => FIX NOT FINISHED \(pulls still work\)/);
    expect(metrics.value('RemediationFailures')).toBe(1);
    expect(metrics.value('OpenViolationsHigh')).toBe(1);
  });
});

describe('lambda/sweep-handler', () => {
  it('reads its settings from the environment at load and exports an async handler', () => {
    const saved = { ...process.env };
    process.env.ALERT_TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:alerts';
    process.env.AWS_REGION = 'us-east-1';
    try {
      jest.isolateModules(() => {
        const module: unknown = require('../lambda/sweep-handler');
        expect(typeof Reflect.get(Object(module), 'handler')).toBe('function');
      });
      delete process.env.ALERT_TOPIC_ARN;
      jest.isolateModules(() => {
        expect(() => require('../lambda/sweep-handler')).toThrow(/ALERT_TOPIC_ARN is required/);
      });
    } finally {
      process.env = saved;
    }
  });
});
