// Tests for the sweep digest (lambda/notify/digest.ts): every violation named once with its remediation outcome,
// the subject and attribute rules SNS and subscribers rely on, the KPIs, and the size limit on huge accounts.

import type { AuditReport, RoleAudit } from '../../lambda/domain/audit-report';
import { MESSAGE_BYTE_BUDGET, messageBytes } from '../../lambda/notify/attributes';
import {
  type DigestInput,
  type DigestRemediation,
  digestNeeded,
  formatDigest,
  sweepKpis,
} from '../../lambda/notify/digest';
import { accountJson, mixedAccountJson, reportOfJson } from '../report/support';

const input = (report: AuditReport, extra: Partial<DigestInput> = {}): DigestInput => ({
  report,
  mode: 'alert',
  remediations: new Map(),
  eksWarnings: [],
  ...extra,
});

/** The role named by each violation line (`  [HIGH] <role>: ...`), in order. */
const violationLineRoles = (body: string): string[] =>
  body.split('\n').flatMap((line) => {
    const match = /^ {2}\[(CRITICAL|HIGH|MEDIUM)\] (\S+): /.exec(line);
    return match?.[2] === undefined ? [] : [match[2]];
  });

describe('formatDigest', () => {
  let mixed: AuditReport;
  beforeAll(async () => {
    mixed = await reportOfJson(mixedAccountJson());
  });

  it('names every violation exactly once, most severe first, and no compliant or exempt role among them', () => {
    const { body, listed, omitted } = formatDigest(input(mixed));
    expect(violationLineRoles(body)).toEqual(['admin', 'pusher', 'cache']);
    expect(body).toContain('VIOLATIONS (3)');
    expect(body).not.toMatch(/\bok\b/);
    expect([listed, omitted]).toEqual([3, 0]);
  });

  it('has a line per violation with its write actions, the granting policy and the node group', () => {
    const line = formatDigest(input(mixed))
      .body.split('\n')
      .find((candidate) => candidate.includes('[HIGH] pusher'));
    expect(line).toBe(
      '  [HIGH] pusher: 4 ECR write actions (ecr:CompleteLayerUpload, ecr:InitiateLayerUpload, ecr:PutImage and 1 more) ' +
        'via AmazonEC2ContainerRegistryPowerUser (AWS managed); eu-west-1/prod (ng-pusher)',
    );
  });

  it('gives the counts, the KPIs, expiring exemptions and dangling references', () => {
    const { body } = formatDigest(input(mixed));
    expect(body).toContain('Node roles:      5 (of 5 IAM roles)');
    expect(body).toContain('Compliant:       1 (20.0%)');
    expect(body).toContain('Open violations: 3 (critical 1, high 1, medium 1)');
    expect(body).toContain('EXEMPTIONS ENDING WITHIN 14 DAYS (1)');
    expect(body).toContain('waived: until 2026-11-30 (8 days), cache warmer');
    expect(body).toContain('EKS REFERENCES TO ROLES THAT DO NOT EXIST (1)');
  });

  it('has a one-line subject under 100 characters and String attributes kind=digest, severity=highest open', () => {
    const digest = formatDigest(input(mixed));
    expect(digest.subject).toBe(
      '[CRITICAL] eks-ecr-guard sweep: 3 EKS node roles can write to ECR (111122223333)',
    );
    expect(digest.subject.length).toBeLessThan(100);
    expect(digest.subject).not.toMatch(/[\r\n]/);
    expect(digest.subject).toMatch(/^[\x20-\x7E]+$/);
    expect(digest.attributes).toEqual({
      kind: 'digest',
      alertKind: 'digest',
      severity: 'critical',
      account: '111122223333',
      mode: 'alert',
      openViolations: '3',
    });
  });

  it('reports remediation outcomes in remediate mode; fixed roles no longer count as open', () => {
    const remediations = new Map<string, DigestRemediation>([
      ['admin', { status: 'applied', error: null }],
      ['pusher', { status: 'failed-safe', error: 'AccessDenied: not allowed' }],
    ]);
    const digest = formatDigest(input(mixed, { mode: 'remediate', remediations }));
    expect(digest.body).toContain('[CRITICAL] admin');
    expect(digest.body).toMatch(/\[CRITICAL\] admin: .* => FIXED by this sweep/);
    expect(digest.body).toMatch(
      /\[HIGH\] pusher: .* => FIX NOT FINISHED \(pulls still work\), finish by hand: AccessDenied: not allowed/,
    );
    expect(digest.body).toMatch(/\[MEDIUM\] cache: .* => not fixed automatically/);
    expect(digest.body).toContain('Fixed by this sweep: 1');
    expect(digest.attributes).toMatchObject({ severity: 'high', openViolations: '2', mode: 'remediate' });
    expect(digest.subject).toBe(
      '[HIGH] eks-ecr-guard sweep: 2 EKS node roles can write to ECR, 1 fixed (111122223333)',
    );
  });

  it('says why a violation whose exemption tag expired was not fixed (the tag still blocks the writes)', async () => {
    const report = await reportOfJson(
      accountJson({
        lapsed: {
          attached: ['AmazonEC2ContainerRegistryPowerUser'],
          tags: { 'eks-ecr-guard:exempt': 'cache warmer, until=2026-11-01' },
        },
      }),
    );
    expect(report.roles.map((role) => role.verdict)).toEqual(['violation']);
    const { body } = formatDigest(input(report, { mode: 'remediate' }));
    expect(body).toContain(
      "=> not fixed automatically: its eks-ecr-guard:exempt tag expired on 2026-11-01 and still blocks the guard's writes",
    );
  });

  it('says [FIXED] with severity none when the sweep fixed every violation', () => {
    const remediations = new Map<string, DigestRemediation>(
      ['admin', 'pusher', 'cache'].map((role) => [role, { status: 'applied', error: null }]),
    );
    const digest = formatDigest(input(mixed, { mode: 'remediate', remediations }));
    expect(digest.subject).toBe(
      '[FIXED] eks-ecr-guard sweep: ECR write removed from 3 EKS node roles (111122223333)',
    );
    expect(digest.attributes.severity).toBe('none');
    expect(sweepKpis(mixed, remediations)).toEqual({
      nodeRolesTotal: 5,
      nodeRolesCompliant: 4,
      complianceRatio: 80,
      open: { critical: 0, high: 0, medium: 0 },
      openTotal: 0,
      fixed: 3,
    });
  });

  it('is needed for violations or unverifiable roles, not for a clean account', async () => {
    const clean = await reportOfJson(
      accountJson({ ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] } }),
    );
    expect(digestNeeded(mixed)).toBe(true);
    expect(digestNeeded(clean)).toBe(false);
    expect(formatDigest(input(clean)).subject).toBe(
      '[OK] eks-ecr-guard sweep: no EKS node role can write to ECR (111122223333)',
    );
  });

  it('keeps a huge digest under the SNS limit and says how many violations it left out', () => {
    const [template] = mixed.roles.filter((role) => role.roleName === 'admin');
    if (template === undefined) throw new Error('no admin role');
    const roles: RoleAudit[] = Array.from({ length: 3000 }, (_, i) => ({
      ...template,
      roleName: `node-role-with-a-rather-long-name-${String(i).padStart(5, '0')}`,
    }));
    const huge: AuditReport = {
      ...mixed,
      roles,
      summary: {
        ...mixed.summary,
        nodeRolesTotal: 3000,
        violations: { critical: 3000, high: 0, medium: 0, total: 3000 },
      },
    };
    const digest = formatDigest(input(huge));
    expect(digest.omitted).toBeGreaterThan(0);
    expect(digest.listed + digest.omitted).toBe(3000);
    expect(violationLineRoles(digest.body)).toHaveLength(digest.listed);
    expect(new Set(violationLineRoles(digest.body)).size).toBe(digest.listed);
    expect(messageBytes(digest)).toBeLessThanOrEqual(MESSAGE_BYTE_BUDGET);
    expect(digest.body).toContain(`and ${digest.omitted} more violations not listed`);
    expect(digest.body).toContain('Open violations: 3000 (critical 3000');
  });

  it('keeps the subject under 100 characters for a long account id placeholder', async () => {
    const report = { ...mixed, accountId: 'x'.repeat(200) };
    expect(formatDigest(input(report)).subject.length).toBeLessThan(100);
  });
});
