// CLI tests for `evaluate` and `demo`: output contract, exit codes, one-line errors on bad files.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createEvaluateCommand } from '../../lambda/cli/main';
import { partitionOfChange } from '../../lambda/cli/views';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { replayRecordedCall } from '../../lambda/in-memory-aws/replay';
import { runMain } from './capture';

const ROOT = join(__dirname, '..', '..');
const SNAPSHOT = join(ROOT, 'demo', 'sample-account.json');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');

const run = runMain;

const tmp = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-cli-'));
const writeTmp = (name: string, text: string): string => {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
};

describe('eks-ecr-guard evaluate', () => {
  it('prints one decision object that follows the JSON contract', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'iam-AttachRolePolicy.json'),
      '--snapshot',
      SNAPSHOT,
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(Object.keys(decision)).toEqual(
      expect.arrayContaining([
        'verdict',
        'reason',
        'severity',
        'event',
        'role',
        'nodeRole',
        'ecrWriteActions',
        'grants',
        'plan',
      ]),
    );
    expect(decision.event).toEqual(
      expect.objectContaining({ id: expect.any(String), name: 'AttachRolePolicy' }),
    );
    expect(decision.event).toHaveProperty('time');
    expect(decision.event).toHaveProperty('actor');
    expect(decision.verdict).toBe('violation');
    expect(decision.ecrWriteActions).toEqual([...decision.ecrWriteActions].sort());
    expect(decision.grants[0]).toEqual(
      expect.objectContaining({
        policy: {
          kind: 'aws-managed',
          name: 'AmazonEC2ContainerRegistryFullAccess',
          arn: expect.any(String),
        },
        statement: expect.any(String),
        actions: expect.any(Array),
      }),
    );
    expect(decision.nodeRole.evidence[0]).toEqual(
      expect.objectContaining({ kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod' }),
    );
  });

  it('prints an array for a policy version that touches several roles', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'iam-CreatePolicyVersion.json'),
      '--snapshot',
      SNAPSHOT,
    ]);
    expect(code).toBe(0);
    const decisions = JSON.parse(stdout);
    expect(Array.isArray(decisions)).toBe(true);
    expect(decisions).toHaveLength(2);
  });

  it('exits 0 for an ignored event too', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'iam-AttachRolePolicy-AccessDenied.json'),
      '--snapshot',
      SNAPSHOT,
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).verdict).toBe('ignored');
  });

  it('applies a config file (exempt role list)', async () => {
    const config = writeTmp('config.json', JSON.stringify({ exemptRoles: ['eksctl-prod-*'] }));
    const { stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'iam-AttachRolePolicy.json'),
      '--snapshot',
      SNAPSHOT,
      '--config',
      config,
    ]);
    expect(JSON.parse(stdout).verdict).toBe('exempt');
  });

  it.each([
    [
      'a missing event file',
      () => ['--event', join(tmp, 'nope.json'), '--snapshot', SNAPSHOT],
      /cannot read event file/,
    ],
    [
      'an event file that is not JSON',
      () => ['--event', writeTmp('bad.json', '{"detail": '), '--snapshot', SNAPSHOT],
      /not valid JSON/,
    ],
    [
      'a snapshot that is not JSON',
      () => [
        '--event',
        join(FIXTURES, 'iam-AttachRolePolicy.json'),
        '--snapshot',
        writeTmp('s.json', 'nope'),
      ],
      /not valid JSON|snapshot/,
    ],
    [
      'a snapshot with a wrong shape',
      () => [
        '--event',
        join(FIXTURES, 'iam-AttachRolePolicy.json'),
        '--snapshot',
        writeTmp('s2.json', '{"iam": {"RoleDetailList": [{"RoleName": 3}]}}'),
      ],
      /RoleDetailList/,
    ],
    [
      'a config with a bad key value',
      () => [
        '--event',
        join(FIXTURES, 'iam-AttachRolePolicy.json'),
        '--snapshot',
        SNAPSHOT,
        '--config',
        writeTmp('c.json', '{"mode": "fix-everything"}'),
      ],
      /"mode"/,
    ],
    [
      'an unknown config key',
      () => [
        '--event',
        join(FIXTURES, 'iam-AttachRolePolicy.json'),
        '--snapshot',
        SNAPSHOT,
        '--config',
        writeTmp('c2.json', '{"mod": "alert"}'),
      ],
      /mod/,
    ],
  ])('exits 2 with a one-line message for %s', async (_name, args, message) => {
    const { code, stderr, stdout } = await run(['evaluate', ...args()]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('exits 2 with usage for missing or conflicting flags', async () => {
    expect((await run(['evaluate', '--snapshot', SNAPSHOT])).code).toBe(2);
    expect((await run(['evaluate', '--event', 'x', '--snapshot', SNAPSHOT, '--live'])).code).toBe(2);
    expect((await run(['evaluate', '--bogus'])).code).toBe(2);
  });

  it('has --help', async () => {
    const { code, stdout } = await run(['evaluate', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--snapshot');
  });
});

describe('eks-ecr-guard evaluate --event: what the file may hold', () => {
  const LOG = join(__dirname, 'fixtures', 'cloudtrail-log-3-records.json');
  const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
  const evaluate = (eventFile: string) => run(['evaluate', '--event', eventFile, '--snapshot', SNAPSHOT]);
  const verdicts = (stdout: string) =>
    (JSON.parse(stdout) as { verdict: string; scope?: string; event: { name: string } }[]).map((d) => [
      d.event.name,
      d.verdict,
      d.scope,
    ]);
  // Attach FullAccess to the node role, a harmless inline policy elsewhere, then detach FullAccess again: on the
  // snapshot each record sees the changes before it.
  const LOG_VERDICTS = [
    ['AttachRolePolicy', 'violation', 'role'],
    ['PutRolePolicy', 'compliant', 'change'],
    ['DetachRolePolicy', 'compliant', 'role'],
  ];

  it('evaluates a CloudTrail log file record by record, printing an array in record order', async () => {
    const { code, stdout, stderr } = await evaluate(LOG);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(verdicts(stdout)).toEqual(LOG_VERDICTS);
    expect(JSON.parse(stdout)[0].role.name).toBe(NODE_ROLE);
  });

  it('reads the gzipped log file CloudTrail writes (.json.gz) the same way', async () => {
    const gz = join(tmp, 'cloudtrail-log-3-records.json.gz');
    writeFileSync(gz, gzipSync(readFileSync(LOG)));
    const { code, stdout } = await evaluate(gz);
    expect(code).toBe(0);
    expect(verdicts(stdout)).toEqual(LOG_VERDICTS);
  });

  it('evaluates a bare CloudTrail record as the EventBridge event it came in', async () => {
    const envelope = JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8'));
    const bare = await evaluate(writeTmp('record.json', JSON.stringify(envelope.detail)));
    const wrapped = await evaluate(join(FIXTURES, 'iam-AttachRolePolicy.json'));
    expect(bare.code).toBe(0);
    expect(JSON.parse(bare.stdout)).toMatchObject({ verdict: 'violation', role: { name: NODE_ROLE } });
    expect(JSON.parse(bare.stdout).ecrWriteActions).toEqual(JSON.parse(wrapped.stdout).ecrWriteActions);
  });

  it('evaluates an array of an event and a record', async () => {
    const log = JSON.parse(readFileSync(LOG, 'utf8'));
    const envelope = JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8'));
    const { code, stdout } = await evaluate(
      writeTmp('mixed.json', JSON.stringify([envelope, log.Records[2]])),
    );
    expect(code).toBe(0);
    expect(verdicts(stdout)).toEqual([LOG_VERDICTS[0], LOG_VERDICTS[2]]);
  });

  it.each([
    ['{}', '{}'],
    ['a number', '42'],
    ['an array of junk', '[1, "two", {"x": 3}]'],
    ['Records that are not records', '{"Records": [{"hello": "world"}]}'],
  ])('exits 2 on JSON that is not an event (%s), saying what is expected', async (_label, text) => {
    const { code, stdout, stderr } = await evaluate(writeTmp('not-an-event.json', text));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('expected an EventBridge');
    expect(stderr).toContain('CloudTrail log file');
  });

  it('exits 2 on a .gz file that is not gzip data inside', async () => {
    const broken = join(tmp, 'broken.json.gz');
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01]));
    const { code, stderr } = await evaluate(broken);
    expect(code).toBe(2);
    expect(stderr).toContain('not a readable gzip file');
  });
});

