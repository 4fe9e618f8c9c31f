// Tests for replaying a role change on a snapshot (the what-if view right after the event).
import { applyChange } from '../../lambda/account/apply-change';
import { loadSnapshot, type Snapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import type { EventSummary } from '../../lambda/domain/types';
import { CUSTOMER, pushDoc, sampleJson, view } from './snapshot-sample';

describe('applyChange (replaying an event on a snapshot)', () => {
  const event: EventSummary = { id: 'e', name: null, time: null, actor: null };
  const base = (): Snapshot => loadSnapshot(sampleJson());

  it('attaches a managed policy once, leaving the input untouched', async () => {
    const snapshot = base();
    const arn = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
    const after = applyChange(snapshot, {
      kind: 'role-policy-attached',
      event,
      roleName: 'RawApiRole',
      policyArn: arn,
    });
    const again = applyChange(after, {
      kind: 'role-policy-attached',
      event,
      roleName: 'RawApiRole',
      policyArn: arn,
    });
    const role = await new SnapshotAccountView(again).getRole('RawApiRole');
    expect(role?.attachedPolicies).toEqual([
      { name: 'eks-node-extra', arn: CUSTOMER },
      { name: 'AmazonEC2ContainerRegistryFullAccess', arn },
    ]);
    expect(await new SnapshotAccountView(snapshot).rolesForPolicy(arn)).toEqual([]);
  });

  it('puts (replaces) an inline policy', async () => {
    const after = applyChange(base(), {
      kind: 'role-policy-put',
      event,
      roleName: 'nodes',
      policyName: 'push',
      document: '{}',
    });
    const afterView = new SnapshotAccountView(after);
    expect((await afterView.getRole('nodes'))?.inlinePolicyNames).toEqual(['push']);
    expect(await afterView.getInlinePolicy('nodes', 'push')).toBe('{}');
  });

  it('deletes an inline policy, whatever the case of its name', async () => {
    const after = applyChange(base(), {
      kind: 'role-policy-deleted',
      event,
      roleName: 'nodes',
      policyName: 'PUSH',
    });
    expect((await new SnapshotAccountView(after).getRole('nodes'))?.inlinePolicyNames).toEqual([]);
    expect(await new SnapshotAccountView(after).getInlinePolicy('nodes', 'Push')).toBeNull();
  });

  it('adds a new default version from CreatePolicyVersion', async () => {
    const document = JSON.stringify(pushDoc);
    const after = applyChange(base(), {
      kind: 'policy-version',
      event,
      policyArn: CUSTOMER,
      versionId: 'v3',
      document,
    });
    expect(await new SnapshotAccountView(after).getManagedPolicy(CUSTOMER)).toMatchObject({
      versionId: 'v3',
      document,
    });
  });

  it('numbers the version itself when the event does not say', async () => {
    const after = applyChange(base(), {
      kind: 'policy-version',
      event,
      policyArn: CUSTOMER,
      versionId: null,
      document: '{}',
    });
    expect(await new SnapshotAccountView(after).getManagedPolicy(CUSTOMER)).toMatchObject({
      versionId: 'v3',
    });
  });

  it('switches the default version for SetDefaultPolicyVersion, and ignores unknown versions', async () => {
    const after = applyChange(base(), {
      kind: 'policy-version',
      event,
      policyArn: CUSTOMER,
      versionId: 'v1',
      document: null,
    });
    expect(await new SnapshotAccountView(after).getManagedPolicy(CUSTOMER)).toMatchObject({
      versionId: 'v1',
    });
    const unknown = base();
    expect(
      applyChange(unknown, {
        kind: 'policy-version',
        event,
        policyArn: CUSTOMER,
        versionId: 'v9',
        document: null,
      }),
    ).toBe(unknown);
  });

  it('puts and deletes the permissions boundary', async () => {
    const boundary = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';
    const put = applyChange(base(), {
      kind: 'boundary-put',
      event,
      roleName: 'RawApiRole',
      boundaryArn: boundary,
    });
    expect((await new SnapshotAccountView(put).getRole('RawApiRole'))?.permissionsBoundaryArn).toBe(boundary);
    const deleted = applyChange(base(), { kind: 'boundary-deleted', event, roleName: 'nodes' });
    expect((await new SnapshotAccountView(deleted).getRole('nodes'))?.permissionsBoundaryArn).toBeNull();
  });

  it('leaves the snapshot as is for ignored changes and unknown roles', () => {
    const snapshot = base();
    expect(applyChange(snapshot, { kind: 'ignored', event, reason: 'x' })).toBe(snapshot);
    expect(applyChange(snapshot, { kind: 'boundary-deleted', event, roleName: 'missing' })).toBe(snapshot);
  });

  it('is available on the view as withChange', async () => {
    const after = view().withChange({ kind: 'boundary-deleted', event, roleName: 'NODES' });
    expect((await after.getRole('nodes'))?.permissionsBoundaryArn).toBeNull();
  });
});
