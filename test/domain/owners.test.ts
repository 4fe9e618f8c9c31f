// Tests for the owner of a node role (lambda/domain/owners.ts): role tag, else node group tag, else cluster tag; the
// configured keys in their order, compared ignoring case; `untagged` (a low finding) only when every tag was read, and
// `unknown` with why when some could not be; and the per-owner grouping and metric cap (lambda/domain/owner-report.ts).
import type { RoleAudit } from '../../lambda/domain/audit-report';
import { groupByOwner, ownerDimensionValue, ownerMetricPoints } from '../../lambda/domain/owner-report';
import {
  type OwnerInputs,
  type OwnerResolution,
  ownerLabel,
  ownerPhrase,
  ownerTag,
  resolveOwner,
  UNTAGGED_FINDING,
} from '../../lambda/domain/owners';
import type { Decision, EksClusterRecord, EksInventory, NodeRoleEvidence } from '../../lambda/domain/types';
import { violationDecision } from '../notify/support';

const KEYS = ['owner', 'team'];
const ROLE_ARN = 'arn:aws:iam::111122223333:role/nodes';

const nodegroupEvidence = (region: string, cluster: string, nodegroup: string): NodeRoleEvidence => ({
  kind: 'managed-nodegroup',
  region,
  cluster,
  nodegroup,
  roleArn: ROLE_ARN,
});
const accessEntryEvidence = (region: string, cluster: string): NodeRoleEvidence => ({
  kind: 'access-entry',
  region,
  cluster,
  accessEntryType: 'EC2_LINUX',
  roleArn: ROLE_ARN,
});
const HEURISTIC: NodeRoleEvidence = { kind: 'heuristic', region: null, cluster: null, detail: 'EC2 trust' };

function cluster(
  name: string,
  tags: Record<string, string> | undefined,
  nodegroups: Record<string, Record<string, string> | undefined> = {},
): EksClusterRecord {
  return {
    name,
    nodegroups: Object.entries(nodegroups).map(([nodegroupName, ngTags]) => ({
      nodegroupName,
      nodeRole: ROLE_ARN,
      ...(ngTags === undefined ? {} : { tags: ngTags }),
    })),
    accessEntries: [],
    fargateProfiles: [],
    ...(tags === undefined ? {} : { tags }),
  };
}

const INVENTORY: EksInventory = {
  'eu-west-1': {
    clusters: [
      cluster('prod', { team: 'platform' }, { 'ng-gpu': { owner: 'ml-team' }, 'ng-1': {} }),
      cluster('old', undefined, { legacy: undefined }),
    ],
  },
  'us-east-1': { clusters: [cluster('edge', { Owner: 'edge-team' })] },
};

const inputs = (overrides: Partial<OwnerInputs>): OwnerInputs => ({
  roleTags: {},
  evidence: [nodegroupEvidence('eu-west-1', 'prod', 'ng-1')],
  inventory: INVENTORY,
  keys: KEYS,
  ...overrides,
});

describe('resolveOwner: role, else node group, else cluster', () => {
  it.each<[string, Partial<OwnerInputs>, Partial<OwnerResolution>]>([
    [
      'the role tag wins over its node group and cluster',
      { roleTags: { team: 'payments' }, evidence: [nodegroupEvidence('eu-west-1', 'prod', 'ng-gpu')] },
      { status: 'owned', owner: 'payments', source: { level: 'role', tagKey: 'team' } },
    ],
    [
      'a node group tag wins over the cluster tag',
      { evidence: [nodegroupEvidence('eu-west-1', 'prod', 'ng-gpu')] },
      {
        status: 'owned',
        owner: 'ml-team',
        source: {
          level: 'nodegroup',
          tagKey: 'owner',
          region: 'eu-west-1',
          cluster: 'prod',
          nodegroup: 'ng-gpu',
        },
      },
    ],
    [
      'the cluster tag when neither the role nor the node group has one',
      {},
      {
        status: 'owned',
        owner: 'platform',
        source: { level: 'cluster', tagKey: 'team', region: 'eu-west-1', cluster: 'prod' },
      },
    ],
    [
      'the cluster of an access entry (no node group)',
      { evidence: [accessEntryEvidence('us-east-1', 'edge')] },
      {
        status: 'owned',
        owner: 'edge-team',
        source: { level: 'cluster', tagKey: 'Owner', region: 'us-east-1', cluster: 'edge' },
      },
    ],
  ])('%s', (_name, given, expected) => {
    expect(resolveOwner(inputs(given))).toMatchObject(expected);
  });

  it('names the other owners of a role shared by node groups of several teams', () => {
    const inventory: EksInventory = {
      'eu-west-1': {
        clusters: [
          cluster('prod', {}, { a: { owner: 'team-b' }, b: { owner: 'team-a' }, c: { owner: 'team-b' } }),
        ],
      },
    };
    const owner = resolveOwner(
      inputs({
        inventory,
        evidence: ['c', 'a', 'b'].map((ng) => nodegroupEvidence('eu-west-1', 'prod', ng)),
      }),
    );
    // Node groups in name order: `a` names the owner; the others are listed once.
    expect(owner).toMatchObject({ owner: 'team-b', source: { nodegroup: 'a' }, otherOwners: ['team-a'] });
    expect(ownerPhrase(owner)).toBe('team-b (tag owner of node group a (eu-west-1/prod); also team-a)');
  });
});

