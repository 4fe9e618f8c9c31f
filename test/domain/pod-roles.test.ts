// Tests for the pod-role classification (lambda/domain/pod-roles.ts): which trust policies make a pod role, when a
// pod role holds ECR push, and which cluster each serves (Pod Identity associations, IRSA issuers), table-driven.
import { IMAGE_PUSH_WRITE_ACTIONS } from '../../lambda/domain/catalogue';
import {
  classifyPodRoles,
  normaliseIssuer,
  type PodRoleCandidate,
  podRoleTrust,
  pushStatus,
} from '../../lambda/domain/pod-roles';
import type { EksClusterRecord, EksInventory } from '../../lambda/domain/types';

const ACCOUNT = '111122223333';
const arn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const PROD_ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA1111';
const STAGING_ISSUER = 'https://oidc.eks.us-east-2.amazonaws.com/id/BBBB2222';
const provider = (issuer: string) =>
  `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.replace('https://', '')}`;

const POD_IDENTITY_TRUST = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    },
  ],
};
const irsaTrust = (issuer: string) => ({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: provider(issuer) },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${issuer.replace('https://', '')}:sub`]: 'system:serviceaccount:ci:pusher' },
      },
    },
  ],
});
const EC2_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

describe('podRoleTrust', () => {
  it.each<[string, unknown, ReturnType<typeof podRoleTrust>]>([
    ['Pod Identity', POD_IDENTITY_TRUST, { podIdentity: true, oidcProviders: [] }],
    [
      'IRSA (issuer host and path, lower-cased)',
      irsaTrust(PROD_ISSUER),
      { podIdentity: false, oidcProviders: ['oidc.eks.eu-west-1.amazonaws.com/id/aaaa1111'] },
    ],
    [
      'Pod Identity as a JSON string',
      JSON.stringify(POD_IDENTITY_TRUST),
      { podIdentity: true, oidcProviders: [] },
    ],
    [
      'Pod Identity with sts:* and a single statement object',
      {
        Statement: { Effect: 'Allow', Principal: { Service: ['pods.eks.amazonaws.com'] }, Action: 'sts:*' },
      },
      { podIdentity: true, oidcProviders: [] },
    ],
    ['an EC2 (node) trust', EC2_TRUST, null],
    ['a Deny naming pods', { Statement: [{ ...POD_IDENTITY_TRUST.Statement[0], Effect: 'Deny' }] }, null],
    [
      'pods without sts:AssumeRole',
      {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: 'sts:TagSession' },
        ],
      },
      null,
    ],
    [
      'a federated provider with AssumeRole only',
      {
        Statement: [
          { Effect: 'Allow', Principal: { Federated: provider(PROD_ISSUER) }, Action: 'sts:AssumeRole' },
        ],
      },
      null,
    ],
    [
      'a SAML provider',
      {
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/sso` },
            Action: 'sts:AssumeRoleWithSAML',
          },
        ],
      },
      null,
    ],
    ['no document', null, null],
  ])('%s', (_name, trust, expected) => {
    expect(podRoleTrust(trust)).toEqual(expected);
  });

  it('normalises issuers the way DescribeCluster and the provider ARN spell them', () => {
    expect(normaliseIssuer('https://oidc.eks.eu-west-1.amazonaws.com/id/AAAA1111/')).toBe(
      'oidc.eks.eu-west-1.amazonaws.com/id/aaaa1111',
    );
  });
});

describe('pushStatus', () => {
  it.each<[string, readonly string[], number, string, number]>([
    ['every image-push write action', IMAGE_PUSH_WRITE_ACTIONS, 0, 'push', 4],
    ['push plus deletes', [...IMAGE_PUSH_WRITE_ACTIONS, 'ecr:BatchDeleteImage'], 0, 'push', 4],
    ['only PutImage (no layer upload)', ['ecr:PutImage'], 0, 'no-push', 1],
    ['other writes only', ['ecr:DeleteRepository'], 0, 'no-push', 0],
    ['nothing, but a policy could not be used', [], 1, 'unknown', 0],
    ['push even with an unusable policy', IMAGE_PUSH_WRITE_ACTIONS, 1, 'push', 4],
  ])('%s', (_name, writeActions, unusablePolicies, push, held) => {
    const status = pushStatus({ writeActions, unusablePolicies });
    expect(status.push).toBe(push);
    expect(status.pushActions).toHaveLength(held);
  });
});

function cluster(name: string, extra: Partial<EksClusterRecord> = {}): EksClusterRecord {
  return { name, nodegroups: [], accessEntries: [], fargateProfiles: [], ...extra };
}

const INVENTORY: EksInventory = {
  'eu-west-1': {
    clusters: [
      cluster('prod', {
        identity: { oidc: { issuer: PROD_ISSUER } },
        podIdentityAssociations: [
          { namespace: 'ci', serviceAccount: 'builder', roleArn: arn('ci-pusher') },
          // An association may spell the role's path (and case) differently: same role.
          {
            namespace: 'ci',
            serviceAccount: 'kaniko',
            roleArn: `arn:aws:iam::${ACCOUNT}:role/teams/CI-Pusher`,
          },
          { namespace: 'web', serviceAccount: 'app', roleArn: arn('web-reader') },
        ],
      }),
    ],
  },
  'us-east-2': {
    clusters: [
      cluster('staging', {
        identity: { oidc: { issuer: STAGING_ISSUER } },
        podIdentityAssociations: [],
      }),
      cluster('legacy', {
        podIdentityAssociationsError: { code: 'AccessDeniedException', message: 'denied' },
        podIdentityAssociations: [],
      }),
    ],
  },
};