describe('eks-ecr-guard evaluate --live', () => {
  const IAM_WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];

  it('decides against the live account and never writes, even for a violation', async () => {
    const fake = FakeAws.fromSnapshot(JSON.parse(readFileSync(SNAPSHOT, 'utf8')), { pageSize: 2 });
    const eventFile = join(FIXTURES, 'iam-AttachRolePolicy.json');
    await replayRecordedCall(fake.iamClient(), JSON.parse(readFileSync(eventFile, 'utf8')));
    fake.resetCalls();
    let stdout = '';
    const code = await createEvaluateCommand({ clients: () => fake.clients() }).run(
      ['--event', eventFile, '--live'],
      { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'violation', scope: 'role' });
    expect(fake.calls.length).toBeGreaterThan(0);
    expect(fake.calls.filter((c) => c.service === 'iam' && IAM_WRITES.includes(c.command))).toEqual([]);
    expect(fake.calls.filter((c) => c.service === 'sns')).toEqual([]);
    expect(fake.published).toEqual([]);
  });

  it("reads the partition off the event's ARNs, so China and GovCloud accounts get their own ARNs", () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8'));
    expect(partitionOfChange(parseRoleChangeEvent(raw))).toBe('aws');
    const cn = structuredClone(raw);
    cn.detail.userIdentity.arn = cn.detail.userIdentity.arn.replace('arn:aws:', 'arn:aws-cn:');
    cn.detail.requestParameters.policyArn = 'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
    expect(partitionOfChange(parseRoleChangeEvent(cn))).toBe('aws-cn');
  });
});

