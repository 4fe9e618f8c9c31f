// Tests for the CLI command `iac`: exit codes with --fail-on / --fail-on-unknown (the audit's convention), SARIF
// results with a physical location (file and line), table and JSON output, and exit code 2 for bad usage or input.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { CliIo } from '../../lambda/cli/io';
import { main } from '../../lambda/cli/main';
import { SARIF_RULES } from '../../lambda/report/sarif';
import { fixture, lineOf } from './support';

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

interface SarifView {
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[];
    }[];
  }[];
}

function sarif(out: string): SarifView {
  return JSON.parse(out);
}

const FULL_CFN = fixture('eksctl-nodegroup-fullaccess.json');
const FULL_TF = fixture('terraform-eks-module.plan.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-iac-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('eks-ecr-guard iac', () => {
  it.each([
    ['a CloudFormation template', FULL_CFN, lineOf(FULL_CFN, 'AmazonEC2ContainerRegistryFullAccess') - 1],
    [
      'a Terraform plan JSON',
      FULL_TF,
      lineOf(FULL_TF, 'aws_iam_role_policy_attachment.additional[\\"ecr\\"]'),
    ],
  ])(
    'on %s whose node group role has FullAccess exits 1 with --fail-on high; SARIF has file and line',
    async (_, file, line) => {
      const { code, out } = await cli('iac', file, '--fail-on', 'high', '--format', 'sarif');
      expect(code).toBe(1);
      const [run] = sarif(out).runs;
      expect(run?.results).toHaveLength(1);
      const result = run?.results[0];
      expect(result).toMatchObject({ ruleId: 'EKS-ECR-WRITE-HIGH', level: 'error' });
      expect(run?.tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe('EKS-ECR-WRITE-HIGH');
      expect(result?.locations[0]?.physicalLocation).toEqual({
        artifactLocation: { uri: relative(process.cwd(), file) },
        region: { startLine: line, startColumn: expect.any(Number) },
      });
    },
  );

  it('keeps the audit SARIF rules and adds an unknown rule', async () => {
    const { out } = await cli('iac', fixture('short-forms.yaml'), '--format', 'sarif');
    const [run] = sarif(out).runs;
    const ids = run?.tool.driver.rules.map((rule) => rule.id);
    expect(ids).toEqual([...SARIF_RULES.map((rule) => rule.id), 'EKS-ECR-WRITE-UNKNOWN']);
    const unknown = run?.results.filter((r) => r.ruleId === 'EKS-ECR-WRITE-UNKNOWN') ?? [];
    expect(unknown.map((r) => r.level)).toEqual(['warning', 'warning']);
    expect(unknown.map((r) => r.locations[0]?.physicalLocation.region.startLine)).toEqual([
      lineOf(fixture('short-forms.yaml'), '!Ref ExtraNodePolicyArn'),
      lineOf(fixture('short-forms.yaml'), 'HybridAccessEntry:'),
    ]);
  });

  it('exits 0 below the threshold and without --fail-on', async () => {
    expect((await cli('iac', FULL_CFN, '--fail-on', 'critical')).code).toBe(0);
    expect((await cli('iac', FULL_CFN)).code).toBe(0);
    expect((await cli('iac', fixture('eksctl-nodegroup-readonly.json'), '--fail-on', 'medium')).code).toBe(0);
  });

  it('--fail-on-unknown also fails on unknowns', async () => {
    const plan = fixture('terraform-unknowns.plan.json');
    expect((await cli('iac', plan, '--fail-on', 'high')).code).toBe(0);
    expect((await cli('iac', plan, '--fail-on', 'high', '--fail-on-unknown')).code).toBe(1);
  });

  it('reads several paths at once, a cdk.out folder among them', async () => {
    const { code, out } = await cli('iac', fixture('cdk-out'), FULL_CFN, '--format', 'json');
    expect(code).toBe(0);
    const json = JSON.parse(out);
    expect(json).toMatchObject({
      formatVersion: 1,
      summary: { nodeRoles: 3, compliant: 1, violations: { high: 2, total: 2 } },
    });
    expect(json.files).toHaveLength(3);
  });

  it('prints a table with the finding, its reason and its line', async () => {
    const { out } = await cli('iac', FULL_CFN);
    expect(out).toMatch(/^VIOLATION high {2}NodeInstanceRole {2}.*eksctl-nodegroup-fullaccess\.json:\d+$/m);
    expect(out).toMatch(/used by AWS::EKS::Nodegroup ManagedNodeGroup/);
    expect(out).toMatch(/Violations: {2}1 \(critical 0, high 1, medium 0\)/);
  });

  it.each([
    [['iac'], /give at least one template/],
    [['iac', FULL_CFN, '--format', 'xml'], /--format must be one of table, json, sarif/],
    [['iac', FULL_CFN, '--fail-on', 'low'], /--fail-on must be one of critical, high, medium/],
    [['iac', '/no/such/file.json'], /cannot read \/no\/such\/file\.json \(ENOENT\)/],
  ])('exits 2 for %j', async (argv, message) => {
    const { code, err } = await cli(...argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });

  it('exits 2 for a file that is neither a template nor a plan, and for a folder without templates', async () => {
    const other = join(dir, 'other.json');
    writeFileSync(other, '{"hello": "world"}');
    expect(await cli('iac', other)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/neither a CloudFormation template nor a Terraform plan/),
    });
    expect(await cli('iac', dir)).toMatchObject({
      code: 2,
      err: expect.stringMatching(/holds no \*\.template\.json/),
    });
  });

  it('is listed in the help', async () => {
    expect((await cli('--help')).out).toMatch(/^ {2}iac {8}check CloudFormation templates/m);
    expect((await cli('help', 'iac')).out).toMatch(/^Usage: eks-ecr-guard iac PATH\.\.\./);
  });
});
