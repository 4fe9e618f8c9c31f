// CLI tests for cluster authentication modes: `audit --snapshot` and `evaluate --snapshot` of a snapshot with a
// CONFIG_MAP cluster (and a cluster whose access entries were not readable) run without error and warn.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidRequestException } from '@aws-sdk/client-eks';
import { readSnapshotFile } from '../../lambda/account/snapshot-format';
import { createAuditCommand } from '../../lambda/cli/audit-command';
import { main } from '../../lambda/cli/main';
import { createSnapshotCommand } from '../../lambda/cli/snapshot-command';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { configMapAccount, MODE_ERROR } from '../support/config-map-account';

const ROOT = join(__dirname, '..', '..');
const ATTACH = join(ROOT, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json');
const SAMPLE = join(ROOT, 'demo', 'sample-account.json');

let dir: string;
let snapshot: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-modes-'));
  snapshot = join(dir, 'config-map.json');
  writeFileSync(snapshot, JSON.stringify(configMapAccount({ unreadable: true })));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(
  command: 'audit' | 'evaluate',
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { stdout: { write: (t: string) => (out += t) }, stderr: { write: (t: string) => (err += t) } };
  const code =
    command === 'audit'
      ? await createAuditCommand({ today: () => '2026-11-22' }).run(args, io)
      : await main(['evaluate', ...args], io);
  return { code, out, err };
}

/** The same role in a decision: the node role the reference AttachRolePolicy event targets. */
function attachTo(roleName: string): string {
  const raw = JSON.parse(readFileSync(ATTACH, 'utf8'));
  raw.detail.requestParameters.roleName = roleName;
  const path = join(dir, `attach-${roleName}.json`);
  writeFileSync(path, JSON.stringify(raw));
  return path;
}

describe('a snapshot with a CONFIG_MAP cluster', () => {
  it('audits like the sample (same verdicts, same exit code) and warns in the table', async () => {
    const plain = await run('audit', ['--snapshot', SAMPLE, '--format', 'json']);
    const modes = await run('audit', ['--snapshot', snapshot, '--format', 'json']);
    expect(modes.code).toBe(plain.code);
    expect(modes.err).toBe('');
    const verdicts = (out: string) =>
      JSON.parse(out).roles.map((role: { roleName: string; verdict: string }) => [
        role.roleName,
        role.verdict,
      ]);
    expect(verdicts(modes.out)).toEqual(verdicts(plain.out));

    const table = await run('audit', ['--snapshot', snapshot]);
    expect(table.code).toBe(plain.code);
    expect(table.out).toContain('EKS clusters whose node mappings AWS APIs cannot fully show:');
    // The table wraps long lines to the terminal width (COLUMNS, default 100): compare the text, not the breaks.
    const flat = table.out.replace(/\s+/g, ' ');
    expect(flat).toContain(
      'EKS cluster eu-west-1/legacy is in CONFIG_MAP authentication mode: node roles mapped only in its aws-auth ConfigMap cannot be seen through AWS APIs',
    );
    expect(flat).toContain(
      `The access entries of EKS cluster us-east-2/drifted could not be read (InvalidRequestException: ${MODE_ERROR})`,
    );
  });

  it('lists the cluster notes in the JSON and as SARIF notifications', async () => {
    const json = JSON.parse((await run('audit', ['--snapshot', snapshot, '--format', 'json'])).out);
    expect(json.clusterNotes).toEqual([
      expect.objectContaining({ kind: 'aws-auth-not-visible', region: 'eu-west-1', cluster: 'legacy' }),
      expect.objectContaining({
        kind: 'access-entries-unreadable',
        region: 'us-east-2',
        cluster: 'drifted',
        authenticationMode: null,
        error: { code: 'InvalidRequestException', message: MODE_ERROR },
      }),
    ]);
    const heuristicOnly = json.roles.find(
      (role: { roleName: string }) => role.roleName === 'legacy-self-managed-nodes',
    );
    expect(heuristicOnly.warnings).toEqual(
      expect.arrayContaining([expect.stringContaining('us-east-2/drifted could not be read')]),
    );
    const sarif = JSON.parse((await run('audit', ['--snapshot', snapshot, '--format', 'sarif'])).out);
    const texts = sarif.runs[0].invocations[0].toolExecutionNotifications.map(
      (n: { message: { text: string } }) => n.message.text,
    );
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringContaining('eu-west-1/legacy is in CONFIG_MAP authentication mode'),
        expect.stringContaining('us-east-2/drifted could not be read'),
      ]),
    );
  });

  it('evaluates an event without error; the decision carries the warning and the aws-auth note', async () => {
    const { code, out, err } = await run('evaluate', [
      '--event',
      attachTo('legacy-self-managed-nodes'),
      '--snapshot',
      snapshot,
    ]);
    expect(err).toBe('');
    expect(code).toBe(0);
    const decision = JSON.parse(out);
    expect(decision.verdict).toBe('violation');
    expect(decision.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`us-east-2/drifted could not be read (InvalidRequestException`),
      ]),
    );
    expect(decision.nodeRole.evidence.map((e: { kind: string }) => e.kind)).toEqual(['heuristic']);
    expect(decision.nodeRole.clusterNotes).toEqual([
      expect.objectContaining({
        kind: 'aws-auth-not-visible',
        cluster: 'legacy',
        authenticationMode: 'CONFIG_MAP',
      }),
      expect.objectContaining({ kind: 'access-entries-unreadable', cluster: 'drifted' }),
    ]);
  });
});

describe('snapshot of a live account with a CONFIG_MAP cluster', () => {
  it('writes accessConfig and accessEntriesError, and the file audits like the live account', async () => {
    const fake = FakeAws.fromSnapshot(configMapAccount(), { pageSize: 3 });
    fake.failOn({
      service: 'eks',
      command: 'ListAccessEntries',
      match: (input) => input.clusterName === 'prod',
      error: new InvalidRequestException({ message: MODE_ERROR, $metadata: { httpStatusCode: 400 } }),
    });
    const out = join(dir, 'collected.json');
    const io = { stdout: { write: () => true }, stderr: { write: () => true } };
    expect(await createSnapshotCommand({ clients: () => fake.clients() }).run(['--out', out], io)).toBe(0);
    const clusters = readSnapshotFile(out).eks['eu-west-1']?.clusters ?? [];
    expect(clusters.find((c) => c.name === 'legacy')).toMatchObject({
      accessConfig: { authenticationMode: 'CONFIG_MAP' },
      accessEntries: [],
    });
    expect(clusters.find((c) => c.name === 'prod')).toMatchObject({
      accessEntries: [],
      accessEntriesError: { code: 'InvalidRequestException', message: MODE_ERROR },
    });
    expect(clusters.find((c) => c.name === 'prod')?.accessConfig).toBeUndefined();
    const json = JSON.parse((await run('audit', ['--snapshot', out, '--format', 'json'])).out);
    expect(
      json.clusterNotes.map((note: { kind: string; cluster: string }) => [note.kind, note.cluster]),
    ).toEqual([
      ['aws-auth-not-visible', 'legacy'],
      ['access-entries-unreadable', 'prod'],
    ]);
  });
});
