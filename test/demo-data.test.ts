// Tests for the demo data: the sample account loads and holds the scenario the demo tells, and every demo
// event (and reference sample) parses to the kind the demo expects and lines up with the sample account.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSnapshotFile } from '../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../lambda/account/snapshot-view';
import { EXEMPT_TAG_KEY } from '../lambda/contract';
import { findExemption } from '../lambda/domain/exemptions';
import { buildNodeRoleIndex, nodeRoleEvidence } from '../lambda/domain/node-roles';
import { decodeDocument } from '../lambda/domain/policy-json';
import { type ParsedChange, parseRoleChangeEvent } from '../lambda/events/role-change';

const DEMO = join(__dirname, '..', 'demo');
const EVENTS_DIR = join(DEMO, 'events');
const REFERENCE_DIR = join(__dirname, 'events', 'fixtures');
const NG1 = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const EXTRA = 'arn:aws:iam::111122223333:policy/eks-node-extra';

const view = (): SnapshotAccountView => SnapshotAccountView.fromFile(join(DEMO, 'sample-account.json'));
const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const eventFiles = readdirSync(EVENTS_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

function actionsOf(document: unknown): string[] {
  const decoded = decodeDocument(document);
  if (typeof decoded !== 'object' || decoded === null) return [];
  if (!('Statement' in decoded) || !Array.isArray(decoded.Statement)) return [];
  return decoded.Statement.flatMap((statement: unknown) => {
    if (typeof statement !== 'object' || statement === null || !('Action' in statement)) return [];
    const action = statement.Action;
    return typeof action === 'string' ? [action] : Array.isArray(action) ? action : [];
  });
}

describe('demo/sample-account.json', () => {
  it('loads as a snapshot of account 111122223333 in the aws partition', () => {
    const snapshot = readSnapshotFile(join(DEMO, 'sample-account.json'));
    expect(snapshot).toMatchObject({ accountId: '111122223333', partition: 'aws' });
    expect(Object.keys(snapshot.eks).sort()).toEqual(['eu-west-1', 'us-east-2']);
  });

  it('uses both document encodings (JSON objects and URL-encoded strings)', () => {
    const snapshot = readSnapshotFile(join(DEMO, 'sample-account.json'));
    const documents = [
      ...snapshot.iam.RoleDetailList.flatMap((role) => [
        role.AssumeRolePolicyDocument,
        ...role.RolePolicyList.map((p) => p.PolicyDocument),
      ]),
      ...snapshot.iam.Policies.flatMap((policy) =>
        policy.PolicyVersionList.map((version) => version.Document),
      ),
    ];
    expect(documents.some((document) => typeof document === 'string' && document.startsWith('%7B'))).toBe(
      true,
    );
    expect(documents.some((document) => typeof document === 'object' && document !== null)).toBe(true);
    for (const document of documents) expect(decodeDocument(document)).not.toBeNull();
  });

  it.each([
    [NG1, ['managed-nodegroup', 'access-entry', 'heuristic']],
    ['prod-gpu-nodes', ['managed-nodegroup', 'access-entry', 'heuristic']],
    ['prod-batch-nodes', ['managed-nodegroup', 'access-entry', 'heuristic']],
    ['prod-fargate-pod-exec', ['access-entry', 'fargate-profile']],
    ['AmazonEKSAutoNodeRole', ['access-entry', 'auto-mode', 'heuristic']],
    ['KarpenterNodeRole-prod', ['access-entry']],
    ['legacy-self-managed-nodes', ['heuristic']],
    ['staging-build-nodes', ['managed-nodegroup', 'access-entry', 'heuristic']],
    ['ci-image-builder', []],
    ['AWSReservedSSO_PlatformAdmin_0123456789abcdef', []],
  ])('%s has node-role evidence %j', async (roleName, kinds) => {
    const account = view();
    const role = await account.getRole(roleName);
    if (role === null) throw new Error(`${roleName} missing from the sample`);
    const evidence = nodeRoleEvidence(role, buildNodeRoleIndex(await account.eksInventory()));
    expect(evidence.map((item) => item.kind)).toEqual(kinds);
  });

  it('has the existing PowerUser violation on prod-gpu-nodes and a boundary that blocks it on prod-batch-nodes', async () => {
    const account = view();
    const gpu = await account.getRole('prod-gpu-nodes');
    expect(gpu?.attachedPolicies.map((p) => p.name)).toContain('AmazonEC2ContainerRegistryPowerUser');
    const batch = await account.getRole('prod-batch-nodes');
    expect(batch?.permissionsBoundaryArn).toBe('arn:aws:iam::111122223333:policy/eks-node-boundary');
  });

  it('gives eks-node-extra a v1 that pushes and a default v2 that only reads, attached to ng-1 and Karpenter', async () => {
    const account = view();
    expect(actionsOf((await account.getPolicyVersion(EXTRA, 'v1'))?.document)).toContain('ecr:PutImage');
    const current = await account.getManagedPolicy(EXTRA);
    expect(current?.versionId).toBe('v2');
    expect(actionsOf(current?.document)).not.toContain('ecr:PutImage');
    expect(await account.rolesForPolicy(EXTRA)).toEqual(['KarpenterNodeRole-prod', NG1]);
  });

  it('exempts staging-build-nodes by tag until 2027-03-31', async () => {
    const role = await view().getRole('staging-build-nodes');
    if (role === null) throw new Error('staging-build-nodes missing');
    expect(findExemption(role, { exemptRoles: [], tagKey: EXEMPT_TAG_KEY }, '2026-11-20').exemption).toEqual({
      source: 'tag',
      reason: 'image cache warmer SEC-1234',
      until: '2027-03-31',
    });
  });

  it('resolves every attached policy of every role (from the snapshot or the bundle)', async () => {
    const account = view();
    for (const name of await account.listRoleNames()) {
      const role = await account.getRole(name);
      for (const policy of role?.attachedPolicies ?? []) {
        expect([name, policy.arn, (await account.getManagedPolicy(policy.arn)) !== null]).toEqual([
          name,
          policy.arn,
          true,
        ]);
      }
    }
  });
});

describe('demo/events', () => {
  const expected: Record<string, { kind: ParsedChange['kind']; role?: string; reason?: RegExp }> = {
    '01-attach-fullaccess-karpenter.json': { kind: 'role-policy-attached', role: 'KarpenterNodeRole-prod' },
    '02-put-inline-ecr-star-auto-mode.json': { kind: 'role-policy-put', role: 'AmazonEKSAutoNodeRole' },
    '03-attach-poweruser-ci-role.json': { kind: 'role-policy-attached', role: 'ci-image-builder' },
    '04-attach-readonly-node-role.json': { kind: 'role-policy-attached', role: 'KarpenterNodeRole-prod' },
    '05-attach-administratoraccess-managed-nodegroup.json': { kind: 'role-policy-attached', role: NG1 },
    '06-put-inline-scoped-putimage-self-managed.json': {
      kind: 'role-policy-put',
      role: 'legacy-self-managed-nodes',
    },
    '07-delete-boundary-batch-nodes.json': { kind: 'boundary-deleted', role: 'prod-batch-nodes' },
    '08-attach-poweruser-exempt-role.json': { kind: 'role-policy-attached', role: 'staging-build-nodes' },
    '09-attach-fullaccess-denied.json': { kind: 'ignored', reason: /AccessDenied/ },
    '10-create-policy-version-not-default.json': {
      kind: 'ignored',
      reason: /not set the new version as default/,
    },
    '11-set-repository-policy-putimage-node-role.json': { kind: 'ecr-repository-policy' },

    '12-create-nodegroup-poweruser-role.json': { kind: 'eks-node-role', role: 'prod-gpu-nodes' },
    '13-create-access-entry-karpenter-poweruser.json': {
      kind: 'eks-node-role',
      role: 'KarpenterNodeRole-staging',
    },
  };

  it('holds the 13 events (1-10 IAM, 11 ECR, 12-13 EKS), in numbered order, with distinct event ids', () => {
    expect(eventFiles).toEqual(Object.keys(expected));
    const ids = eventFiles.map((file) => parseRoleChangeEvent(readJson(join(EVENTS_DIR, file))).event.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(Object.entries(expected))('%s parses to %j', async (file, want) => {
    const change = parseRoleChangeEvent(readJson(join(EVENTS_DIR, file)));
    expect(change.kind).toBe(want.kind);
    if (change.kind === 'ignored') expect(change.reason).toMatch(want.reason ?? /./);
    if (want.role !== undefined && 'roleName' in change) {
      expect(change.roleName).toBe(want.role);
      expect(await view().getRole(change.roleName)).not.toBeNull();
    }
  });

  it('replays each change on the sample account (the snapshot is the state before the events)', async () => {
    const after = view().withChange(
      parseRoleChangeEvent(readJson(join(EVENTS_DIR, '01-attach-fullaccess-karpenter.json'))),
    );
    const role = await after.getRole('KarpenterNodeRole-prod');
    expect(role?.attachedPolicies.map((p) => p.name)).toContain('AmazonEC2ContainerRegistryFullAccess');
    const unbounded = view().withChange(
      parseRoleChangeEvent(readJson(join(EVENTS_DIR, '07-delete-boundary-batch-nodes.json'))),
    );
    expect((await unbounded.getRole('prod-batch-nodes'))?.permissionsBoundaryArn).toBeNull();
    const ecr = view().withChange(
      parseRoleChangeEvent(readJson(join(EVENTS_DIR, '11-set-repository-policy-putimage-node-role.json'))),
    );
    const app = (await ecr.ecrResourcePolicies())['eu-west-1']?.repositories.find(
      (r) => r.repositoryName === 'app',
    );
    expect(app?.policyText).toContain('arn:aws:iam::111122223333:role/eks/prod-fargate-pod-exec');
  });
});

describe('reference samples line up with the sample account', () => {
  it.each(readdirSync(REFERENCE_DIR).filter((file) => file.startsWith('iam-')))(
    '%s names a role or policy in it',
    async (file) => {
      const change = parseRoleChangeEvent(readJson(join(REFERENCE_DIR, file)));
      const account = view();
      if ('roleName' in change) expect(await account.getRole(change.roleName)).not.toBeNull();
      if ('policyArn' in change) expect(await account.getManagedPolicy(change.policyArn)).not.toBeNull();
    },
  );

  it('SetDefaultPolicyVersion v2 restores the read-only version; CreatePolicyVersion v3 adds push', async () => {
    const setDefault = parseRoleChangeEvent(
      readJson(join(REFERENCE_DIR, 'iam-SetDefaultPolicyVersion.json')),
    );
    const created = parseRoleChangeEvent(readJson(join(REFERENCE_DIR, 'iam-CreatePolicyVersion.json')));
    expect(actionsOf((await view().withChange(setDefault).getManagedPolicy(EXTRA))?.document)).not.toContain(
      'ecr:PutImage',
    );
    const v3 = await view().withChange(created).getManagedPolicy(EXTRA);
    expect(v3?.versionId).toBe('v3');
    expect(actionsOf(v3?.document)).toContain('ecr:PutImage');
  });
});
