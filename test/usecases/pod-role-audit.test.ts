// Use-case tests for the pod-role part of the account audit: pod roles judged by the node-role analyser (managed,
// inline, boundary, repository policies), unreadable policies giving `unknown`, node roles left out, and the report
// of the demo account.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const ACCOUNT = '111122223333';
const TODAY = '2026-11-22';
const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA1111';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const WORKER = 'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy';
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const attached = (...arns: string[]) =>
  arns.map((policyArn) => ({
    PolicyArn: policyArn,
    PolicyName: policyArn.slice(policyArn.lastIndexOf('/') + 1),
  }));

const PODS = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};
const IRSA = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER.slice('https://'.length)}` },
      Action: 'sts:AssumeRoleWithWebIdentity',
    },
  ],
};
const EC2 = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

function snapshot() {
  return {
    accountId: ACCOUNT,
    iam: {
      RoleDetailList: [
        {
          RoleName: 'nodes',
          Arn: arn('nodes'),
          AssumeRolePolicyDocument: EC2,
          AttachedManagedPolicies: attached(WORKER, READ_ONLY),
        },
        {
          RoleName: 'pusher',
          Arn: arn('pusher'),
          AssumeRolePolicyDocument: PODS,
          AttachedManagedPolicies: attached(POWER_USER),
        },
        {
          RoleName: 'bounded',
          Arn: arn('bounded'),
          AssumeRolePolicyDocument: PODS,
          AttachedManagedPolicies: attached(POWER_USER),
          PermissionsBoundary: { PermissionsBoundaryArn: READ_ONLY },
        },
        {
          RoleName: 'inline-pusher',
          Arn: arn('inline-pusher'),
          AssumeRolePolicyDocument: IRSA,
          RolePolicyList: [
            {
              PolicyName: 'push',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: [
                      'ecr:InitiateLayerUpload',
                      'ecr:UploadLayerPart',
                      'ecr:CompleteLayerUpload',
                      'ecr:PutImage',
                    ],
                    Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app`,
                  },
                ],
              },
            },
          ],
        },
        {
          RoleName: 'missing-policy',
          Arn: arn('missing-policy'),
          AssumeRolePolicyDocument: PODS,
          AttachedManagedPolicies: attached(`arn:aws:iam::${ACCOUNT}:policy/not-in-the-snapshot`),
        },
        {
          RoleName: 'repo-granted',
          Arn: arn('repo-granted'),
          AssumeRolePolicyDocument: IRSA,
          AttachedManagedPolicies: [],
        },
      ],
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            nodegroups: [{ nodegroupName: 'ng', nodeRole: arn('nodes') }],
            identity: { oidc: { issuer: ISSUER } },
            podIdentityAssociations: ['pusher', 'bounded', 'missing-policy'].map((name) => ({
              namespace: 'ci',
              serviceAccount: name,
              roleArn: arn(name),
            })),
          },
        ],
      },
    },
    ecr: {
      'eu-west-1': {
        repositories: [
          {
            repositoryName: 'builds',
            repositoryArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/builds`,
            policyText: JSON.stringify({
              Version: '2012-10-17',
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: arn('repo-granted') },
                  Action: [
                    'ecr:InitiateLayerUpload',
                    'ecr:UploadLayerPart',
                    'ecr:CompleteLayerUpload',
                    'ecr:PutImage',
                  ],
                },
              ],
            }),
          },
        ],
      },
    },
  };
}

async function audit(json: unknown) {
  const view = new SnapshotAccountView(loadSnapshot(json));
  const evaluator = new ChangeEvaluator(
    view,
    evaluationSettings(parseConfig({}), view.partition, () => TODAY),
  );
  return auditAccount(view, evaluator, { today: TODAY });
}

describe('the pod-role audit', () => {
  it('judges each pod role with the node-role analyser and ties it to its cluster', async () => {
    const report = await audit(snapshot());
    const push = Object.fromEntries((report.podRoles?.roles ?? []).map((role) => [role.roleName, role.push]));
    expect(push).toEqual({
      // The boundary (ReadOnly) removes PowerUser's push: the same intersection as for node roles.
      bounded: 'no-push',
      'inline-pusher': 'push',
      // The managed policy cannot be read: not judged `no-push`.
      'missing-policy': 'unknown',
      pusher: 'push',
      // A repository policy naming the role grants push as much as an identity policy does.
      'repo-granted': 'push',
    });
    expect(report.podRoles?.clusters).toEqual([
      {
        region: 'eu-west-1',
        cluster: 'prod',
        podRoles: 5,
        withPush: 3,
        pushUnknown: 1,
        pushRoles: ['inline-pusher', 'pusher', 'repo-granted'],
        unknowns: [],
      },
    ]);
    // The node role stays with the node-role KPIs.
    expect(report.roles.map((role) => role.roleName)).toEqual(['nodes']);
    expect(report.podRoles?.roles.map((role) => role.roleName)).not.toContain('nodes');
  });

  it('counts the demo account: one associated pod role that pushes, one tied to no cluster', async () => {
    const sample = JSON.parse(
      readFileSync(join(__dirname, '..', '..', 'demo', 'sample-account.json'), 'utf8'),
    );
    const report = await audit(sample);
    expect(report.podRoles?.summary).toEqual({
      podRoles: 2,
      withPush: 2,
      pushUnknown: 0,
      unattributed: 1,
      clustersWithPush: 1,
    });
    expect(report.podRoles?.roles.find((role) => role.roleName === 'ci-image-pusher')?.clusters).toEqual([
      { region: 'eu-west-1', cluster: 'prod', via: 'pod-identity', serviceAccounts: ['ci/image-pusher'] },
    ]);
  });
});