describe('resolveOwner: the configured keys', () => {
  it('tries the keys in their order on each resource, and compares them ignoring case', () => {
    const tags = { Team: 'from-team', 'cost-center': 'cc-1' };
    expect(resolveOwner(inputs({ roleTags: tags, keys: ['cost-center', 'team'] })).owner).toBe('cc-1');
    expect(resolveOwner(inputs({ roleTags: tags, keys: ['team', 'cost-center'] })).owner).toBe('from-team');
    expect(resolveOwner(inputs({ roleTags: tags, keys: ['squad'] })).status).toBe('untagged');
  });

  it('prefers the exact spelling when a (case-sensitive) EKS resource holds two', () => {
    expect(ownerTag({ OWNER: 'b', Owner: 'a', owner: 'exact' }, ['owner'])).toEqual({
      key: 'owner',
      value: 'exact',
    });
    expect(ownerTag({ OWNER: 'b', Owner: 'a' }, ['owner'])).toEqual({ key: 'OWNER', value: 'b' });
  });

  it('skips a blank value and trims the value it takes', () => {
    expect(ownerTag({ owner: '  ', team: ' platform ' }, KEYS)).toEqual({ key: 'team', value: 'platform' });
    expect(ownerTag({ owner: '' }, KEYS)).toBeNull();
  });
});

