// Test support for the account snapshot tests: a small snapshot in the CLI shape with one raw-API role, the
// view over it, and helpers to edit it and to expect a load to fail.
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { InvalidInputError } from '../../lambda/domain/errors';

export const ACCOUNT = '111122223333';
export const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
export const pushDoc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
};
export const readDoc = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'ecr:ListImages', Resource: '*' }],
};
export const CUSTOMER = `arn:aws:iam::${ACCOUNT}:policy/team/eks-node-extra`;
export const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';

/** A small snapshot in the CLI shape (objects) with one raw-API role (URL-encoded strings). */
export function sampleJson(): Record<string, unknown> {
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

export const view = (json: unknown = sampleJson()): SnapshotAccountView =>
  new SnapshotAccountView(loadSnapshot(json));

export function expectInvalid(json: unknown, message: RegExp): void {
  expect(() => loadSnapshot(json)).toThrow(InvalidInputError);
  expect(() => loadSnapshot(json)).toThrow(message);
}

/** A copy of the sample with one change made by `edit` (plain JSON, so a structured clone is safe). */
export function edited(
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
