// CLI tests for ECR resource policies (issue 11 done-when): `evaluate` on a SetRepositoryPolicy event, the
// event path's cost (no IAM read when the policy grants no write), and `audit` on a snapshot with such a policy.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditCommand } from '../../lambda/cli/audit-command';
import { createEvaluateCommand } from '../../lambda/cli/main';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { runMain } from './capture';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'demo', 'sample-account.json');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const NG1 = 'arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';

const run = runMain;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-ecr-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sample = () => JSON.parse(readFileSync(SAMPLE, 'utf8'));
const event = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `ecr-${name}.json`), 'utf8'));
const writeJson = (name: string, value: unknown): string => {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
};
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

describe('eks-ecr-guard evaluate on ECR events', () => {
  it('SetRepositoryPolicy granting ecr:PutImage to a node role: a violation with a repository-policy grant', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'ecr-SetRepositoryPolicy.json'),
      '--snapshot',
      SAMPLE,
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({ verdict: 'violation', role: { arn: NG1 }, scope: 'role' });
    expect(decision.reason).toContain('repository app (eu-west-1)');
    expect(decision.ecrWriteActions).toEqual(expect.arrayContaining(['ecr:PutImage']));
    expect(decision.grants).toContainEqual(
      expect.objectContaining({
        policy: {
          kind: 'repository-policy',
          name: 'app',
          arn: 'arn:aws:ecr:eu-west-1:111122223333:repository/app',
          region: 'eu-west-1',
        },
        statement: 'NodesPush',
        actions: expect.arrayContaining(['ecr:PutImage']),
      }),
    );
  });

  it.each([
    ['PutRegistryPolicy', 'registry-policy', 'every repository of the registry in eu-west-1'],
    ['CreateRepositoryCreationTemplate', 'repository-creation-template', 'under prefix docker-hub'],
  ])('%s granting push to a node role: a %s violation naming what it reaches', async (name, kind, reach) => {
    const { stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, `ecr-${name}.json`),
      '--snapshot',
      SAMPLE,
    ]);
    const decision = JSON.parse(stdout);
    expect(decision.verdict).toBe('violation');
    expect(decision.reason).toContain(reach);
    expect(decision.grants.map((g: { policy: { kind: string } }) => g.policy.kind)).toContain(kind);
  });

  it('a template update whose policy only pulls is compliant from the change alone', async () => {
    const { stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'ecr-UpdateRepositoryCreationTemplate.json'),
      '--snapshot',
      SAMPLE,
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'compliant', scope: 'change', grants: [] });
  });

  it('--live: a policy granting no ECR write to anyone costs no IAM (and no EKS or ECR) read', async () => {
    const fake = FakeAws.fromSnapshot(sample(), { pageSize: 2 });
    const raw = event('SetRepositoryPolicy');
    raw.detail.requestParameters.policyText = policy({
      Effect: 'Allow',
      Principal: '*',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    });
    fake.resetCalls();
    let stdout = '';
    const code = await createEvaluateCommand({ clients: () => fake.clients() }).run(
      ['--event', writeJson('pull-only.json', raw), '--live'],
      { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } },
    );
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'compliant', scope: 'change' });
    expect(fake.calls.filter((call) => call.service !== 'account')).toEqual([]);
  });

  it('--live: a grant to the node role reads the node-role index and that role, no other role', async () => {
    const fake = FakeAws.fromSnapshot(sample(), { pageSize: 2 });
    fake.resetCalls();
    let stdout = '';
    await createEvaluateCommand({ clients: () => fake.clients() }).run(
      ['--event', join(FIXTURES, 'ecr-SetRepositoryPolicy.json'), '--live'],
      { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: () => true } },
    );
    expect(JSON.parse(stdout)).toMatchObject({ verdict: 'violation', role: { arn: NG1 } });
    const roles = new Set(fake.calls.filter((c) => c.command === 'GetRole').map((c) => c.input.RoleName));
    expect([...roles]).toEqual([NG1.slice(NG1.lastIndexOf('/') + 1)]);
    expect(fake.calls.filter((c) => c.service === 'ecr')).toEqual([]);
  });
});

