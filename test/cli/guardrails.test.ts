// Tests for the CLI command `guardrails`: help, formats, bad usage (exit 2), a policy failing its check (exit 1,
// nothing printed), and the done-when: the printed boundary, set on a node role holding FullAccess in a snapshot,
// makes `audit` and `evaluate` find the role compliant with every node pull kept.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import type { CliIo } from '../../lambda/cli/io';
import { main } from '../../lambda/cli/main';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const TODAY = '2026-11-22';
const ACCOUNT = '111122223333';
const NODE_ROLE = 'KarpenterNodeRole-prod';
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/eks-node-boundary`;
const ATTACH_FULL_ACCESS = join(
  __dirname,
  '..',
  '..',
  'demo',
  'events',
  '01-attach-fullaccess-karpenter.json',
);
const NODE_PULLS = ['ecr:BatchGetImage', 'ecr:GetAuthorizationToken', 'ecr:GetDownloadUrlForLayer'];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  };
  const code = await main(argv, io);
  return { code, out, err };
}

const managed = (name: string) => ({ PolicyName: name, PolicyArn: `arn:aws:iam::aws:policy/${name}` });
const EC2_TRUST = encodeURIComponent(
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  }),
);

/** A Karpenter node role (EC2_LINUX access entry) with the given managed policies, bounded by `boundary`. */
function snapshotWith(boundary: string, attached: readonly string[]): unknown {
  return {
    accountId: ACCOUNT,
    partition: 'aws',
    iam: {
      RoleDetailList: [
        {
          Path: '/',
          RoleName: NODE_ROLE,
          Arn: `arn:aws:iam::${ACCOUNT}:role/${NODE_ROLE}`,
          AssumeRolePolicyDocument: EC2_TRUST,
          RolePolicyList: [],
          AttachedManagedPolicies: attached.map(managed),
          PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: BOUNDARY_ARN },
          Tags: [],
        },
      ],
      Policies: [
        {
          PolicyName: 'eks-node-boundary',
          Arn: BOUNDARY_ARN,
          DefaultVersionId: 'v1',
          PolicyVersionList: [
            // URL-encoded, as GetAccountAuthorizationDetails returns documents.
            { VersionId: 'v1', IsDefaultVersion: true, Document: encodeURIComponent(boundary) },
          ],
        },
      ],
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            accessEntries: [{ principalArn: `arn:aws:iam::${ACCOUNT}:role/${NODE_ROLE}`, type: 'EC2_LINUX' }],
          },
        ],
      },
    },
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-guardrails-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

async function printedBoundary(): Promise<string> {
  const { code, out, err } = await cli('guardrails', '--kind', 'boundary', '--format', 'json');
  expect({ code, err }).toEqual({ code: 0, err: '' });
  return out;
}

describe('eks-ecr-guard guardrails', () => {
  it('is listed, and --help prints its usage', async () => {
    expect((await cli('--help')).out).toMatch(/^ {2}guardrails print a preventive SCP/m);
    const { code, out } = await cli('guardrails', '--help');
    expect(code).toBe(0);
    expect(out.startsWith('Usage: eks-ecr-guard guardrails --kind scp|boundary')).toBe(true);
  });

  it('--kind scp --format json prints the SCP minified, on one line', async () => {
    const { code, out } = await cli('guardrails', '--kind', 'scp', '--format', 'json');
    expect(code).toBe(0);
    expect(out.trimEnd()).not.toContain('\n');
    expect(out.trimEnd()).toBe(JSON.stringify(JSON.parse(out)));
    expect(out.length).toBeLessThanOrEqual(5121);
    expect(JSON.parse(out).Statement.map((s: { Sid: string }) => s.Sid)).toEqual([
      'DenyWritePolicyAttachToNodeRoles',
      'DenyInlinePolicyToNodeRoles',
      'DenyEcrWritesWithEc2InstanceCredentials',
    ]);
  });

  it('passes patterns, tag, exemptions and partition through to the SCP', async () => {
    const { code, out } = await cli(
      'guardrails',
      '--kind',
      'scp',
      '--format',
      'json',
      '--partition',
      'aws-us-gov',
      '--node-role-pattern',
      'prod-*-nodes',
      '--node-role-pattern',
      'staging-build-nodes',
      '--node-role-tag',
      'eks-node=true',
      '--exempt-principal',
      'arn:aws-us-gov:iam::*:role/eks-ecr-guard-*',
    );
    expect(code).toBe(0);
    const scp = JSON.parse(out);
    expect(scp.Statement[0].Resource).toEqual([
      'arn:aws-us-gov:iam::*:role/prod-*-nodes',
      'arn:aws-us-gov:iam::*:role/*/prod-*-nodes',
      'arn:aws-us-gov:iam::*:role/staging-build-nodes',
      'arn:aws-us-gov:iam::*:role/*/staging-build-nodes',
    ]);
    expect(scp.Statement[2].Condition.StringEquals).toEqual({ 'aws:ResourceTag/eks-node': 'true' });
    expect(scp.Statement.at(-1).Condition.ArnNotLike).toEqual({
      'aws:PrincipalArn': ['arn:aws-us-gov:iam::*:role/eks-ecr-guard-*'],
    });
  });

  it('text format explains the policy, cites the condition keys page and shows the size', async () => {
    const { code, out } = await cli('guardrails', '--kind', 'scp');
    expect(code).toBe(0);
    expect(out).toContain('reference_policies_condition-keys.html');
    expect(out).toMatch(/^Size: \d+ of 5120 characters/m);
    expect(out).toContain('Breaks on purpose: CI runners on EC2');
    const boundary = await cli('guardrails', '--kind', 'boundary', '--format', 'text');
    expect(boundary.out).toMatch(/^Size: \d+ of 6144 characters/m);
  });

  it('--kind boundary --format json prints indented JSON that parses', async () => {
    const out = await printedBoundary();
    expect(out).toContain('\n  "Statement": [');
    expect(JSON.parse(out).Statement.at(-1)).toMatchObject({ Sid: 'DenyEcrWrites', Effect: 'Deny' });
  });

  it('exits 1 and prints no policy when the check fails', async () => {
    const { code, out, err } = await cli('guardrails', '--kind', 'boundary', '--allow', 'ecr:PutImage');
    expect(code).toBe(1);
    expect(out).toBe('');
    expect(err).toContain('the boundary failed its check, not printed');
    expect(err).toContain('- without its Deny: ECR write actions remain allowed: ecr:PutImage');
  });

  it('reads extraPullActions from --config and leaves them out of the SCP Deny', async () => {
    const config = writeJson('config.json', { extraPullActions: ['ecr:CreateRepository'] });
    const { out } = await cli('guardrails', '--kind', 'scp', '--format', 'json', '--config', config);
    const actions: string[] = JSON.parse(out).Statement.at(-1).Action;
    expect(actions).not.toContain('ecr:CreateRepository');
    expect(actions).toContain('ecr:PutImage');
  });

  it.each([
    [['--kind', 'rcp'], '--kind must be scp or boundary'],
    [[], '--kind must be scp or boundary'],
    [['--kind', 'scp', '--format', 'yaml'], '--format must be text or json'],
    [['--kind', 'scp', '--partition', 'amazon'], '--partition: not a partition name'],
    [['--kind', 'scp', '--node-role-tag', 'novalue'], '--node-role-tag expects KEY=VALUE'],
    [['--kind', 'scp', '--exempt-principal', 'ci-runner'], '--exempt-principal expects ARNs'],
    [['--kind', 'scp', '--no-ssm'], '--no-ssm does not apply to --kind scp'],
    [['--kind', 'boundary', '--node-role-tag', 'a=b'], '--node-role-tag does not apply to --kind boundary'],
    [['--kind', 'boundary', '--allow', 'PutImage'], '--allow expects service:Action'],
    [['--kind', 'scp', '--bogus'], "Unknown option '--bogus'"],
  ])('bad usage %j exits 2: %s', async (args, message) => {
    const { code, out, err } = await cli('guardrails', ...args);
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain(message);
  });
});

describe('the printed boundary over FullAccess (done-when)', () => {
  it('audit --snapshot finds the node role compliant: no write action', async () => {
    const snapshot = writeJson(
      'audit.json',
      snapshotWith(await printedBoundary(), [
        'AmazonEC2ContainerRegistryFullAccess',
        'AmazonEKSWorkerNodePolicy',
      ]),
    );
    const { code, out } = await cli(
      'audit',
      '--snapshot',
      snapshot,
      '--format',
      'json',
      '--fail-on',
      'medium',
    );
    expect(code).toBe(0);
    const report = JSON.parse(out);
    expect(report.summary).toMatchObject({ nodeRolesTotal: 1, nodeRolesCompliant: 1, indeterminate: 0 });
    expect(report.roles[0]).toMatchObject({ roleName: NODE_ROLE, verdict: 'compliant', writeActions: [] });
  });

  it('without the boundary the same role is a violation (the test can fail)', async () => {
    const open = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
    });
    const snapshot = writeJson('open.json', snapshotWith(open, ['AmazonEC2ContainerRegistryFullAccess']));
    const { code } = await cli('audit', '--snapshot', snapshot, '--format', 'json', '--fail-on', 'medium');
    expect(code).toBe(1);
  });

  it('the audit use case keeps every node pull allowed', async () => {
    const json = snapshotWith(await printedBoundary(), ['AmazonEC2ContainerRegistryFullAccess']);
    const view = new SnapshotAccountView(loadSnapshot(json, 'test snapshot'));
    const evaluator = new ChangeEvaluator(
      view,
      evaluationSettings(parseConfig({}), view.partition, () => TODAY),
    );
    const report = await auditAccount(view, evaluator, { today: TODAY });
    const [role] = report.roles;
    expect(role?.verdict).toBe('compliant');
    expect(role?.decision.pullActionsAllowed).toEqual(NODE_PULLS);
  });

  it('evaluate: attaching FullAccess to the bounded role is compliant and pulls stay', async () => {
    const snapshot = writeJson(
      'evaluate.json',
      snapshotWith(await printedBoundary(), ['AmazonEKSWorkerNodePolicy']),
    );
    const { code, out } = await cli('evaluate', '--event', ATTACH_FULL_ACCESS, '--snapshot', snapshot);
    expect(code).toBe(0);
    const decision = JSON.parse(out);
    expect(decision).toMatchObject({
      verdict: 'compliant',
      ecrWriteActions: [],
      pullActionsAllowed: NODE_PULLS,
    });
    expect(readFileSync(ATTACH_FULL_ACCESS, 'utf8')).toContain('"roleName": "KarpenterNodeRole-prod"');
  });
});
