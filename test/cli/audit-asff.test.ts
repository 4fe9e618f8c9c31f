// Tests for `audit --format asff` (issue 14 done-when): the sample snapshot prints valid ASFF findings, one per node
// role, through the CLI entry point; the Region (--region, a one-Region snapshot, else us-east-1) and the time
// (the snapshot's capturedAt) are the documented ones; bad usage exits 2.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditCommand } from '../../lambda/cli/audit-command';
import type { CliIo } from '../../lambda/cli/io';
import { main } from '../../lambda/cli/main';
import { ASFF_DEFAULT_REGION, CIS_CONTROL, FINDING_TYPE } from '../../lambda/report/asff';
import { asffProblems } from '../report/asff-validator';

const SAMPLE = join(__dirname, '..', '..', 'demo', 'sample-account.json');
const SAMPLE_JSON = JSON.parse(readFileSync(SAMPLE, 'utf8'));

/** The entry point itself (`eks-ecr-guard ...`), or the `audit` command on a fixed day (the demo's exemption ends). */
async function run(
  how: 'main' | 'audit',
  argv: string[],
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  };
  const code =
    how === 'main'
      ? await main(argv, io)
      : await createAuditCommand({ today: () => '2026-11-22' }).run(argv.slice(1), io);
  return { code, out, err };
}
const cli = (...argv: string[]) => run('audit', argv);

function parsedFindings(out: string): Record<string, unknown>[] {
  const parsed: unknown = JSON.parse(out);
  if (!Array.isArray(parsed)) throw new Error('not a JSON array');
  return parsed.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
}

const field = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (current, key) =>
      typeof current === 'object' && current !== null ? Reflect.get(current, key) : undefined,
    value,
  );

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-asff-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('audit --snapshot demo/sample-account.json --format asff', () => {
  it('prints valid ASFF findings, one per node role', async () => {
    const { code, out } = await run('main', ['audit', '--snapshot', SAMPLE, '--format', 'asff']);
    expect(code).toBe(0);
    const findings = parsedFindings(out);
    const json = await run('main', ['audit', '--snapshot', SAMPLE, '--format', 'json']);
    const report: unknown = JSON.parse(json.out);
    const nodeRoles = field(report, 'summary', 'nodeRolesTotal');
    expect(findings).toHaveLength(Number(nodeRoles));
    expect(findings.length).toBe(8);
    for (const finding of findings) expect(asffProblems(finding)).toEqual([]);
    // One per node role: distinct Ids, each naming a distinct role resource.
    expect(new Set(findings.map((f) => f.Id)).size).toBe(findings.length);
    const roles = findings.map((f) => field(f, 'Resources', '0'));
    expect(roles.every((role) => field(role, 'Type') === 'AwsIamRole')).toBe(true);
    expect(new Set(roles.map((role) => field(role, 'Id'))).size).toBe(findings.length);
  });

  it('maps the verdicts: the violation FAILED at its severity, the compliant roles PASSED, the exemption a WARNING', async () => {
    const findings = parsedFindings((await cli('audit', '--snapshot', SAMPLE, '--format', 'asff')).out);
    const byRole = new Map(findings.map((f) => [String(field(f, 'ProductFields', 'roleName')), f]));
    const gpu = byRole.get('prod-gpu-nodes');
    expect(field(gpu, 'Compliance', 'Status')).toBe('FAILED');
    expect(field(gpu, 'Severity', 'Label')).toBe('HIGH');
    expect(field(gpu, 'RecordState')).toBe('ACTIVE');
    expect(field(byRole.get('staging-build-nodes'), 'Compliance', 'Status')).toBe('WARNING');
    const statuses = findings.map((f) => field(f, 'Compliance', 'Status'));
    expect(statuses.filter((s) => s === 'PASSED')).toHaveLength(6);
    for (const finding of findings) {
      expect(field(finding, 'Compliance', 'RelatedRequirements')).toEqual([CIS_CONTROL]);
      expect(finding.Types).toEqual([FINDING_TYPE]);
      expect(field(finding, 'FindingProviderFields', 'Types')).toEqual([FINDING_TYPE]);
      expect(field(finding, 'Remediation', 'Recommendation', 'Url')).toMatch(/^https:\/\/.+security-hub\.md/);
    }
    // The clusters whose nodes use the role, by ARN.
    const resources = field(gpu, 'Resources');
    const clusters = Array.isArray(resources) ? resources.slice(1) : [];
    expect(clusters.length).toBeGreaterThan(0);
    for (const cluster of clusters) {
      expect(field(cluster, 'Type')).toBe('AwsEksCluster');
      expect(String(field(cluster, 'Id'))).toMatch(/^arn:aws:eks:[a-z0-9-]+:111122223333:cluster\/.+$/);
    }
  });

  it('addresses the findings to us-east-1 by default (the sample spans two EKS Regions), dated when captured', async () => {
    const findings = parsedFindings((await cli('audit', '--snapshot', SAMPLE, '--format', 'asff')).out);
    expect(ASFF_DEFAULT_REGION).toBe('us-east-1');
    for (const finding of findings) {
      expect(finding.Region).toBe('us-east-1');
      expect(finding.ProductArn).toBe(
        'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      );
      expect(finding.CreatedAt).toBe(new Date(SAMPLE_JSON.capturedAt).toISOString());
      expect(finding.UpdatedAt).toBe(finding.CreatedAt);
      expect(String(finding.Id)).toMatch(
        /^eks-ecr-guard\/111122223333\/us-east-1\/arn:aws:iam::111122223333:role\//,
      );
    }
  });

  it('takes --region, and the one EKS Region of a single-Region snapshot', async () => {
    const given = parsedFindings(
      (await cli('audit', '--snapshot', SAMPLE, '--format', 'asff', '--region', 'eu-central-1')).out,
    );
    expect(given.every((f) => f.Region === 'eu-central-1')).toBe(true);
    const single = { ...SAMPLE_JSON, eks: { 'eu-west-1': SAMPLE_JSON.eks['eu-west-1'] } };
    const path = join(dir, 'single-region.json');
    writeFileSync(path, JSON.stringify(single));
    const findings = parsedFindings((await cli('audit', '--snapshot', path, '--format', 'asff')).out);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.Region === 'eu-west-1')).toBe(true);
  });

  it('is stable: the same snapshot prints the same findings', async () => {
    const first = await cli('audit', '--snapshot', SAMPLE, '--format', 'asff');
    const second = await cli('audit', '--snapshot', SAMPLE, '--format', 'asff');
    expect(second.out).toBe(first.out);
  });

  it('exits 2 on a bad --region', async () => {
    const { code, err } = await run('main', [
      'audit',
      '--snapshot',
      SAMPLE,
      '--format',
      'asff',
      '--region',
      'mars',
    ]);
    expect(code).toBe(2);
    expect(err).toMatch(/--region/);
  });
});
