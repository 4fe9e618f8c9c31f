// Tests for the SnapshotAccountView (reads over a loaded snapshot, names matched as IAM does) and the
// document decoder it relies on for trust policies.
import { decodeDocument } from '../../lambda/domain/policy-json';
import {
  ACCOUNT,
  CUSTOMER,
  edited,
  pushDoc,
  READ_ONLY,
  readDoc,
  sampleJson,
  trust,
  view,
} from './snapshot-sample';

describe('SnapshotAccountView', () => {
  it('takes account and partition from the file, else from the first role ARN', () => {
    expect(view({ ...sampleJson(), accountId: '444455556666', partition: 'aws-cn' })).toMatchObject({
      accountId: '444455556666',
      partition: 'aws-cn',
    });
    expect(view()).toMatchObject({ accountId: ACCOUNT, partition: 'aws' });
    expect(view({ iam: {} })).toMatchObject({ accountId: null, partition: 'aws' });
  });

  it('maps a role to a RoleRecord (path, tags, boundary, attached and inline policies, parsed trust)', async () => {
    const role = await view().getRole('nodes');
    expect(role).toEqual({
      name: 'nodes',
      arn: `arn:aws:iam::${ACCOUNT}:role/team/nodes`,
      path: '/team/',
      trustPolicy: trust,
      tags: { 'eks-ecr-guard:exempt': 'warm cache' },
      permissionsBoundaryArn: CUSTOMER,
      attachedPolicies: [
        { name: 'AmazonEC2ContainerRegistryReadOnly', arn: READ_ONLY },
        { name: 'eks-node-extra', arn: CUSTOMER },
      ],
      inlinePolicyNames: ['Push'],
    });
  });

  it('decodes a URL-encoded trust policy and defaults path, tags and boundary', async () => {
    const role = await view().getRole('RawApiRole');
    expect(role).toMatchObject({ path: '/', trustPolicy: trust, tags: {}, permissionsBoundaryArn: null });
  });

  it('finds roles by exact name, then ignoring case; unknown roles are null', async () => {
    const snapshotView = view();
    expect((await snapshotView.getRole('NODES'))?.name).toBe('nodes');
    expect(await snapshotView.getRole('missing')).toBeNull();
  });

  it('returns inline documents as stored, in either encoding', async () => {
    const snapshotView = view();
    expect(await snapshotView.getInlinePolicy('nodes', 'Push')).toEqual(pushDoc);
    expect(await snapshotView.getInlinePolicy('nodes', 'push')).toEqual(pushDoc);
    expect(await snapshotView.getInlinePolicy('RawApiRole', 'encoded')).toBe(
      encodeURIComponent(JSON.stringify(pushDoc)),
    );
    expect(await snapshotView.getInlinePolicy('nodes', 'other')).toBeNull();
    expect(await snapshotView.getInlinePolicy('missing', 'Push')).toBeNull();
  });

  it('reads the default version of a customer managed policy from the snapshot', async () => {
    expect(await view().getManagedPolicy(CUSTOMER)).toEqual({
      arn: CUSTOMER,
      name: 'eks-node-extra',
      versionId: 'v2',
      isDefaultVersion: true,
      document: readDoc,
    });
  });

  it('uses DefaultVersionId when no version is flagged as default', async () => {
    const json = edited((j) => {
      j.iam.Policies[0] = {
        ...j.iam.Policies[0],
        PolicyVersionList: [
          { VersionId: 'v1', Document: pushDoc },
          { VersionId: 'v2', Document: readDoc },
        ],
      };
    });
    expect(await view(json).getManagedPolicy(CUSTOMER)).toMatchObject({
      versionId: 'v2',
      isDefaultVersion: true,
    });
  });

  it('falls back to the bundled document for AWS managed policies, in any partition', async () => {
    const snapshotView = view();
    expect(await snapshotView.getManagedPolicy(READ_ONLY)).toMatchObject({
      name: 'AmazonEC2ContainerRegistryReadOnly',
      versionId: 'v3',
    });
    expect(
      await snapshotView.getManagedPolicy('arn:aws-us-gov:iam::aws:policy/AdministratorAccess'),
    ).toMatchObject({
      arn: 'arn:aws-us-gov:iam::aws:policy/AdministratorAccess',
    });
  });

  it('does not use the bundle for customer policies, bare names or unbundled AWS policies', async () => {
    const snapshotView = view();
    expect(
      await snapshotView.getManagedPolicy(`arn:aws:iam::${ACCOUNT}:policy/AdministratorAccess`),
    ).toBeNull();
    expect(await snapshotView.getManagedPolicy('AdministratorAccess')).toBeNull();
    expect(await snapshotView.getManagedPolicy('arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy')).toBeNull();
  });

  it('prefers a snapshot copy of an AWS managed policy over the bundle', async () => {
    const json = edited((j) => {
      j.iam.Policies.push({
        PolicyName: 'AmazonEC2ContainerRegistryReadOnly',
        Arn: READ_ONLY,
        DefaultVersionId: 'v4',
        PolicyVersionList: [{ VersionId: 'v4', IsDefaultVersion: true, Document: readDoc }],
      });
    });
    expect(await view(json).getManagedPolicy(READ_ONLY)).toMatchObject({
      versionId: 'v4',
      document: readDoc,
    });
  });

  it('reads a named version (snapshot or bundled), null for unknown versions', async () => {
    const snapshotView = view();
    expect(await snapshotView.getPolicyVersion(CUSTOMER, 'v1')).toMatchObject({
      versionId: 'v1',
      isDefaultVersion: false,
      document: encodeURIComponent(JSON.stringify(pushDoc)),
    });
    expect(await snapshotView.getPolicyVersion(CUSTOMER, 'v7')).toBeNull();
    expect(await snapshotView.getPolicyVersion(READ_ONLY, 'v3')).toMatchObject({ versionId: 'v3' });
    expect(await snapshotView.getPolicyVersion(READ_ONLY, 'v1')).toBeNull();
  });

  it('lists the roles a policy is attached to, sorted', async () => {
    const snapshotView = view();
    expect(await snapshotView.rolesForPolicy(CUSTOMER)).toEqual(['RawApiRole', 'nodes']);
    expect(await snapshotView.rolesForPolicy(READ_ONLY)).toEqual(['nodes']);
    expect(await snapshotView.rolesForPolicy('arn:aws:iam::aws:policy/Other')).toEqual([]);
  });

  it('returns the EKS inventory without unknown keys, and the same object every time', async () => {
    const snapshotView = view();
    const inventory = await snapshotView.eksInventory();
    expect(inventory).toEqual({
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            computeConfig: { enabled: true, nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/team/nodes` },
            nodegroups: [{ nodegroupName: 'ng-1', nodeRole: `arn:aws:iam::${ACCOUNT}:role/team/nodes` }],
            accessEntries: [],
            fargateProfiles: [],
          },
        ],
      },
    });
    expect(await snapshotView.eksInventory()).toBe(inventory);
  });

  it('reports the managed-policy quota from the file, else 10', async () => {
    expect(await view().managedPolicyQuota()).toBe(10);
    expect(
      await view({ ...sampleJson(), quotas: { attachedPoliciesPerRole: 20 } }).managedPolicyQuota(),
    ).toBe(20);
  });

  it('lists every role name, sorted', async () => {
    expect(await view().listRoleNames()).toEqual(['RawApiRole', 'nodes']);
  });
});

describe('decodeDocument', () => {
  it.each([
    ['an object', pushDoc, pushDoc],
    ['a JSON string', JSON.stringify(pushDoc), pushDoc],
    ['a URL-encoded JSON string', encodeURIComponent(JSON.stringify(pushDoc)), pushDoc],
    ['a JSON string containing a literal %', '{"Sid":"100%"}', { Sid: '100%' }],
  ])('decodes %s', (_label, input, expected) => {
    expect(decodeDocument(input)).toEqual(expected);
  });

  it.each([
    ['null', null],
    ['a number', 3],
    ['an array', [pushDoc]],
    ['a JSON array string', '[1,2]'],
    ['truncated JSON', '{"Version":'],
    ['a malformed escape', '%E0%A4%A'],
    ['an encoded non-object', encodeURIComponent('"text"')],
  ])('gives null for %s', (_label, input) => {
    expect(decodeDocument(input)).toBeNull();
  });
});
