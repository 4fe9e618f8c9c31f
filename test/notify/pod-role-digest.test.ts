// Tests for the pod-role part of the sweep digest (lambda/notify/pod-role-digest.ts): the per-cluster lines, the
// SUMMARY row and KPIs, and nothing at all for a report without a pod-role part.
import { classifyPodRoles, podRoleTrust } from '../../lambda/domain/pod-roles';
import { podRoleKpiRows, podRoleKpis, podRoleSection } from '../../lambda/notify/pod-role-digest';

const ACCOUNT = '111122223333';
const PODS = {
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:AssumeRole' },
  ],
};
const trust = podRoleTrust(PODS);
if (trust === null) throw new Error('not a pod role');
const PUSH = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
const role = (name: string, writeActions: string[], unusablePolicies = 0) => ({
  roleName: name,
  roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  trust,
  writeActions,
  unusablePolicies,
});

const podRoles = classifyPodRoles(
  {
    'eu-west-1': {
      clusters: [
        {
          name: 'prod',
          nodegroups: [],
          accessEntries: [],
          fargateProfiles: [],
          identity: { oidc: { issuer: 'https://oidc.eks.eu-west-1.amazonaws.com/id/A' } },
          podIdentityAssociations: ['a', 'b', 'c'].map((name) => ({
            namespace: 'ci',
            serviceAccount: name,
            roleArn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
          })),
        },
        {
          name: 'dev',
          nodegroups: [],
          accessEntries: [],
          fargateProfiles: [],
          podIdentityAssociations: [],
          podIdentityAssociationsError: { code: 'AccessDeniedException', message: 'denied' },
        },
      ],
    },
  },
  [role('a', PUSH), role('b', PUSH), role('c', [], 1)],
  [],
);

describe('the pod-role digest', () => {
  it('gives one line per cluster, with the roles that push, the unknown ones and what was not seen', () => {
    expect(podRoleSection({ podRoles })).toEqual([
      '',
      'PUSH THROUGH POD ROLES (EKS Pod Identity, IRSA): WORKLOADS THAT PUSH THE RIGHT WAY',
      '-'.repeat(82),
      '  eu-west-1/dev: no pod role holds ECR push; 0 pod roles in all; not seen: OIDC issuer not recorded: IRSA roles cannot be tied to the cluster; Pod Identity associations not readable (AccessDeniedException: denied)',
      '  eu-west-1/prod: 2 pod roles hold ECR push (a, b); 3 pod roles in all, 1 unknown',
    ]);
  });

  it('reports the KPIs and the SUMMARY row', () => {
    expect(podRoleKpis({ podRoles })).toEqual({
      podRolesTotal: 3,
      podRolesWithPush: 2,
      podRolesPushUnknown: 1,
      clustersWithPodRolePush: 1,
      clustersTotal: 2,
    });
    expect(podRoleKpiRows({ podRoles })).toEqual([
      ['Pod-role push', '2 of 3 pod roles, 1 unknown, in 1 of 2 clusters'],
    ]);
  });

  it('says nothing for a report without a pod-role part', () => {
    expect(podRoleSection({})).toEqual([]);
    expect(podRoleKpiRows({})).toEqual([]);
    expect(podRoleKpis({})).toBeNull();
  });
});
