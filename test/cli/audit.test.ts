// Tests for the CLI commands `audit` and `snapshot`: help, formats, --fail-on exit codes, exit code 2 for bad usage
// or input, and the live path over the fake AWS (progress on stderr, same result as the snapshot file).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshotFile } from '../../lambda/account/snapshot-format';
import { createAuditCommand } from '../../lambda/cli/audit-command';
import { main } from '../../lambda/cli/main';
import { createSnapshotCommand } from '../../lambda/cli/snapshot-command';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { accountJson, mixedAccountJson } from '../report/support';
import { capture } from './capture';

const SAMPLE = join(__dirname, '..', '..', 'demo', 'sample-account.json');
const TODAY = '2026-11-22';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** `audit` on a fixed day (the demo's exemption ends on 2027-03-31): the command's exit code and output. */
async function audit(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture();
  const code = await createAuditCommand({ today: () => TODAY }).run(args, io);
  return { code, out: io.out(), err: io.err() };
}

const fakeAccount = (): FakeAws =>
  FakeAws.fromSnapshot(JSON.parse(readFileSync(SAMPLE, 'utf8')), { pageSize: 3 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eks-ecr-guard --help', () => {
  it('lists audit and snapshot among the commands', async () => {
    const { code, out } = await cli('--help');
    expect(code).toBe(0);
    expect(out).toMatch(/^ {2}audit {6}audit every EKS node role/m);
    expect(out).toMatch(/^ {2}snapshot {3}write the live account/m);
  });

  it.each([
    ['audit', 'Usage: eks-ecr-guard audit (--snapshot S.json | --live)', '--fail-on'],
    ['snapshot', 'Usage: eks-ecr-guard snapshot --out S.json', 'GetAccountAuthorizationDetails'],
  ])('%s --help prints the usage and exits 0', async (command, usage, mentions) => {
    const { code, out } = await cli(command, '--help');
    expect(code).toBe(0);
    expect(out.startsWith(usage)).toBe(true);
    expect(out).toContain(mentions);
  });
});

describe('eks-ecr-guard audit --snapshot', () => {
  it('runs through the CLI entry point', async () => {
    const { code, out } = await cli('audit', '--snapshot', SAMPLE, '--format', 'json');
    expect(code).toBe(0);
    expect(JSON.parse(out).summary.nodeRolesTotal).toBe(8);
  });

  it('prints the table by default', async () => {
    const { code, out } = await audit('--snapshot', SAMPLE);
    expect(code).toBe(0);
    expect(out).toMatch(/^violation +high +prod-gpu-nodes +4 /m);
    expect(out).toContain('Compliant:               6 (75.0%)');
  });

  it('prints JSON and SARIF on request', async () => {
    const json = JSON.parse((await audit('--snapshot', SAMPLE, '--format', 'json')).out);
    expect(json.summary).toMatchObject({ nodeRolesTotal: 8, violations: { high: 1, total: 1 } });
    const sarif = JSON.parse((await audit('--snapshot', SAMPLE, '--format', 'sarif')).out);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].results).toHaveLength(1);
  });

  it.each([
    [[], 0],
    [['--fail-on', 'medium'], 1],
    [['--fail-on', 'high'], 1],
    [['--fail-on', 'critical'], 0],
  ])('with %j exits %i (the demo account has one high violation)', async (flags, expected) => {
    const { code } = await audit('--snapshot', SAMPLE, '--format', 'json', ...flags);
    expect(code).toBe(expected);
  });

  describe('--fail-on over accounts with other severities', () => {
    const scopedPush = {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'ecr:PutImage',
          Resource: 'arn:aws:ecr:eu-west-1:111122223333:repository/cache',
        },
      ],
    };
    const accounts: Record<string, unknown> = {
      // admin (critical), pusher (high), cache (medium), plus a compliant and an exempt role.
      mixed: mixedAccountJson(),
      'medium-only': accountJson({
        cache: { attached: ['AmazonEC2ContainerRegistryPullOnly'], inline: { 'push-cache': scopedPush } },
        ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] },
      }),
    };
    const snapshotOf = (name: string): string => join(dir, `${name}.json`);
    beforeAll(() => {
      for (const [name, json] of Object.entries(accounts))
        writeFileSync(snapshotOf(name), JSON.stringify(json));
    });

    it.each([
      ['mixed', { critical: 1, high: 1, medium: 1, total: 3 }],
      ['medium-only', { critical: 0, high: 0, medium: 1, total: 1 }],
    ])('the %s account has the violations the cases rely on', async (name, violations) => {
      const { out } = await audit('--snapshot', snapshotOf(name), '--format', 'json');
      expect(JSON.parse(out).summary.violations).toEqual(violations);
    });

    it.each([
      ['mixed', 'critical', 1],
      ['mixed', 'high', 1],
      ['mixed', 'medium', 1],
      ['medium-only', 'critical', 0],
      ['medium-only', 'high', 0],
      ['medium-only', 'medium', 1],
    ])('%s account, --fail-on %s exits %i', async (name, threshold, expected) => {
      const { code } = await audit(
        '--snapshot',
        snapshotOf(name),
        '--format',
        'json',
        '--fail-on',
        threshold,
      );
      expect(code).toBe(expected);
    });

    it.each(['mixed', 'medium-only'])('%s account without --fail-on exits 0', async (name) => {
      expect((await audit('--snapshot', snapshotOf(name))).code).toBe(0);
    });
  });

  it('does not fail on an exempt role, whatever its severity', async () => {
    const config = join(dir, 'exempt-gpu.json');
    writeFileSync(config, JSON.stringify({ exemptRoles: ['prod-gpu-nodes'] }));
    const { code, out } = await audit('--snapshot', SAMPLE, '--config', config, '--fail-on', 'medium');
    expect(code).toBe(0);
    expect(out).toMatch(/^exempt +high +prod-gpu-nodes/m);
  });

  it.each([
    [['audit', '--snapshot', '/no/such/file.json'], /cannot read snapshot file/],
    [['audit', '--snapshot', 'NOT_JSON'], /not valid JSON/],
    [['audit', '--snapshot', 'INVALID_SNAPSHOT'], /invalid snapshot file/],
    [['audit', '--snapshot', SAMPLE, '--format', 'xml'], /--format must be one of table, json, sarif/],
    [['audit', '--snapshot', SAMPLE, '--fail-on', 'low'], /--fail-on must be one of critical, high, medium/],
    [['audit', '--snapshot', SAMPLE, '--live'], /exactly one of --snapshot or --live/],
    [['audit'], /exactly one of --snapshot or --live/],
    [['audit', '--snapshot', SAMPLE, '--bogus'], /bogus/],
    [['audit', '--snapshot', SAMPLE, '--regions', 'eu-west-1'], /--regions only applies with --live/],
    [['audit', '--snapshot', SAMPLE, '--config', 'BAD_CONFIG'], /config file .* key "mode"/],
    [['snapshot'], /--out is required/],
    [['snapshot', '--out', 'x.json', '--regions', 'Europe'], /--regions expects region names/],
  ])('%j exits 2 with a message', async (argv, message) => {
    writeFileSync(join(dir, 'bad.json'), '{ not json');
    writeFileSync(join(dir, 'invalid.json'), JSON.stringify({ iam: { RoleDetailList: [{ RoleName: 7 }] } }));
    writeFileSync(join(dir, 'bad-config.json'), JSON.stringify({ mode: 'destroy' }));
    const resolved = argv.map((arg) =>
      arg === 'NOT_JSON'
        ? join(dir, 'bad.json')
        : arg === 'INVALID_SNAPSHOT'
          ? join(dir, 'invalid.json')
          : arg === 'BAD_CONFIG'
            ? join(dir, 'bad-config.json')
            : arg,
    );
    const { code, out, err } = await cli(...resolved);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toMatch(message);
  });
});

