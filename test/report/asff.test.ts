// Tests for the ASFF presenter (lambda/report/asff.ts): verdict → Compliance/Severity/RecordState, the stable Id,
// the resources (role + cluster ARNs), the decisions that make no finding, the closing finding, and validity.
import {
  ASFF_LIMITS,
  CIS_CONTROL,
  defaultProductArn,
  FINDING_TYPE,
  findingForDecision,
  findingId,
  GENERATOR_ID,
  retiredFinding,
} from '../../lambda/report/asff';
import { violationDecision } from '../notify/support';
import { asffProblems } from './asff-validator';

const TARGET = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const NOW = '2026-11-20T10:00:00.000Z';
const ROLE_ARN = 'arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';

const build = (overrides: Parameters<typeof violationDecision>[0] = {}, remediated = false) => {
  const finding = findingForDecision(violationDecision(overrides), TARGET, NOW, { remediated });
  if (finding === null) throw new Error('no finding');
  return finding;
};

describe('findingForDecision', () => {
  it('a violation: FAILED at our severity, active, with every required ASFF attribute', () => {
    const finding = build();
    expect(asffProblems(finding)).toEqual([]);
    expect(finding).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: `eks-ecr-guard/111122223333/eu-west-1/${ROLE_ARN}/CIS-EKS-5.1.3`,
      ProductArn: 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default',
      GeneratorId: GENERATOR_ID,
      AwsAccountId: '111122223333',
      Types: [FINDING_TYPE],
      CreatedAt: NOW,
      UpdatedAt: NOW,
      Severity: { Label: 'HIGH' },
      FindingProviderFields: { Severity: { Label: 'HIGH' }, Types: [FINDING_TYPE] },
      Compliance: { Status: 'FAILED', RelatedRequirements: [CIS_CONTROL] },
      RecordState: 'ACTIVE',
    });
    expect(finding.Title).toContain('can write to Amazon ECR');
    expect(finding.Remediation.Recommendation.Url).toMatch(/^https:\/\//);
  });

  it.each([
    ['critical', 'CRITICAL'],
    ['high', 'HIGH'],
    ['medium', 'MEDIUM'],
  ] as const)('maps severity %s to %s', (severity, label) => {
    expect(build({ severity }).Severity.Label).toBe(label);
  });

  it('names the role and each cluster (once) as resources, by ARN', () => {
    expect(build().Resources).toEqual([
      { Type: 'AwsIamRole', Id: ROLE_ARN, Partition: 'aws', Region: 'eu-west-1' },
      {
        Type: 'AwsEksCluster',
        Id: 'arn:aws:eks:eu-west-1:111122223333:cluster/prod',
        Partition: 'aws',
        Region: 'eu-west-1',
      },
    ]);
  });

  it('keeps at most 32 resources (the role and 31 clusters)', () => {
    const evidence = Array.from({ length: 40 }, (_, i) => ({
      kind: 'managed-nodegroup' as const,
      region: 'eu-west-1',
      cluster: `c${String(i).padStart(2, '0')}`,
    }));
    const finding = build({ nodeRole: { evidence } });
    expect(finding.Resources).toHaveLength(32);
    expect(asffProblems(finding)).toEqual([]);
  });

  it('a compliant role PASSES and is archived', () => {
    const finding = build({
      verdict: 'compliant',
      severity: null,
      ecrWriteActions: [],
      grants: [],
      plan: [],
    });
    expect(finding).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Severity: { Label: 'INFORMATIONAL' },
      RecordState: 'ARCHIVED',
    });
    expect(asffProblems(finding)).toEqual([]);
  });

  it('a violation the guard fixed PASSES and is archived', () => {
    const finding = build({}, true);
    expect(finding).toMatchObject({ Compliance: { Status: 'PASSED' }, RecordState: 'ARCHIVED' });
    expect(finding.Title).toContain('fixed by eks-ecr-guard');
  });

  it('an indeterminate role is a WARNING at MEDIUM, active (someone must look)', () => {
    const finding = build({ verdict: 'indeterminate', severity: null });
    expect(finding).toMatchObject({
      Compliance: { Status: 'WARNING' },
      Severity: { Label: 'MEDIUM' },
      RecordState: 'ACTIVE',
    });
  });

  it('an exempt role is a WARNING, archived, naming the exemption', () => {
    const finding = build({
      verdict: 'exempt',
      severity: null,
      exemption: { source: 'tag', reason: 'CI builder', until: '2027-03-31' },
    });
    expect(finding).toMatchObject({ Compliance: { Status: 'WARNING' }, RecordState: 'ARCHIVED' });
    expect(finding.Description).toContain('CI builder until 2027-03-31');
  });

  it.each([
    ['not a node role', { verdict: 'not-node-role' as const }],
    ['ignored', { verdict: 'ignored' as const }],
    ['only the change was judged', { verdict: 'compliant' as const, scope: 'change' as const }],
    ['no role ARN', { role: { name: 'r', arn: null } }],
    ['no role', { role: null }],
  ])('makes no finding when %s', (_name, overrides) => {
    expect(findingForDecision(violationDecision(overrides), TARGET, NOW)).toBeNull();
  });

  it('clips free text to the ASFF bounds', () => {
    const finding = build({ reason: 'x'.repeat(5000) });
    expect(finding.Description.length).toBeLessThanOrEqual(ASFF_LIMITS.description);
    expect(asffProblems(finding)).toEqual([]);
  });
});

describe('findingId', () => {
  it('is stable for a role and differs by account, Region and role', () => {
    expect(findingId(TARGET, ROLE_ARN)).toBe(findingId({ ...TARGET }, ROLE_ARN));
    expect(findingId(TARGET, ROLE_ARN)).not.toBe(findingId({ ...TARGET, region: 'us-east-1' }, ROLE_ARN));
    expect(findingId(TARGET, ROLE_ARN)).not.toBe(findingId(TARGET, `${ROLE_ARN}x`));
  });

  it('stays within 512 characters for the longest role ARNs (a hash stands in)', () => {
    const longArn = `arn:aws:iam::111122223333:role/${'p/'.repeat(250)}${'n'.repeat(64)}`;
    const id = findingId(TARGET, longArn);
    expect(id.length).toBeLessThanOrEqual(512);
    expect(id).toMatch(/sha256-[0-9a-f]{64}/);
    expect(findingId(TARGET, `${longArn}2`)).not.toBe(id);
  });
});

describe('retiredFinding', () => {
  it('closes a role that left the audit: same Id and creation, PASSED, archived, only the role as resource', () => {
    const id = findingId(TARGET, ROLE_ARN);
    const closed = retiredFinding(
      {
        id,
        roleArn: ROLE_ARN,
        createdAt: '2026-11-01T00:00:00.000Z',
        complianceStatus: 'FAILED',
        recordState: 'ACTIVE',
      },
      TARGET,
      NOW,
    );
    expect(closed).toMatchObject({
      Id: id,
      CreatedAt: '2026-11-01T00:00:00.000Z',
      UpdatedAt: NOW,
      Compliance: { Status: 'PASSED' },
      RecordState: 'ARCHIVED',
      ProductArn: defaultProductArn(TARGET),
    });
    expect(closed.Resources).toEqual([expect.objectContaining({ Type: 'AwsIamRole', Id: ROLE_ARN })]);
    expect(asffProblems(closed)).toEqual([]);
  });
});
