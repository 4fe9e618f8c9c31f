// Use-case tests for "audit an account" and "collect a snapshot": the demo account's findings per role, the
// summary figures, dangling EKS references, unreadable roles, linear reads, and a live collection over the fake
// AWS that audits to the same result as the file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountView, EnumerableAccountView } from '../../lambda/account/account-view';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { buildNodeRoleIndex, nodeRoleEvidence } from '../../lambda/domain/node-roles';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import {
  type AuditReport,
  auditAccount,
  highestSeverity,
  percent,
  severityAtLeast,
  violationsOf,
} from '../../lambda/usecases/audit';
import {
  collectSnapshot,
  liveCollectionSources,
  withReadableDocuments,
} from '../../lambda/usecases/collect-snapshot';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const ROOT = join(__dirname, '..', '..');
const SAMPLE_PATH = join(ROOT, 'demo', 'sample-account.json');
const TODAY = '2026-11-22';
const NG1 = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const ACCOUNT = '111122223333';

const sampleJson = (): Record<string, unknown> => JSON.parse(readFileSync(SAMPLE_PATH, 'utf8'));

async function audit(view: EnumerableAccountView, config: unknown = {}, today = TODAY): Promise<AuditReport> {
  const evaluator = new ChangeEvaluator(
    view,
    evaluationSettings(parseConfig(config), view.partition, () => today),
  );
  return auditAccount(view, evaluator, { today });
}

const auditJson = (json: unknown, config: unknown = {}): Promise<AuditReport> =>
  audit(new SnapshotAccountView(loadSnapshot(json)), config);

/** Role name → [verdict, severity]: what an audit says about each node role. */
const verdicts = (report: AuditReport): Record<string, [string, string | null]> =>
  Object.fromEntries(report.roles.map((role) => [role.roleName, [role.verdict, role.severity]]));

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

/** A minimal snapshot: roles (name → attached ARNs and tags) and one cluster's node groups (name → role ARN). */
function smallSnapshot(
  roles: Record<string, { attached?: string[]; tags?: Record<string, string> }>,
  nodegroups: Record<string, string>,
): Record<string, unknown> {
  return {
    accountId: ACCOUNT,
    iam: {
      RoleDetailList: Object.entries(roles).map(([name, { attached = [], tags = {} }]) => ({
        RoleName: name,
        Arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
        AssumeRolePolicyDocument: trust,
        AttachedManagedPolicies: attached.map((arn) => ({
          PolicyName: arn.split('/').pop(),
          PolicyArn: arn,
        })),
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            nodegroups: Object.entries(nodegroups).map(([nodegroupName, nodeRole]) => ({
              nodegroupName,
              nodeRole,
            })),
          },
        ],
      },
    },
  };
}

/** The view with some reads replaced (to count them or make them fail). */
function viewWith(
  inner: SnapshotAccountView,
  overrides: Partial<Pick<AccountView, 'getRole' | 'eksInventory'>>,
): EnumerableAccountView {
  return {
    accountId: inner.accountId,
    partition: inner.partition,
    getRole: overrides.getRole ?? ((name) => inner.getRole(name)),
    getInlinePolicy: (roleName, policyName) => inner.getInlinePolicy(roleName, policyName),
    getManagedPolicy: (arn) => inner.getManagedPolicy(arn),
    getPolicyVersion: (arn, versionId) => inner.getPolicyVersion(arn, versionId),
    rolesForPolicy: (arn) => inner.rolesForPolicy(arn),
    eksInventory: overrides.eksInventory ?? (() => inner.eksInventory()),
    invalidateNodeRoles: () => inner.invalidateNodeRoles(),
    managedPolicyQuota: () => inner.managedPolicyQuota(),
    listRoleNames: () => inner.listRoleNames(),
  };
}

const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const PULL_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';

