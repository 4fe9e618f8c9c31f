// Tests for the snapshot file format, its loader, the SnapshotAccountView and replaying a change on it;
// also the document decoder the view relies on for trust policies.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyChange } from '../../lambda/account/apply-change';
import { loadSnapshot, readSnapshotFile, type Snapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { InvalidInputError } from '../../lambda/domain/errors';
import { decodeDocument } from '../../lambda/domain/policy-json';
import type { EventSummary } from '../../lambda/domain/types';

const ACCOUNT = '111122223333';
const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const pushDoc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
};
const readDoc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:ListImages', Resource: '*' }],
};
const CUSTOMER = `arn:aws:iam::${ACCOUNT}:policy/team/eks-node-extra`;
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';

/** A small snapshot in the CLI shape (objects) with one raw-API role (URL-encoded strings). */
function sampleJson(): Record<string, unknown> {
  return {
    capturedAt: '2026-11-20T08:30:00Z',
    futureTopLevelKey: { anything: true },
    iam: {
      RoleDetailList: [
        {
          RoleName: 'nodes',
          RoleId: 'AROAEXAMPLE000000001',
          Path: '/team/',
          Arn: `arn:aws:iam::${ACCOUNT}:role/team/nodes`,
          AssumeRolePolicyDocument: trust,
          RolePolicyList: [{ PolicyName: 'Push', PolicyDocument: pushDoc }],
          AttachedManagedPolicies: [
            { PolicyName: 'AmazonEC2ContainerRegistryReadOnly', PolicyArn: READ_ONLY },
            { PolicyName: 'eks-node-extra', PolicyArn: CUSTOMER },
          ],
          PermissionsBoundary: { PermissionsBoundaryType: 'Policy', PermissionsBoundaryArn: CUSTOMER },
          Tags: [{ Key: 'eks-ecr-guard:exempt', Value: 'warm cache' }],
          RoleLastUsed: {},
          SomeFutureField: 1,
        },
        {
          RoleName: 'RawApiRole',
          Arn: `arn:aws:iam::${ACCOUNT}:role/RawApiRole`,
          AssumeRolePolicyDocument: encodeURIComponent(JSON.stringify(trust)),
          RolePolicyList: [
            { PolicyName: 'encoded', PolicyDocument: encodeURIComponent(JSON.stringify(pushDoc)) },
          ],
          AttachedManagedPolicies: [{ PolicyName: 'eks-node-extra', PolicyArn: CUSTOMER }],
        },
      ],
      Policies: [
        {
          PolicyName: 'eks-node-extra',
          Arn: CUSTOMER,
          DefaultVersionId: 'v2',
          PolicyVersionList: [
            {
              VersionId: 'v1',
              IsDefaultVersion: false,
              Document: encodeURIComponent(JSON.stringify(pushDoc)),
            },
            { VersionId: 'v2', IsDefaultVersion: true, Document: readDoc },
          ],
        },
      ],
      UserDetailList: [{ UserName: 'ignored' }],
      GroupDetailList: [],
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            computeConfig: {
              enabled: true,
              nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/team/nodes`,
              nodePools: ['system'],
            },
            nodegroups: [
              {
                nodegroupName: 'ng-1',
                nodeRole: `arn:aws:iam::${ACCOUNT}:role/team/nodes`,
                status: 'ACTIVE',
              },
            ],
          },
        ],
      },
    },
  };
}

const view = (json: unknown = sampleJson()): SnapshotAccountView =>
  new SnapshotAccountView(loadSnapshot(json));

function expectInvalid(json: unknown, message: RegExp): void {
  expect(() => loadSnapshot(json)).toThrow(InvalidInputError);
  expect(() => loadSnapshot(json)).toThrow(message);
}

/** A copy of the sample with one change made by `edit` (plain JSON, so a structured clone is safe). */
function edited(
  edit: (json: {
    iam: { RoleDetailList: Record<string, unknown>[]; Policies: Record<string, unknown>[] };
  }) => void,
): unknown {
  const json = structuredClone(sampleJson());
  const iam = json.iam;
  if (typeof iam !== 'object' || iam === null || !('RoleDetailList' in iam) || !('Policies' in iam))
    throw new Error('bad sample');
  const roles = iam.RoleDetailList;
  const policies = iam.Policies;
  if (!Array.isArray(roles) || !Array.isArray(policies)) throw new Error('bad sample');
  edit({ iam: { RoleDetailList: roles, Policies: policies } });
  return json;
}

describe('loadSnapshot', () => {
  it('accepts unknown keys at every level (forward compatible)', () => {
    const snapshot = loadSnapshot(sampleJson());
    expect(snapshot.iam.RoleDetailList).toHaveLength(2);
  });

  it('accepts a snapshot whose eks section and IAM lists are missing', () => {
    const snapshot = loadSnapshot({ iam: {} });
    expect(snapshot.iam.RoleDetailList).toEqual([]);
    expect(snapshot.iam.Policies).toEqual([]);
    expect(snapshot.eks).toEqual({});
  });

  it('requires the iam section', () => {
    expectInvalid({ eks: {} }, /^invalid snapshot: iam: expected object \(missing\)/);
  });

  it.each([
    ['not an object', [], /\(root\): expected object, got array/],
    [
      'a numeric role name',
      edited((j) => {
        j.iam.RoleDetailList[1] = { ...j.iam.RoleDetailList[1], RoleName: 7 };
      }),
      /iam\.RoleDetailList\[1\]\.RoleName: expected string, got number/,
    ],
    [
      'a role without Arn',
      edited((j) => {
        delete j.iam.RoleDetailList[0]?.Arn;
      }),
      /iam\.RoleDetailList\[0\]\.Arn: expected string \(missing\)/,
    ],
    [
      'an attached policy without ARN',
      edited((j) => {
        j.iam.RoleDetailList[0] = {
          ...j.iam.RoleDetailList[0],
          AttachedManagedPolicies: [{ PolicyName: 'x' }],
        };
      }),
      /iam\.RoleDetailList\[0\]\.AttachedManagedPolicies\[0\]\.PolicyArn/,
    ],
    [
      'a numeric policy document',
      edited((j) => {
        j.iam.RoleDetailList[0] = {
          ...j.iam.RoleDetailList[0],
          RolePolicyList: [{ PolicyName: 'p', PolicyDocument: 5 }],
        };
      }),
      /RolePolicyList\[0\]\.PolicyDocument: expected a policy document/,
    ],
    [
      'tags as an object',
      edited((j) => {
        j.iam.RoleDetailList[0] = { ...j.iam.RoleDetailList[0], Tags: { team: 'x' } };
      }),
      /iam\.RoleDetailList\[0\]\.Tags: expected array, got object/,
    ],
    [
      'a policy with no default version',
      edited((j) => {
        j.iam.Policies[0] = {
          ...j.iam.Policies[0],
          DefaultVersionId: 'v9',
          PolicyVersionList: [{ VersionId: 'v1', Document: readDoc }],
        };
      }),
      /iam\.Policies\[0\]\.PolicyVersionList: no default version/,
    ],
    [
      'a duplicate role name (ignoring case)',
      edited((j) => {
        j.iam.RoleDetailList[1] = { ...j.iam.RoleDetailList[1], RoleName: 'NODES' };
      }),
      /iam\.RoleDetailList\[1\]\.RoleName: duplicate role name "NODES" \(also at index 0\)/,
    ],
    ['a bad account id', { ...sampleJson(), accountId: '1234' }, /accountId: expected a 12-digit account id/],
    ['a bad partition', { ...sampleJson(), partition: 'amazon' }, /partition: expected a partition/],
    [
      'a zero quota',
      { ...sampleJson(), quotas: { attachedPoliciesPerRole: 0 } },
      /quotas\.attachedPoliciesPerRole/,
    ],
    [
      'clusters not an array',
      { iam: {}, eks: { 'eu-west-1': { clusters: {} } } },
      /eks\.eu-west-1\.clusters: expected array, got object/,
    ],
    [
      'an access entry without type',
      { iam: {}, eks: { r: { clusters: [{ name: 'c', accessEntries: [{ principalArn: 'arn' }] }] } } },
      /eks\.r\.clusters\[0\]\.accessEntries\[0\]\.type: expected string \(missing\)/,
    ],
    [
      'computeConfig.enabled as a string',
      { iam: {}, eks: { r: { clusters: [{ name: 'c', computeConfig: { enabled: 'yes' } }] } } },
      /computeConfig\.enabled: expected boolean, got string/,
    ],
  ])('rejects %s with InvalidInputError naming the path', (_label, json, message) => {
    expectInvalid(json, message);
  });
});

describe('docs/snapshot-format.md', () => {
  it('its complete example loads and shows a node role with both document encodings', async () => {
    const markdown = readFileSync(join(__dirname, '..', '..', 'docs', 'snapshot-format.md'), 'utf8');
    const blocks = markdown
      .split('```json\n')
      .slice(1)
      .map((block) => block.slice(0, block.indexOf('```')));
    const example = blocks.at(-1);
    if (example === undefined) throw new Error('no JSON example in the doc');
    const exampleView = new SnapshotAccountView(loadSnapshot(JSON.parse(example)));
    const role = await exampleView.getRole('prod-nodes');
    expect(role?.trustPolicy).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] });
    expect(await exampleView.getManagedPolicy('arn:aws:iam::111122223333:policy/node-extras')).not.toBeNull();
    expect(Object.keys(await exampleView.eksInventory())).toEqual(['eu-west-1']);
  });
});

describe('readSnapshotFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-test-'));

  it('reads and validates a file', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(sampleJson()));
    expect(readSnapshotFile(path).iam.RoleDetailList).toHaveLength(2);
  });

  it('says when the file is missing', () => {
    expect(() => readSnapshotFile(join(dir, 'nope.json'))).toThrow(
      /cannot read snapshot file .*nope\.json: no such file/,
    );
  });

  it('says when the path is a directory', () => {
    expect(() => readSnapshotFile(dir)).toThrow(/it is a directory/);
  });

  it('says when the file is not JSON', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"iam": {');
    expect(() => readSnapshotFile(path)).toThrow(InvalidInputError);
    expect(() => readSnapshotFile(path)).toThrow(/bad\.json is not valid JSON/);
  });

  it('names the file and the bad path when the shape is wrong', () => {
    const path = join(dir, 'shape.json');
    writeFileSync(path, JSON.stringify({ iam: { RoleDetailList: 'none' } }));
    expect(() => readSnapshotFile(path)).toThrow(
      /invalid snapshot file .*shape\.json: iam\.RoleDetailList: expected array, got string/,
    );
  });
});

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