describe('the live path over the fake AWS', () => {
  it('audit --live gives the same JSON as audit --snapshot of the same account, with progress on stderr', async () => {
    const fake = fakeAccount();
    const io = capture();
    const command = createAuditCommand({ clients: () => fake.clients(), today: () => TODAY });
    const code = await command.run(['--live', '--format', 'json', '--fail-on', 'high'], io);
    expect(code).toBe(1);
    expect(io.err()).toContain('IAM: GetAccountAuthorizationDetails page 1 read');
    expect(io.err()).toMatch(/EKS: eu-west-1: 1 clusters \(\d\/3 regions\)/);
    expect(fake.callCount('iam', 'GetRole')).toBe(0);

    const fromFile = capture();
    await createAuditCommand({ today: () => TODAY }).run(
      ['--snapshot', SAMPLE, '--format', 'json'],
      fromFile,
    );
    expect(JSON.parse(io.out())).toEqual(JSON.parse(fromFile.out()));
  });

  it('audit --live --regions reads only those regions', async () => {
    const fake = fakeAccount();
    const command = createAuditCommand({ clients: () => fake.clients(), today: () => TODAY });
    await command.run(['--live', '--regions', 'eu-west-1'], capture());
    const regions = new Set(fake.calls.filter((call) => call.service === 'eks').map((call) => call.region));
    expect([...regions]).toEqual(['eu-west-1']);
    expect(fake.callCount('account', 'ListRegions')).toBe(0);
  });

  it('snapshot --out writes a file that loads and audits like the account it was read from', async () => {
    const fake = fakeAccount();
    const out = join(dir, 'collected.json');
    const io = capture();
    const code = await createSnapshotCommand({ clients: () => fake.clients() }).run(['--out', out], io);
    expect(code).toBe(0);
    expect(io.err()).toContain(`wrote ${out}: 12 roles,`);
    expect(readSnapshotFile(out).iam.RoleDetailList).toHaveLength(12);

    const audit = (path: string) => {
      const captured = capture();
      return createAuditCommand({ today: () => TODAY })
        .run(['--snapshot', path, '--format', 'json'], captured)
        .then(() => JSON.parse(captured.out()));
    };
    expect(await audit(out)).toEqual(await audit(SAMPLE));
  });

  it('snapshot --out - writes the snapshot to stdout, and unreachable regions into it', async () => {
    const fake = fakeAccount();
    fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'us-east-2',
      error: 'UnrecognizedClient',
    });
    const io = capture();
    await createSnapshotCommand({ clients: () => fake.clients() }).run(['--out', '-'], io);
    const written = JSON.parse(io.out());
    expect(written.eksWarnings).toEqual([expect.objectContaining({ region: 'us-east-2' })]);
    expect(io.err()).toContain('warning: EKS in us-east-2 could not be read');
    expect(written.iam.RoleDetailList[0].AssumeRolePolicyDocument).toMatchObject({ Version: '2012-10-17' });
  });
});