describe('eks-ecr-guard demo', () => {
  it('runs every demo event in both modes and shows alerts and before/after policies', async () => {
    const { code, stdout } = await run(['demo']);
    expect(code).toBe(0);
    expect(stdout).toContain('mode: alert');
    expect(stdout).toContain('mode: remediate');
    expect(stdout).toMatch(/\[HIGH\] EKS node role KarpenterNodeRole-prod can now write to ECR/);
    expect(stdout).toMatch(/\[FIXED\]/);
    expect(stdout).toMatch(/before: +managed: .*AmazonEC2ContainerRegistryFullAccess/);
    expect(stdout).toContain('13 events, 8 alerts published in alert mode.');
    // The ReadOnly attach is decided from the change alone: it reads as such, never as "compliant".
    expect(stdout).toMatch(/decision: this change adds no ECR write access \(to KarpenterNodeRole-prod\)/);
    expect(stdout).not.toMatch(/decision: compliant \(to /);
    // Both modes show the role's policies around the guard: unchanged in alert mode, swapped in remediate.
    const [alertPart = '', remediatePart = ''] = stdout.split('mode: remediate');
    const karpenter = (part: string) => {
      const start = part.indexOf('01-attach-fullaccess-karpenter');
      return part.slice(start, part.indexOf('── ', start));
    };
    expect(karpenter(alertPart)).toMatch(/after: +managed: [^\n]*AmazonEC2ContainerRegistryFullAccess/);
    expect(karpenter(remediatePart)).toMatch(/before: +managed: [^\n]*AmazonEC2ContainerRegistryFullAccess/);
    expect(karpenter(remediatePart)).not.toMatch(
      /after: +managed: [^\n]*AmazonEC2ContainerRegistryFullAccess/,
    );
  });
});

describe('top level', () => {
  it('lists the commands on --help and rejects an unknown command', async () => {
    expect((await run(['--help'])).stdout).toContain('evaluate');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command');
  });

  it('help alone lists the commands and exits 0', async () => {
    const { code, stdout, stderr } = await run(['help']);
    expect(code).toBe(0);
    expect(stdout.startsWith('Usage: eks-ecr-guard <command> [options]')).toBe(true);
    expect(stderr).toBe('');
  });

  it.each(['evaluate', 'demo', 'audit', 'snapshot'])(
    "help %s prints that command's usage, the same as its --help, and exits 0",
    async (command) => {
      const { code, stdout, stderr } = await run(['help', command]);
      expect(code).toBe(0);
      expect(stderr).toBe('');
      expect(stdout.startsWith(`Usage: eks-ecr-guard ${command} `)).toBe(true);
      expect(stdout).toBe((await run([command, '--help'])).stdout);
    },
  );

  it('help of an unknown command exits 2 and says so on stderr', async () => {
    const { code, stdout, stderr } = await run(['help', 'frobnicate']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('unknown command "frobnicate"');
  });
});
