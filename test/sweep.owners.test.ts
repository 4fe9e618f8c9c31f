// Tests for owners in the scheduled sweep (lambda/sweep.ts) over the in-memory fake AWS: the digest grouped by owner
// with the untagged node roles as a low finding of their own, the per-owner KPI metrics (dimension Owner, capped),
// the configured owner tag keys, and no remediation for an untagged role that cannot write to ECR.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type LambdaSettings, parseConfig } from '../lambda/config';
import { FakeAws } from '../lambda/in-memory-aws/fake-aws';
import { Sweep } from '../lambda/sweep';
import type { GuardMetrics } from '../lambda/usecases/telemetry';

const SAMPLE = join(__dirname, '..', 'demo', 'sample-account.json');
const WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];
const NOW = Date.parse('2026-11-22T06:00:00Z');

interface Point {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>> | null;
}

function recorder(): GuardMetrics & { readonly points: Point[] } {
  const points: Point[] = [];
  return {
    points,
    addMetric: (name, _unit, value) => {
      points.push({ name, value, dimensions: null });
    },
    addDimensionedMetric: (name, _unit, value, dimensions) => {
      points.push({ name, value, dimensions: { ...dimensions } });
    },
  };
}

function setup(config: Record<string, unknown> = {}, edit?: (fake: FakeAws) => void) {
  const fake = FakeAws.fromSnapshot(JSON.parse(readFileSync(SAMPLE, 'utf8')));
  edit?.(fake);
  const topic = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig({ mode: 'alert', ...config }),
    partition: fake.partition,
    accountId: fake.accountId,
    alertTopicArn: topic,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: config.mode === 'remediate' ? `arn:aws:iam::${fake.accountId}:role/guard` : null,
  };
  const metrics = recorder();
  const sweep = new Sweep(settings, fake.clients(), {
    metrics,
    now: () => NOW,
    sleep: async () => undefined,
  });
  return { fake, metrics, sweep };
}

/** The lines of one digest section, from its heading to the next blank line. */
function section(body: string, title: RegExp): string[] {
  const lines = body.split('\n');
  const start = lines.findIndex((line) => title.test(line));
  if (start === -1) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end === -1 ? undefined : end);
}

describe('the sweep digest, grouped by owner', () => {
  it('lists every owner with its node roles and open violations, the violating role under its owner', async () => {
    const { fake, sweep } = setup();
    await sweep.run();
    const body = fake.published[0]?.message ?? '';
    expect(section(body, /^BY OWNER \(5\)$/)).toEqual([
      'BY OWNER (5)',
      expect.stringMatching(/^-+$/),
      '  build-platform: 1 node role, no open violation',
      '  data-eng: 1 node role, no open violation',
      '  ml-team: 1 node role, 1 open violation (high 1)',
      '    [HIGH] prod-gpu-nodes',
      '  platform: 3 node roles, no open violation',
      '  untagged: 2 node roles, no open violation',
    ]);
  });

  it('reports the untagged node roles as a low finding of their own, saying where no tag was found', async () => {
    const { fake, sweep } = setup();
    await sweep.run();
    const lines = section(fake.published[0]?.message ?? '', /^UNTAGGED NODE ROLES \(2,/);
    expect(lines.slice(2)).toEqual([
      '  [LOW] AmazonEKSAutoNodeRole: no owner or team tag on the role or cluster us-east-2/staging',
      '  [LOW] legacy-self-managed-nodes: no owner or team tag on the role',
    ]);
    expect(fake.published[0]?.message).toMatch(/^ {2}Untagged: +2 \(node roles with no owner tag, low\)$/m);
  });

  it('takes the owner from the configured keys, in their order', async () => {
    const { fake, sweep } = setup({ ownerTagKeys: ['environment', 'team'] });
    await sweep.run();
    const lines = section(fake.published[0]?.message ?? '', /^BY OWNER /);
    // The prod cluster's `environment` tag now names the owner of every role that inherits from it.
    expect(lines).toContain('  prod: 5 node roles, 1 open violation (high 1)');
    expect(lines).toContain('  build-platform: 1 node role, no open violation');
  });

  it('does not remediate an untagged node role, and an untagged compliant role stays compliant', async () => {
    const { fake, sweep } = setup({ mode: 'remediate' }, (account) => {
      account.addRole({
        name: 'prod-gpu-nodes',
        attached: [
          account.awsManagedPolicyArn('AmazonEC2ContainerRegistryReadOnly'),
          account.awsManagedPolicyArn('AmazonEKSWorkerNodePolicy'),
        ],
      });
    });
    const result = await sweep.run();
    const writes = fake.calls.filter((call) => call.service === 'iam' && WRITES.includes(call.command));
    expect(writes).toEqual([]);
    expect(result.summary.violations.total).toBe(0);
    expect(result.summary.untaggedNodeRoles).toBe(2);
    expect(result.summary.nodeRolesCompliant).toBe(7);
  });
});

describe('the per-owner KPI metrics', () => {
  it('emits node roles, compliant ones and open violations per owner, and the untagged count', async () => {
    const { metrics, sweep } = setup();
    await sweep.run();
    const perOwner = (name: string) =>
      Object.fromEntries(
        metrics.points
          .filter((point) => point.name === name && point.dimensions !== null)
          .map((point) => [point.dimensions?.Owner, point.value]),
      );
    expect(perOwner('OwnerNodeRoles')).toEqual({
      platform: 3,
      'build-platform': 1,
      'data-eng': 1,
      'ml-team': 1,
      untagged: 2,
    });
    expect(perOwner('OwnerOpenViolations')).toEqual({
      platform: 0,
      'build-platform': 0,
      'data-eng': 0,
      'ml-team': 1,
      untagged: 0,
    });
    expect(perOwner('OwnerNodeRolesCompliant')).toMatchObject({ platform: 3, 'ml-team': 0, untagged: 2 });
    expect(metrics.points).toContainEqual({ name: 'UntaggedNodeRoles', value: 2, dimensions: null });
    for (const point of metrics.points.filter((p) => p.dimensions !== null)) {
      expect(Object.keys(point.dimensions ?? {})).toEqual(['Owner']);
    }
  });

  it('keeps the Owner dimension to the 20 biggest owners, summing the rest under "other"', async () => {
    const { metrics, sweep } = setup({}, (fake) => {
      for (let i = 0; i < 25; i++) {
        const name = `team-node-role-${String(i).padStart(2, '0')}`;
        fake.addRole({
          name,
          tags: { owner: `team-${String(i).padStart(2, '0')}` },
          attached: [fake.awsManagedPolicyArn('AmazonEKSWorkerNodePolicy')],
        });
        fake.addCluster('eu-west-1', {
          name: `c-${i}`,
          accessEntries: [{ principalArn: `arn:aws:iam::${fake.accountId}:role/${name}`, type: 'EC2_LINUX' }],
        });
      }
    });
    await sweep.run();
    const owners = metrics.points
      .filter((point) => point.name === 'OwnerNodeRoles')
      .map((point) => point.dimensions?.Owner ?? '');
    // 20 owners of their own (platform with 3 roles first), `other` for the rest, and `untagged`.
    expect(owners).toHaveLength(22);
    expect(owners[0]).toBe('platform');
    expect(owners).toContain('other');
    expect(owners).toContain('untagged');
    const other = metrics.points.find((p) => p.name === 'OwnerNodeRoles' && p.dimensions?.Owner === 'other');
    // 4 + 25 = 29 owners with roles of their own: 20 kept, 9 summed.
    expect(other?.value).toBe(9);
  });
});
