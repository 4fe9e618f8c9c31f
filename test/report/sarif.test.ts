// Tests for the SARIF 2.1.0 renderer: the required log, tool and rule fields, exactly one result per violation with
// the right rule and level, logical locations by role ARN, and fingerprints stable per role and write actions.

import type { AuditReport } from '../../lambda/domain/audit-report';
import {
  auditSarif,
  FINGERPRINT_KEY,
  renderSarif,
  roleFingerprint,
  SARIF_RULES,
  type SarifResult,
} from '../../lambda/report/sarif';
import { ACCOUNT, accountJson, demoReport, mixedAccountJson, reportOfJson } from './support';

const run = (report: AuditReport) => {
  const [first, ...others] = auditSarif(report).runs;
  expect(others).toHaveLength(0);
  if (first === undefined) throw new Error('no run');
  return first;
};

const resultFor = (results: readonly SarifResult[], roleName: string): SarifResult | undefined =>
  results.find((result) => result.locations[0]?.logicalLocations[0]?.name === roleName);

describe('SARIF log', () => {
  let mixed: AuditReport;
  beforeAll(async () => {
    mixed = await reportOfJson(mixedAccountJson());
  });

  it('is SARIF 2.1.0 JSON with a $schema', () => {
    const parsed = JSON.parse(renderSarif(mixed));
    expect(parsed.version).toBe('2.1.0');
    expect(parsed.$schema).toMatch(/^https:\/\/.*sarif-schema-2\.1\.0\.json$/);
    expect(parsed.runs).toHaveLength(1);
  });

  it('names the tool with an information URI and its rules', () => {
    const { driver } = run(mixed).tool;
    expect(driver.name).toBe('eks-ecr-guard');
    expect(driver.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(() => new URL(driver.informationUri)).not.toThrow();
    expect(driver.rules.map((rule) => rule.id)).toEqual([
      'EKS-ECR-WRITE-CRITICAL',
      'EKS-ECR-WRITE-HIGH',
      'EKS-ECR-WRITE-MEDIUM',
    ]);
  });

  it.each(SARIF_RULES.map((rule) => [rule.id, rule] as const))(
    'rule %s carries every field dashboards read',
    (_id, rule) => {
      expect(rule.shortDescription.text.length).toBeGreaterThan(10);
      expect(rule.fullDescription.text.length).toBeGreaterThan(rule.shortDescription.text.length);
      expect(rule.help.text).toContain('CIS');
      expect(['error', 'warning']).toContain(rule.defaultConfiguration.level);
      expect(rule.properties.tags).toEqual(expect.arrayContaining(['security', 'CIS EKS 5.1.3']));
      expect(Number(rule.properties['security-severity'])).toBeGreaterThan(0);
    },
  );

  it('has exactly one result per violation: none for compliant or exempt roles', () => {
    const { results } = run(mixed);
    expect(results).toHaveLength(mixed.summary.violations.total);
    expect(results.map((result) => result.locations[0]?.logicalLocations[0]?.name)).toEqual([
      'admin',
      'pusher',
      'cache',
    ]);
    expect(resultFor(results, 'waived')).toBeUndefined();
    expect(resultFor(results, 'ok')).toBeUndefined();
  });

  it.each([
    ['admin', 'EKS-ECR-WRITE-CRITICAL', 'error'],
    ['pusher', 'EKS-ECR-WRITE-HIGH', 'error'],
    ['cache', 'EKS-ECR-WRITE-MEDIUM', 'warning'],
  ])('%s: rule %s, level %s, ruleIndex pointing at that rule', (roleName, ruleId, level) => {
    const { results, tool } = run(mixed);
    const result = resultFor(results, roleName);
    expect(result).toMatchObject({ ruleId, level });
    expect(tool.driver.rules[result?.ruleIndex ?? -1]?.id).toBe(ruleId);
  });

  it('locates each result by the role ARN (a logical location, no file) and says what and where', () => {
    const result = resultFor(run(mixed).results, 'pusher');
    expect(result?.locations).toEqual([
      {
        logicalLocations: [
          { name: 'pusher', fullyQualifiedName: `arn:aws:iam::${ACCOUNT}:role/pusher`, kind: 'resource' },
        ],
      },
    ]);
    expect(result?.message.text).toContain('pusher can write to Amazon ECR');
    expect(result?.message.text).toContain('AmazonEC2ContainerRegistryPowerUser');
    expect(result?.message.text).toContain('eu-west-1/prod (ng-pusher)');
  });

  it('fingerprints each result by role and write actions: stable across runs, distinct per role', async () => {
    const again = await reportOfJson(mixedAccountJson());
    const fingerprints = (report: AuditReport) =>
      run(report).results.map((result) => result.partialFingerprints[FINGERPRINT_KEY]);
    expect(fingerprints(again)).toEqual(fingerprints(mixed));
    expect(new Set(fingerprints(mixed)).size).toBe(3);
    const arn = `arn:aws:iam::${ACCOUNT}:role/pusher`;
    expect(roleFingerprint(arn, ['ecr:PutImage', 'ecr:UploadLayerPart'])).toBe(
      roleFingerprint(arn, ['ecr:UploadLayerPart', 'ecr:PutImage']),
    );
    expect(roleFingerprint(arn, ['ecr:PutImage'])).not.toBe(
      roleFingerprint(arn, ['ecr:PutImage', 'ecr:UploadLayerPart']),
    );
    expect(roleFingerprint(`${arn}2`, ['ecr:PutImage'])).not.toBe(roleFingerprint(arn, ['ecr:PutImage']));
  });

  it('reports dangling EKS references as notifications, not results', () => {
    const [invocation] = run(mixed).invocations;
    expect(invocation?.executionSuccessful).toBe(true);
    expect(invocation?.toolExecutionNotifications.map((n) => n.message.text)).toEqual([
      expect.stringContaining(`role arn:aws:iam::${ACCOUNT}:role/gone, which does not exist in IAM`),
    ]);
  });

  it('the demo account gives one error result for prod-gpu-nodes and the summary in the run properties', async () => {
    const demo = await demoReport();
    const { results, properties } = run(demo);
    expect(
      results.map((result) => [result.ruleId, result.level, result.locations[0]?.logicalLocations[0]?.name]),
    ).toEqual([['EKS-ECR-WRITE-HIGH', 'error', 'prod-gpu-nodes']]);
    expect(properties).toMatchObject({ accountId: ACCOUNT, summary: { nodeRolesTotal: 8 } });
  });

  it('turns only the violation of a mixed account into a result; an indeterminate role becomes a warning notification', async () => {
    const report = await reportOfJson(
      accountJson({
        pusher: { attached: ['AmazonEC2ContainerRegistryPowerUser'] },
        ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] },
        // An AWS managed policy that neither the snapshot nor the bundle holds: its content is unknown.
        mystery: { attached: ['AmazonEKSNotBundledPolicy'] },
        waived: {
          attached: ['AmazonEC2ContainerRegistryFullAccess'],
          tags: { 'eks-ecr-guard:exempt': 'cache warmer, until=2026-11-30' },
        },
      }),
    );
    expect(Object.fromEntries(report.roles.map((role) => [role.roleName, role.verdict]))).toEqual({
      pusher: 'violation',
      ok: 'compliant',
      mystery: 'indeterminate',
      waived: 'exempt',
    });
    const { results, invocations } = run(report);
    expect(
      results.map((result) => [result.ruleId, result.level, result.locations[0]?.logicalLocations[0]?.name]),
    ).toEqual([['EKS-ECR-WRITE-HIGH', 'error', 'pusher']]);
    expect(invocations[0]?.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: { text: expect.stringContaining('the content of AmazonEKSNotBundledPolicy is unknown') },
      },
    ]);
  });

  it('an account without violation has an empty results array', async () => {
    const clean = await reportOfJson(
      accountJson({
        ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] },
        waived: {
          attached: ['AmazonEC2ContainerRegistryFullAccess'],
          tags: { 'eks-ecr-guard:exempt': 'yes' },
        },
      }),
    );
    expect(clean.roles.map((role) => role.verdict)).toEqual(['compliant', 'exempt']);
    expect(run(clean).results).toEqual([]);
  });
});