describe('eks-ecr-guard audit with ECR resource policies', () => {
  const withNodePush = () => {
    const snapshot = sample();
    const app = snapshot.ecr['eu-west-1'].repositories[0];
    app.policyText = policy(
      { Sid: 'NodesPush', Effect: 'Allow', Principal: { AWS: NG1 }, Action: 'ecr:PutImage' },
      { Sid: 'AnyoneTags', Effect: 'Allow', Principal: '*', Action: 'ecr:TagResource' },
    );
    return writeJson('node-push.json', snapshot);
  };
  const audit = async (...args: string[]) => {
    let out = '';
    const code = await createAuditCommand({ today: () => '2026-11-22' }).run(args, {
      stdout: { write: (t: string) => (out += t) },
      stderr: { write: () => true },
    });
    return { code, out };
  };

  it('reports the node role a repository policy names, with the grant, in JSON', async () => {
    const { out } = await audit('--snapshot', withNodePush(), '--format', 'json');
    const report = JSON.parse(out);
    const ng1 = report.roles.find((role: { roleArn: string }) => role.roleArn === NG1);
    expect(ng1).toMatchObject({
      verdict: 'violation',
      writeActions: expect.arrayContaining(['ecr:PutImage']),
    });
    expect(ng1.resourceGrants).toEqual([
      expect.objectContaining({
        policy: expect.objectContaining({ kind: 'repository-policy', name: 'app' }),
        statement: 'NodesPush',
        actions: ['ecr:PutImage'],
      }),
      // "*" covers the node role too.
      expect.objectContaining({ statement: 'AnyoneTags', actions: ['ecr:TagResource'] }),
    ]);
    expect(report.anyPrincipalWrites).toEqual([
      expect.objectContaining({
        statement: 'AnyoneTags',
        actions: ['ecr:TagResource'],
        principal: 'any-principal',
      }),
    ]);
    expect(report.summary.anyPrincipalWrites).toBe(1);
  });

  it('lists resource-based grants per node role and "*" write policies in the table', async () => {
    // The table wraps long lines to the terminal width (COLUMNS, default 100): compare the text, not the breaks.
    const out = (await audit('--snapshot', withNodePush())).out.replace(/\s+/g, ' ');
    expect(out).toContain('ECR resource policies that grant node roles write directly');
    expect(out).toMatch(
      /eksctl-prod-nodegroup-ng-1-\S+: repository app \(eu-west-1\), statement NodesPush: ecr:PutImage/,
    );
    expect(out).toContain('ECR resource policies that grant write to any principal ("*"):');
    expect(out).toMatch(/repository app \(eu-west-1\), statement AnyoneTags: ecr:TagResource/);
  });

  it('--live reads the same policies (ECR gateway over the in-memory AWS) and reports the same', async () => {
    const fake = FakeAws.fromSnapshot(JSON.parse(readFileSync(withNodePush(), 'utf8')), { pageSize: 2 });
    let out = '';
    await createAuditCommand({ clients: () => fake.clients(), today: () => '2026-11-22' }).run(
      ['--live', '--format', 'json', '--regions', 'eu-west-1,us-east-2'],
      { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } },
    );
    const report = JSON.parse(out);
    const ng1 = report.roles.find((role: { roleArn: string }) => role.roleArn === NG1);
    expect(ng1.resourceGrants.map((g: { statement: string }) => g.statement)).toEqual([
      'NodesPush',
      'AnyoneTags',
    ]);
    expect(report.summary.anyPrincipalWrites).toBe(1);
    expect(fake.callCount('ecr', 'GetRepositoryPolicy')).toBe(3);
  });
});