describe('resolveOwner: untagged and unknown', () => {
  it('is untagged, with the low finding and where it looked, when every tag was read and none names an owner', () => {
    const owner = resolveOwner(
      inputs({
        evidence: [nodegroupEvidence('eu-west-1', 'prod', 'ng-1')],
        inventory: { 'eu-west-1': { clusters: [cluster('prod', {}, { 'ng-1': {} })] } },
      }),
    );
    expect(owner).toEqual({
      status: 'untagged',
      owner: null,
      source: null,
      reason: 'no owner or team tag on the role, node group ng-1 (eu-west-1/prod) or cluster eu-west-1/prod',
      finding: UNTAGGED_FINDING,
    });
    expect(UNTAGGED_FINDING).toEqual({ kind: 'untagged-node-role', severity: 'low' });
    expect(ownerLabel(owner)).toBe('untagged');
  });

  it('is untagged for a role found by the heuristic alone (no EKS resource to inherit from)', () => {
    expect(resolveOwner(inputs({ evidence: [HEURISTIC] }))).toMatchObject({
      status: 'untagged',
      reason: 'no owner or team tag on the role',
    });
  });

  it('is unknown, not untagged, when the tags of a node group or cluster were not read', () => {
    const owner = resolveOwner(inputs({ evidence: [nodegroupEvidence('eu-west-1', 'old', 'legacy')] }));
    expect(owner.status).toBe('unknown');
    expect(owner.finding).toBeUndefined();
    expect(owner.unread).toEqual([
      'node group legacy (eu-west-1/old): tags not recorded',
      'cluster eu-west-1/old: tags not recorded',
    ]);
    expect(owner.reason).toMatch(
      /^no owner or team tag found, and some tags could not be read \(node group legacy/,
    );
    expect(ownerLabel(owner)).toBe('unknown');
  });

  it('is unknown when the role tags could not be read, or the node group is not in the inventory yet', () => {
    expect(resolveOwner(inputs({ roleTags: null, evidence: [HEURISTIC] })).status).toBe('unknown');
    const created = resolveOwner(
      inputs({ evidence: [nodegroupEvidence('us-east-1', 'new-cluster', 'new-ng')] }),
    );
    expect(created).toMatchObject({ status: 'unknown' });
    expect(created.unread).toContain(
      'node group new-ng (us-east-1/new-cluster): not in the EKS inventory yet',
    );
  });

  it('still names an owner found further down, and says what it could not read above it', () => {
    const inventory: EksInventory = {
      'eu-west-1': { clusters: [cluster('prod', { team: 'platform' }, { legacy: undefined })] },
    };
    const owner = resolveOwner(
      inputs({ inventory, evidence: [nodegroupEvidence('eu-west-1', 'prod', 'legacy')] }),
    );
    expect(owner).toMatchObject({
      status: 'owned',
      owner: 'platform',
      source: { level: 'cluster' },
      unread: ['node group legacy (eu-west-1/prod): tags not recorded'],
    });
  });
});

// ---- grouping and metrics ------------------------------------------------------------------------------

function audited(name: string, verdict: Decision['verdict'], owner: OwnerResolution | undefined): RoleAudit {
  const severity = verdict === 'violation' ? 'high' : null;
  const base = violationDecision({ verdict, severity });
  const decision: Decision = owner === undefined ? base : { ...base, owner };
  return {
    roleName: name,
    roleArn: `arn:aws:iam::111122223333:role/${name}`,
    verdict,
    severity: verdict === 'violation' ? 'high' : null,
    writeActions: [],
    grants: [],
    clusters: [],
    nodegroups: [],
    evidenceKinds: [],
    exemption: null,
    exemptionEndsInDays: null,
    exemptionExpiringSoon: false,
    reason: '',
    decision,
  };
}

const owned = (owner: string): OwnerResolution => ({
  status: 'owned',
  owner,
  source: { level: 'role', tagKey: 'owner' },
});
const UNTAGGED: OwnerResolution = {
  status: 'untagged',
  owner: null,
  source: null,
  reason: 'x',
  finding: UNTAGGED_FINDING,
};

describe('groupByOwner and ownerMetricPoints', () => {
  const roles = [
    audited('b', 'violation', owned('team-a')),
    audited('a', 'compliant', owned('team-a')),
    audited('c', 'compliant', UNTAGGED),
    audited('d', 'indeterminate', undefined),
    audited('e', 'violation', owned('untagged')),
  ];

  it('groups owners in order, then untagged, then unknown; a tag value "untagged" stays an owner', () => {
    const groups = groupByOwner(roles, (role) => role.roleName !== 'e');
    expect(
      groups.map((group) => [group.owner, group.status, group.roles.map((role) => role.roleName)]),
    ).toEqual([
      ['team-a', 'owned', ['a', 'b']],
      ['untagged', 'owned', ['e']],
      ['untagged', 'untagged', ['c']],
      ['unknown', 'unknown', ['d']],
    ]);
    expect(groups[0]).toMatchObject({ nodeRoles: 2, compliant: 1, open: { high: 1, total: 1 } });
    // A violation the sweep fixed counts as compliant, not open.
    expect(groups[1]).toMatchObject({ compliant: 1, open: { total: 0 } });
    expect(groups[3]).toMatchObject({ indeterminate: 1 });
  });

  it('caps the owner values, summing the rest under other, and keeps untagged and unknown', () => {
    const many = Array.from({ length: 5 }, (_, i) => audited(`r${i}`, 'compliant', owned(`t${i}`)));
    const points = ownerMetricPoints(groupByOwner([...many, ...roles.slice(0, 4)]), 3);
    expect(points.map((point) => [point.owner, point.nodeRoles])).toEqual([
      ['team-a', 2],
      ['t0', 1],
      ['t1', 1],
      ['other', 3],
      ['untagged', 1],
      ['unknown', 1],
    ]);
  });

  it('makes a dimension value CloudWatch accepts: ASCII, not blank, at most 255 characters', () => {
    expect(ownerDimensionValue('équipe-données')).toBe('?quipe-donn?es');
    expect(ownerDimensionValue('   ')).toBe('unknown');
    expect(ownerDimensionValue('x'.repeat(300))).toHaveLength(255);
  });
});