describe('auditAccount on the demo sample account', () => {
  let report: AuditReport;
  beforeAll(async () => {
    report = await audit(SnapshotAccountView.fromFile(SAMPLE_PATH));
  });

  it.each([
    [NG1, 'compliant', null],
    ['prod-gpu-nodes', 'violation', 'high'],
    ['prod-batch-nodes', 'compliant', null],
    ['prod-fargate-pod-exec', 'compliant', null],
    ['KarpenterNodeRole-prod', 'compliant', null],
    ['legacy-self-managed-nodes', 'compliant', null],
    ['AmazonEKSAutoNodeRole', 'compliant', null],
    ['staging-build-nodes', 'exempt', 'high'],
  ])('%s: %s (%s)', (roleName, verdict, severity) => {
    const role = report.roles.find((candidate) => candidate.roleName === roleName);
    expect(role).toBeDefined();
    expect(role?.verdict).toBe(verdict);
    expect(role?.severity).toBe(severity);
  });

  it('lists every node role once and no other role (the CI role and the SSO admin are not node roles)', () => {
    expect(report.roles.map((role) => role.roleName)).toEqual([
      'AmazonEKSAutoNodeRole',
      'KarpenterNodeRole-prod',
      NG1,
      'legacy-self-managed-nodes',
      'prod-batch-nodes',
      'prod-fargate-pod-exec',
      'prod-gpu-nodes',
      'staging-build-nodes',
    ]);
  });

  it('summarises: 8 node roles of 12, 6 compliant (75.0%), one high violation, one exemption', () => {
    expect(report.summary).toEqual({
      rolesScanned: 12,
      nodeRolesTotal: 8,
      nodeRolesCompliant: 6,
      compliancePercent: 75,
      violations: { critical: 0, high: 1, medium: 0, total: 1 },
      indeterminate: 0,
      exempt: 1,
      exemptionsExpiringSoon: 0,
      danglingReferences: 0,
      untaggedNodeRoles: 2,
      // The sample's repository policies grant "*" pulls only (and a CI role push): no any-principal write.
      anyPrincipalWrites: 0,
    });
    expect(report).toMatchObject({ accountId: ACCOUNT, partition: 'aws', today: TODAY, dangling: [] });
  });

  it('gives each violation its write actions, grants, clusters and node groups', () => {
    const [gpu] = violationsOf(report);
    expect(gpu).toMatchObject({
      roleName: 'prod-gpu-nodes',
      roleArn: `arn:aws:iam::${ACCOUNT}:role/prod-gpu-nodes`,
      writeActions: [
        'ecr:CompleteLayerUpload',
        'ecr:InitiateLayerUpload',
        'ecr:PutImage',
        'ecr:UploadLayerPart',
      ],
      clusters: [{ region: 'eu-west-1', cluster: 'prod' }],
      nodegroups: [{ region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-gpu' }],
      evidenceKinds: ['managed-nodegroup', 'access-entry', 'heuristic'],
      exemption: null,
    });
    expect(gpu?.grants.map((grant) => grant.policy.name)).toEqual(['AmazonEC2ContainerRegistryPowerUser']);
    expect(gpu?.decision.plan.map((step) => step.op)).toEqual(['AttachRolePolicy', 'DetachRolePolicy']);
  });

  it('gives the exemption and the days until it ends', () => {
    const exempt = report.roles.find((role) => role.verdict === 'exempt');
    expect(exempt?.exemption).toMatchObject({ source: 'tag', until: '2027-03-31' });
    expect(exempt?.exemptionEndsInDays).toBe(129);
    expect(exempt?.exemptionExpiringSoon).toBe(false);
  });

  it('finds the same evidence as looking each role up in the whole index', async () => {
    const view = SnapshotAccountView.fromFile(SAMPLE_PATH);
    const index = buildNodeRoleIndex(await view.eksInventory());
    for (const role of report.roles) {
      const record = await view.getRole(role.roleName);
      if (record === null) throw new Error(`role ${role.roleName} vanished`);
      expect(role.decision.nodeRole.evidence).toEqual(nodeRoleEvidence(record, index));
    }
  });
});

describe('auditAccount edge cases', () => {
  it('reports an EKS reference to a role IAM does not have, instead of failing', async () => {
    const report = await auditJson(
      smallSnapshot(
        { nodes: { attached: [PULL_ONLY] } },
        {
          ng: `arn:aws:iam::${ACCOUNT}:role/nodes`,
          gone: `arn:aws:iam::${ACCOUNT}:role/team/deleted-nodes`,
        },
      ),
    );
    expect(verdicts(report)).toEqual({ nodes: ['compliant', null] });
    expect(report.dangling).toEqual([
      {
        roleName: 'deleted-nodes',
        roleArn: `arn:aws:iam::${ACCOUNT}:role/team/deleted-nodes`,
        kind: 'managed-nodegroup',
        region: 'eu-west-1',
        cluster: 'prod',
        detail: 'gone',
      },
    ]);
    expect(report.summary.danglingReferences).toBe(1);
  });

  it('matches an EKS reference that spells the role name in another case (IAM names ignore case)', async () => {
    const report = await auditJson(
      smallSnapshot({ Nodes: { attached: [POWER_USER] } }, { ng: `arn:aws:iam::${ACCOUNT}:role/nodes` }),
    );
    expect(verdicts(report)).toEqual({ Nodes: ['violation', 'high'] });
    expect(report.dangling).toEqual([]);
  });

  it('counts exemptions ending within 14 days, and not the ones ending later', async () => {
    const report = await auditJson(
      smallSnapshot(
        {
          soon: {
            attached: [POWER_USER],
            tags: { 'eks-ecr-guard:exempt': 'cache warmer, until=2026-12-06' },
          },
          later: {
            attached: [POWER_USER],
            tags: { 'eks-ecr-guard:exempt': 'cache warmer, until=2026-12-07' },
          },
        },
        { a: `arn:aws:iam::${ACCOUNT}:role/soon`, b: `arn:aws:iam::${ACCOUNT}:role/later` },
      ),
    );
    expect(
      report.roles.map((role) => [role.roleName, role.exemptionEndsInDays, role.exemptionExpiringSoon]),
    ).toEqual([
      ['later', 15, false],
      ['soon', 14, true],
    ]);
    expect(report.summary).toMatchObject({ exempt: 2, exemptionsExpiringSoon: 1, nodeRolesCompliant: 0 });
  });

  it('turns a role that cannot be read into an indeterminate finding, never a compliant one', async () => {
    const inner = new SnapshotAccountView(
      loadSnapshot(
        smallSnapshot(
          { nodes: { attached: [PULL_ONLY] }, other: { attached: [PULL_ONLY] }, stranger: {} },
          { a: `arn:aws:iam::${ACCOUNT}:role/nodes`, b: `arn:aws:iam::${ACCOUNT}:role/other` },
        ),
      ),
    );
    const view = viewWith(inner, {
      getRole: async (name) => {
        if (name !== 'other') throw new ReadAccessDeniedError('iam:GetRole', name);
        return inner.getRole(name);
      },
    });
    const report = await audit(view);
    expect(verdicts(report)).toEqual({
      nodes: ['indeterminate', null],
      other: ['compliant', null],
      stranger: ['indeterminate', null],
    });
    const [nodes, , stranger] = report.roles;
    expect(nodes?.reason).toBe(
      'Could not read EKS node role nodes: iam:GetRole on nodes was denied (AccessDenied).',
    );
    expect(nodes?.clusters).toEqual([{ region: 'eu-west-1', cluster: 'prod' }]);
    // Its trust policy is unknown, so it may be a self-managed node role: reported, not skipped.
    expect(stranger?.reason).toBe(
      'Could not tell whether stranger is an EKS node role: iam:GetRole on stranger was denied (AccessDenied).',
    );
    expect(report.summary).toMatchObject({ indeterminate: 2, nodeRolesCompliant: 1 });
  });

  it('reads the EKS inventory once and each role once', async () => {
    const inner = SnapshotAccountView.fromFile(SAMPLE_PATH);
    const reads = { inventory: 0, roles: new Map<string, number>() };
    const view = viewWith(inner, {
      eksInventory: async () => {
        reads.inventory += 1;
        return inner.eksInventory();
      },
      getRole: async (name) => {
        reads.roles.set(name, (reads.roles.get(name) ?? 0) + 1);
        return inner.getRole(name);
      },
    });
    await audit(view);
    expect(reads.inventory).toBe(1);
    expect(reads.roles.size).toBe(12);
    expect([...reads.roles.values()].every((count) => count === 1)).toBe(true);
  });

  it('says 100% compliant when the account has no node role', async () => {
    const report = await auditJson({ iam: { RoleDetailList: [] } });
    expect(report.summary).toMatchObject({ rolesScanned: 0, nodeRolesTotal: 0, compliancePercent: 100 });
  });

  it('applies the config exemptions', async () => {
    const report = await audit(SnapshotAccountView.fromFile(SAMPLE_PATH), { exemptRoles: ['prod-gpu-*'] });
    expect(verdicts(report)['prod-gpu-nodes']).toEqual(['exempt', 'high']);
    expect(report.summary.violations.total).toBe(0);
  });
});

describe('severity helpers', () => {
  it('percent rounds to one decimal', () => {
    expect([percent(2, 3), percent(1, 3), percent(0, 5), percent(5, 5), percent(1, 8)]).toEqual([
      66.7, 33.3, 0, 100, 12.5,
    ]);
  });

  it.each([
    ['critical', 'medium', true],
    ['high', 'high', true],
    ['medium', 'high', false],
    ['high', 'critical', false],
    [null, 'medium', false],
  ] as const)('severityAtLeast(%s, %s) is %s', (severity, threshold, expected) => {
    expect(severityAtLeast(severity, threshold)).toBe(expected);
  });

  it('highestSeverity picks the most severe, null for none', () => {
    expect(highestSeverity(['medium', null, 'high'])).toBe('high');
    expect(highestSeverity(['medium', 'critical'])).toBe('critical');
    expect(highestSeverity([null])).toBeNull();
  });
});

describe('collectSnapshot (live collection) over the fake AWS', () => {
  const collect = async (fake: FakeAws, regions: readonly string[] = []) =>
    collectSnapshot(liveCollectionSources(fake.clients(), regions), {
      eksConcurrency: 2,
      now: () => new Date('2026-11-22T06:00:00Z'),
    });

  it('reads IAM with GetAccountAuthorizationDetails pages only (no per-role call)', async () => {
    const fake = FakeAws.fromSnapshot(sampleJson(), { pageSize: 3 });
    const collected = await collect(fake);
    const iamCommands = new Set(
      fake.calls.filter((call) => call.service === 'iam').map((call) => call.command),
    );
    expect([...iamCommands].sort()).toEqual(['GetAccountAuthorizationDetails', 'GetAccountSummary']);
    expect(fake.callCount('iam', 'GetAccountAuthorizationDetails')).toBeGreaterThan(1); // it pages
    expect(fake.callCount('account', 'ListRegions')).toBe(1);
    expect(collected).toMatchObject({
      accountId: ACCOUNT,
      partition: 'aws',
      capturedAt: '2026-11-22T06:00:00.000Z',
      quotas: { attachedPoliciesPerRole: 10 },
    });
    expect(collected.iam.RoleDetailList).toHaveLength(12);
  });

  it('audits to the same result as the snapshot file it was seeded from, in memory and once written', async () => {
    const fromFile = await audit(SnapshotAccountView.fromFile(SAMPLE_PATH));
    const collected = await collect(FakeAws.fromSnapshot(sampleJson()));
    const inMemory = await auditJson(collected);
    const written = await auditJson(JSON.parse(JSON.stringify(withReadableDocuments(collected))));
    const project = (report: AuditReport) => report.roles.map(({ decision: _decision, ...role }) => role);
    expect(project(inMemory)).toEqual(project(fromFile));
    expect(project(written)).toEqual(project(fromFile));
    expect(inMemory.summary).toEqual(fromFile.summary);
    expect(written.summary).toEqual(fromFile.summary);
  });

  it('writes documents as JSON objects when made readable, and leaves the collected snapshot untouched', async () => {
    const collected = await collect(FakeAws.fromSnapshot(sampleJson()));
    const readable = withReadableDocuments(collected);
    const [first] = readable.iam.RoleDetailList;
    expect(typeof collected.iam.RoleDetailList[0]?.AssumeRolePolicyDocument).toBe('string');
    expect(first).toMatchObject({ AssumeRolePolicyDocument: { Version: '2012-10-17' } });
  });

  it('reads only the regions asked for, and lists unreachable regions as eksWarnings', async () => {
    const fake = FakeAws.fromSnapshot(sampleJson());
    fake.failOn({
      service: 'eks',
      command: 'ListClusters',
      region: 'us-east-2',
      error: 'UnrecognizedClient',
    });
    const collected = await collect(fake, ['eu-west-1', 'us-east-2']);
    expect(Object.keys(collected.eks)).toEqual(['eu-west-1']);
    expect(collected.eksWarnings?.map((warning) => warning.region)).toEqual(['us-east-2']);
    expect(fake.callCount('account', 'ListRegions')).toBe(0);
    const regions = new Set(fake.calls.filter((call) => call.service === 'eks').map((call) => call.region));
    expect([...regions].sort()).toEqual(['eu-west-1', 'us-east-2']);
  });

  it('fails when IAM refuses the read (an audit must not pass for lack of reads)', async () => {
    const fake = FakeAws.fromSnapshot(sampleJson());
    fake.failOn({ service: 'iam', command: 'GetAccountAuthorizationDetails', error: 'AccessDenied' });
    await expect(collect(fake)).rejects.toBeInstanceOf(ReadAccessDeniedError);
  });

  it('leaves the quota out when GetAccountSummary is denied', async () => {
    const fake = FakeAws.fromSnapshot(sampleJson());
    fake.failOn({ service: 'iam', command: 'GetAccountSummary', error: 'AccessDenied' });
    const collected = await collect(fake);
    expect(collected.quotas).toBeUndefined();
  });
});