const candidate = (
  roleName: string,
  trust: unknown,
  writeActions: readonly string[],
  unusablePolicies = 0,
): PodRoleCandidate => {
  const parsed = podRoleTrust(trust);
  if (parsed === null) throw new Error(`${roleName} is not a pod role`);
  return { roleName, roleArn: arn(roleName), trust: parsed, writeActions, unusablePolicies };
};

describe('classifyPodRoles', () => {
  const report = classifyPodRoles(
    INVENTORY,
    [
      candidate('ci-pusher', POD_IDENTITY_TRUST, IMAGE_PUSH_WRITE_ACTIONS),
      candidate('web-reader', POD_IDENTITY_TRUST, []),
      candidate('irsa-builder', irsaTrust(PROD_ISSUER), [...IMAGE_PUSH_WRITE_ACTIONS, 'ecr:TagResource']),
      candidate('staging-irsa', irsaTrust(STAGING_ISSUER), IMAGE_PUSH_WRITE_ACTIONS),
      candidate('orphan', POD_IDENTITY_TRUST, IMAGE_PUSH_WRITE_ACTIONS),
      candidate('unreadable', irsaTrust(PROD_ISSUER), [], 1),
      // A node role whose trust also names pods: counted with the node roles, not here.
      candidate('prod-nodes', POD_IDENTITY_TRUST, IMAGE_PUSH_WRITE_ACTIONS),
    ],
    ['Prod-Nodes'],
  );
  const byName = (name: string) => report.roles.find((role) => role.roleName === name);
  const byCluster = (region: string, name: string) =>
    report.clusters.find((entry) => entry.region === region && entry.cluster === name);

  it('ties a Pod Identity role with push to the clusters whose associations name it', () => {
    expect(byName('ci-pusher')).toEqual({
      roleName: 'ci-pusher',
      roleArn: arn('ci-pusher'),
      via: ['pod-identity'],
      push: 'push',
      pushActions: [...IMAGE_PUSH_WRITE_ACTIONS],
      clusters: [
        {
          region: 'eu-west-1',
          cluster: 'prod',
          via: 'pod-identity',
          serviceAccounts: ['ci/builder', 'ci/kaniko'],
        },
      ],
    });
  });

  it('ties an IRSA role with push to the cluster whose OIDC issuer it trusts', () => {
    expect(byName('irsa-builder')?.push).toBe('push');
    expect(byName('irsa-builder')?.clusters).toEqual([
      { region: 'eu-west-1', cluster: 'prod', via: 'irsa', serviceAccounts: [] },
    ]);
  });

  it("gives a role trusted by another cluster's issuer to that cluster", () => {
    expect(byName('staging-irsa')?.clusters).toEqual([
      { region: 'us-east-2', cluster: 'staging', via: 'irsa', serviceAccounts: [] },
    ]);
    expect(byCluster('us-east-2', 'staging')).toMatchObject({
      podRoles: 1,
      withPush: 1,
      pushRoles: ['staging-irsa'],
    });
  });

  it('counts a pod role without push as a pod role, not as pushing', () => {
    expect(byName('web-reader')?.push).toBe('no-push');
    expect(byCluster('eu-west-1', 'prod')).toEqual({
      region: 'eu-west-1',
      cluster: 'prod',
      podRoles: 4,
      withPush: 2,
      pushUnknown: 1,
      pushRoles: ['ci-pusher', 'irsa-builder'],
      unknowns: [],
    });
  });

  it('leaves node roles out, whatever their trust says', () => {
    expect(byName('prod-nodes')).toBeUndefined();
  });

  it('keeps a pod role tied to no cluster, and says what a cluster could not show', () => {
    expect(byName('orphan')?.clusters).toEqual([]);
    expect(byCluster('us-east-2', 'legacy')?.unknowns).toEqual([
      'OIDC issuer not recorded: IRSA roles cannot be tied to the cluster',
      'Pod Identity associations not readable (AccessDeniedException: denied)',
    ]);
    expect(byCluster('us-east-2', 'staging')?.unknowns).toEqual([]);
  });

  it('sums each pod role once', () => {
    expect(report.summary).toEqual({
      podRoles: 6,
      withPush: 4,
      pushUnknown: 1,
      unattributed: 1,
      clustersWithPush: 2,
    });
    expect(report.clusters.map((entry) => `${entry.region}/${entry.cluster}`)).toEqual([
      'eu-west-1/prod',
      'us-east-2/legacy',
      'us-east-2/staging',
    ]);
  });

  it('says "not recorded" for a cluster from a snapshot written before the fields', () => {
    const old = classifyPodRoles({ 'eu-west-1': { clusters: [cluster('old')] } }, [], []);
    expect(old.clusters[0]?.unknowns).toEqual([
      'OIDC issuer not recorded: IRSA roles cannot be tied to the cluster',
      'Pod Identity associations not recorded',
    ]);
  });
});
