// CLI tests for the manners shared by the commands: evaluate --format/--fail-on (through the CLI entry), one-line
// exit-2 errors, output and help within the terminal width, snapshot --out checked before the account is read,
// --profile/--region, the snapshot's capture time, the event/snapshot account warning, load progress, the demo.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../lambda/cli/io';
import { liveClients } from '../../lambda/cli/live-clients';
import { COMMANDS, main } from '../../lambda/cli/main';
import type { LiveOptions } from '../../lambda/cli/options';
import { createSnapshotCommand } from '../../lambda/cli/snapshot-command';
import { PROGRESS_BYTES } from '../../lambda/cli/views';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'demo', 'sample-account.json');
const EVENT = join(ROOT, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json');

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

function io(options: { tty?: boolean; env?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const captured: CliIo = {
    stdout: { write: (text: string) => (out += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (err += text), isTTY: options.tty ?? false },
    env: options.env ?? {},
  };
  return { captured, result: (code: number): Run => ({ code, out, err }) };
}

async function cli(
  argv: string[],
  options: { tty?: boolean; env?: Record<string, string> } = {},
): Promise<Run> {
  const { captured, result } = io(options);
  return result(await main(argv, captured));
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-manners-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const evaluate = (...flags: string[]) => ['evaluate', '--event', EVENT, '--snapshot', SAMPLE, ...flags];

describe('evaluate --format and --fail-on', () => {
  it.each([
    [[], 0],
    [['--fail-on', 'medium'], 1],
    [['--fail-on', 'high'], 1],
    [['--fail-on', 'critical'], 0],
  ])('with %j exits %i on a high violation, as audit does', async (flags, expected) => {
    const { code, out } = await cli(evaluate(...flags));
    expect(code).toBe(expected);
    expect(JSON.parse(out)).toMatchObject({ verdict: 'violation', severity: 'high' });
  });

  it('prints JSON when piped and a table at a terminal; --format overrides either', async () => {
    expect(JSON.parse((await cli(evaluate())).out).verdict).toBe('violation');
    const table = (await cli(evaluate(), { tty: true })).out;
    expect(table).toMatch(
      /^violation \(high\): role eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F$/m,
    );
    expect(table).toMatch(
      /^ {2}fix: +DetachRolePolicy arn:aws:iam::aws:policy\/AmazonEC2ContainerRegistryFullAccess/m,
    );
    expect(JSON.parse((await cli(evaluate('--format', 'json'), { tty: true })).out).verdict).toBe(
      'violation',
    );
    expect((await cli(evaluate('--format', 'table'))).out).toMatch(/^violation \(high\)/);
  });

  it('fits the table to COLUMNS', async () => {
    const { out } = await cli(evaluate('--format', 'table'), { env: { COLUMNS: '60' } });
    const overlong = out.split('\n').filter((line) => line.length > 60);
    // Only a single word longer than the width (an ARN) may stand alone on its line.
    expect(overlong.every((line) => !line.trim().includes(' '))).toBe(true);
  });
});

describe('bad usage exits 2 with one line that says what to do', () => {
  it.each([
    [evaluate('--format', 'sarif'), /--format must be one of table, json/],
    [evaluate('--fail-on', 'low'), /--fail-on must be one of critical, high, medium/],
    [evaluate('--profile', 'dev'), /--profile only applies with --live/],
    [['evaluate', '--event', EVENT, '--live', '--region', 'Europe'], /--region expects a region name/],
    [['evaluate', '--snapshot', SAMPLE], /--event is required/],
    [['evaluate', '--event', '/no/such/event.json', '--snapshot', SAMPLE], /cannot read event file/],
    [['audit', '--snapshot', SAMPLE, '--region', 'eu-west-1'], /--region only applies with --live/],
    [['audit', '--snapshot', SAMPLE, '--format', 'xml'], /--format must be one of table, json, sarif/],
    [['audit', '--bogus'], /bogus/],
    [['snapshot', '--profile', 'a b'], /--out is required/],
    [['frobnicate'], /unknown command "frobnicate"/],
  ])('%j', async (argv, message) => {
    const { code, out, err } = await cli(argv);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err.trimEnd().split('\n')).toHaveLength(1);
    expect(err).toMatch(message);
  });

  it('points to --help for the usage', async () => {
    const { err } = await cli(evaluate('--format', 'sarif'));
    expect(err).toContain('(see "eks-ecr-guard evaluate --help")');
  });
});

describe('width', () => {
  it.each(Object.keys(COMMANDS))('help of %s fits 100 columns', async (name) => {
    const { out } = await cli(['help', name]);
    const widest = Math.max(...out.split('\n').map((line) => line.length));
    expect(widest).toBeLessThanOrEqual(100);
  });

  it('the top-level help fits 100 columns', async () => {
    const { out } = await cli(['--help']);
    expect(Math.max(...out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it.each([undefined, '80'])('the audit table fits COLUMNS=%s (default 100)', async (columns) => {
    const { out } = await cli(['audit', '--snapshot', SAMPLE], {
      env: columns === undefined ? {} : { COLUMNS: columns },
    });
    expect(Math.max(...out.split('\n').map((line) => line.length))).toBeLessThanOrEqual(
      Number(columns ?? 100),
    );
    expect(out).toMatch(/^violation +high +prod-gpu-nodes +4 /m);
  });

  it('never cuts JSON or SARIF, whatever the width', async () => {
    const wide = await cli(['audit', '--snapshot', SAMPLE, '--format', 'json']);
    const narrow = await cli(['audit', '--snapshot', SAMPLE, '--format', 'json'], { env: { COLUMNS: '40' } });
    expect(narrow.out).toBe(wide.out);
    const sarif = await cli(['audit', '--snapshot', SAMPLE, '--format', 'sarif'], { env: { COLUMNS: '40' } });
    expect(JSON.parse(sarif.out).version).toBe('2.1.0');
  });
});

describe("audit header shows the snapshot's capturedAt", () => {
  it('names the capture time, not today', async () => {
    const { out } = await cli(['audit', '--snapshot', SAMPLE]);
    expect(out.split('\n')[0]).toBe(
      'eks-ecr-guard audit of 111122223333 (aws) as captured 2026-11-20T08:30:00Z',
    );
  });
});

describe('evaluate warns when the event is from another account than the snapshot', () => {
  it('says so on stderr and still decides', async () => {
    const other = JSON.parse(readFileSync(SAMPLE, 'utf8'));
    other.accountId = '444455556666';
    const path = join(dir, 'other-account.json');
    writeFileSync(path, JSON.stringify(other));
    const { code, err } = await cli(['evaluate', '--event', EVENT, '--snapshot', path]);
    expect(code).toBe(0);
    expect(err).toBe(
      'warning: the event is from account 111122223333 but the snapshot is of account 444455556666: ' +
        'the decision is about the snapshot, not the account the event came from\n',
    );
  });

  it('is quiet when the accounts match', async () => {
    expect((await cli(evaluate())).err).toBe('');
  });
});

describe('progress for a big snapshot', () => {
  let big: string;
  beforeAll(() => {
    // The sample account padded with whitespace past the threshold: the same JSON, a big file.
    big = join(dir, 'big.json');
    const text = readFileSync(SAMPLE, 'utf8');
    writeFileSync(big, `${text}${' '.repeat(PROGRESS_BYTES)}`);
  });

  it('reports reading and parsing on stderr at a terminal', async () => {
    const { code, err } = await cli(['audit', '--snapshot', big, '--format', 'json'], { tty: true });
    expect(code).toBe(0);
    expect(err).toMatch(/^reading snapshot .*big\.json \(4 MB\)\.\.\.\nparsed in \d+\.\d s\n$/);
  });

  it('stays quiet when stderr is not a terminal (CI logs), and for small files', async () => {
    expect((await cli(['audit', '--snapshot', big, '--format', 'json'])).err).toBe('');
    expect((await cli(['audit', '--snapshot', SAMPLE, '--format', 'json'], { tty: true })).err).toBe('');
  });
});

describe('snapshot checks --out before reading the account', () => {
  const fake = (): FakeAws => FakeAws.fromSnapshot(JSON.parse(readFileSync(SAMPLE, 'utf8')), { pageSize: 3 });

  async function snapshot(args: string[], aws: FakeAws, seen: LiveOptions[] = []): Promise<Run> {
    const { captured, result } = io();
    const command = createSnapshotCommand({
      clients: (options) => {
        seen.push(options);
        return aws.clients();
      },
    });
    try {
      return result(await command.run(args, captured));
    } catch (error) {
      if (error instanceof Error) return { code: 2, out: '', err: error.message };
      throw error;
    }
  }

  it('refuses an existing file without --force, and reads nothing', async () => {
    const path = join(dir, 'exists.json');
    writeFileSync(path, 'keep me');
    const aws = fake();
    const { err } = await snapshot(['--out', path], aws);
    expect(err).toBe(`--out ${path} exists: add --force to overwrite it, or choose another file`);
    expect(aws.calls).toEqual([]);
    expect(readFileSync(path, 'utf8')).toBe('keep me');
  });

  it('overwrites with --force', async () => {
    const path = join(dir, 'forced.json');
    writeFileSync(path, 'old');
    const { code } = await snapshot(['--out', path, '--force', '--regions', 'eu-west-1'], fake());
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(path, 'utf8')).iam.RoleDetailList.length).toBeGreaterThan(0);
  });

  it.each([
    [
      'a missing folder',
      () => join(dir, 'no-such-folder', 's.json'),
      /folder .*no-such-folder does not exist/,
    ],
    ['a folder', () => dir, /is a folder: give a file name/],
  ])('refuses %s before any AWS call', async (_what, out, message) => {
    const aws = fake();
    const { err } = await snapshot(['--out', out()], aws);
    expect(err).toMatch(message);
    expect(aws.calls).toEqual([]);
  });

  it('exits 2 with one line through the CLI entry', async () => {
    const path = join(dir, 'exists-too.json');
    writeFileSync(path, '{}');
    const { code, err } = await cli(['snapshot', '--out', path]);
    expect(code).toBe(2);
    expect(err).toBe(
      `eks-ecr-guard snapshot: --out ${path} exists: add --force to overwrite it, or choose another file\n`,
    );
  });

  it('hands --profile and --region to the SDK clients', async () => {
    const seen: LiveOptions[] = [];
    const path = join(dir, 'profiled.json');
    mkdirSync(dir, { recursive: true });
    await snapshot(
      ['--out', path, '--profile', 'audit-ro', '--region', 'eu-west-1', '--regions', 'eu-west-1'],
      fake(),
      seen,
    );
    expect(seen).toEqual([{ profile: 'audit-ro', region: 'eu-west-1' }]);
    expect(existsSync(path)).toBe(true);
  });
});

describe('demo says why an event is not replayed', () => {
  it('prints the reason of each ignored event', async () => {
    const { out } = await cli(['demo', '--mode', 'alert']);
    expect(out).toContain(
      'change:   nothing to replay: the call failed (errorCode "AccessDenied"): nothing changed',
    );
    expect(out).toMatch(
      /change: {3}nothing to replay: CreatePolicyVersion did not set the new version as default/,
    );
    expect(out).not.toContain('nothing to replay (the call failed or is not a widening change)');
  });
});

describe('live clients for --profile and --region', () => {
  it('sets the profile and region on the SDK client config', async () => {
    const clients = liveClients({ profile: 'audit-ro', region: 'eu-west-1' }, {});
    expect(await clients.iam.config.region()).toBe('eu-west-1');
    expect(clients.iam.config.profile).toBe('audit-ro');
    expect(await clients.eksFor('ap-south-1').config.region()).toBe('ap-south-1');
    expect(clients.eksFor('ap-south-1').config.profile).toBe('audit-ro');
    expect(clients.eksFor('ap-south-1')).toBe(clients.eksFor('ap-south-1'));
  });

  it('falls back to AWS_REGION, then us-east-1, and to the default credential chain without --profile', async () => {
    const fromEnv = liveClients({ profile: undefined, region: undefined }, { AWS_REGION: 'eu-central-1' });
    expect(await fromEnv.iam.config.region()).toBe('eu-central-1');
    expect(fromEnv.iam.config.profile).toBeUndefined();
    const fallback = liveClients({ profile: undefined, region: undefined }, {});
    expect(await fallback.sns.config.region()).toBe('us-east-1');
  });
});
