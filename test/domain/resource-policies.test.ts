// Unit tests for the pure resource-policy step: which repository/registry/template statements grant a node role
// ECR write directly, and how the role's Denies and boundary cut them (AWS-FACTS §12).
import { decideForRole } from '../../lambda/domain/decision';
import {
  grantReach,
  resourceGrantsForRole,
  resourcePolicySources,
  writeGrantees,
} from '../../lambda/domain/resource-policies';
import type { EcrInventory, PolicyInput, RolePolicies } from '../../lambda/domain/types';

const ACCOUNT = '111122223333';
const ROLE = { name: 'ng-role', arn: `arn:aws:iam::${ACCOUNT}:role/nodes/ng-role` };
const options = { pullAllowance: new Set<string>() };
const NO_POLICIES: RolePolicies = { identity: [], boundary: null };

function policy(...statements: object[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
const push = (principal: unknown, extra: object = {}) => ({
  Sid: 'Push',
  Effect: 'Allow',
  Principal: principal,
  Action: ['ecr:PutImage', 'ecr:BatchGetImage'],
  ...extra,
});

function inventory(text: string, region = 'eu-west-1'): EcrInventory {
  return {
    [region]: {
      registryPolicy: null,
      repositories: [
        {
          repositoryName: 'app',
          repositoryArn: `arn:aws:ecr:${region}:${ACCOUNT}:repository/app`,
          policyText: text,
        },
        { repositoryName: 'bare', repositoryArn: `arn:aws:ecr:${region}:${ACCOUNT}:repository/bare` },
      ],
      repositoryCreationTemplates: [],
    },
  };
}

function grantsFor(text: string, policies: RolePolicies = NO_POLICIES) {
  return resourceGrantsForRole(ROLE, resourcePolicySources(inventory(text)), policies, options).grants;
}

const doc = (name: string, ...statements: object[]): PolicyInput => ({
  ref: { kind: 'inline', name, arn: null },
  document: { Version: '2012-10-17', Statement: statements },
});

describe('resourceGrantsForRole: who the statement names', () => {
  it.each([
    ['the role ARN', { AWS: ROLE.arn }, 'role-arn'],
    ['the role ARN without its path', { AWS: `arn:aws:iam::${ACCOUNT}:role/ng-role` }, 'role-arn'],
    ['the role ARN in a list', { AWS: ['arn:aws:iam::444455556666:root', ROLE.arn] }, 'role-arn'],
    ['a session of the role', { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/ng-role/i-0abc` }, 'role-session'],
    ['"*"', '*', 'any-principal'],
    ['{"AWS": "*"}', { AWS: '*' }, 'any-principal'],
  ])('%s grants the write actions', (_label, principal, match) => {
    const [grant, ...rest] = grantsFor(policy(push(principal)));
    expect(rest).toEqual([]);
    expect(grant).toMatchObject({
      policy: {
        kind: 'repository-policy',
        name: 'app',
        arn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/app`,
        region: 'eu-west-1',
      },
      statement: 'Push',
      actions: ['ecr:PutImage'],
      resourceScoped: true,
      conditional: false,
      resource: { principal: match, policyWithoutStatement: null },
    });
  });

  it.each([
    ['the account root', { AWS: `arn:aws:iam::${ACCOUNT}:root` }],
    ['the bare account id', { AWS: ACCOUNT }],
    ['another role', { AWS: `arn:aws:iam::${ACCOUNT}:role/other` }],
    ['the same role name in another account', { AWS: 'arn:aws:iam::444455556666:role/ng-role' }],
    ['a service', { Service: 'codebuild.amazonaws.com' }],
  ])('%s grants the role nothing by itself', (_label, principal) => {
    expect(grantsFor(policy(push(principal)))).toEqual([]);
  });

  it('counts a conditional statement as a grant and says so', () => {
    const [grant] = grantsFor(
      policy(push('*', { Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } })),
    );
    expect(grant).toMatchObject({ conditional: true, actions: ['ecr:PutImage'] });
  });

  it('reads an Allow with NotPrincipal as a grant unless it excludes everyone', () => {
    const allowOthers = {
      Effect: 'Allow',
      NotPrincipal: { AWS: 'arn:aws:iam::1:role/x' },
      Action: 'ecr:PutImage',
    };
    expect(grantsFor(policy(allowOthers))[0]?.resource?.principal).toBe('not-principal');
    expect(grantsFor(policy({ ...allowOthers, NotPrincipal: '*' }))).toEqual([]);
  });

  it('ignores pull-only statements and keeps the statement index as its label without a Sid', () => {
    const pull = {
      Effect: 'Allow',
      Principal: '*',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    };
    const write = { Effect: 'Allow', Principal: '*', Action: 'ecr:*' };
    const grants = grantsFor(policy(pull, write));
    expect(grants.map((g) => g.statement)).toEqual(['1']);
    expect(grants[0]?.resource?.policyWithoutStatement).toBe(
      JSON.stringify({ Version: '2012-10-17', Statement: [pull] }, null, 2),
    );
  });

  it('applies an unconditional Deny of the same policy naming the role', () => {
    const deny = { Effect: 'Deny', Principal: { AWS: ROLE.arn }, Action: 'ecr:PutImage' };
    expect(grantsFor(policy(push('*'), deny))).toEqual([]);
  });

  it('warns about a policy that is not JSON and grants nothing from it', () => {
    const result = resourceGrantsForRole(
      ROLE,
      resourcePolicySources(inventory('{not json')),
      NO_POLICIES,
      options,
    );
    expect(result.grants).toEqual([]);
    expect(result.warnings).toEqual([expect.stringContaining('repository app (eu-west-1)')]);
  });
});

describe('resourceGrantsForRole: the role own Denies and boundary', () => {
  const denyPush = doc('deny', { Effect: 'Deny', Action: 'ecr:PutImage', Resource: '*' });
  const pullBoundary = doc('boundary', { Effect: 'Allow', Action: 'ecr:BatchGetImage', Resource: '*' });

  it('an explicit Deny in an identity policy removes the grant, whatever the principal', () => {
    for (const principal of [
      { AWS: ROLE.arn },
      '*',
      { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/ng-role/i-1` },
    ]) {
      expect(grantsFor(policy(push(principal)), { identity: [denyPush], boundary: null })).toEqual([]);
    }
  });

  it('a conditional Deny does not remove it (kept when unsure)', () => {
    const conditional = doc('deny', {
      Effect: 'Deny',
      Action: 'ecr:PutImage',
      Resource: '*',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    expect(grantsFor(policy(push('*')), { identity: [conditional], boundary: null })).toHaveLength(1);
  });

  it('a boundary without ECR write limits a grant naming the role ARN', () => {
    expect(grantsFor(policy(push({ AWS: ROLE.arn })), { identity: [], boundary: pullBoundary })).toEqual([]);
  });

  it('a boundary does not limit a grant naming a role session or "*" (only its explicit Denies do)', () => {
    const session = { AWS: `arn:aws:sts::${ACCOUNT}:assumed-role/ng-role/i-1` };
    expect(grantsFor(policy(push(session)), { identity: [], boundary: pullBoundary })).toHaveLength(1);
    expect(grantsFor(policy(push('*')), { identity: [], boundary: pullBoundary })).toHaveLength(1);
    expect(grantsFor(policy(push('*')), { identity: [], boundary: denyPush })).toEqual([]);
  });
});

describe('registry policies and creation templates', () => {
  const sources = resourcePolicySources({
    'us-west-2': {
      registryPolicy: policy({
        Sid: 'All',
        Effect: 'Allow',
        Principal: { AWS: ROLE.arn },
        Action: 'ecr:PutImage',
        Resource: `arn:aws:ecr:us-west-2:${ACCOUNT}:repository/*`,
      }),
      repositories: [],
      repositoryCreationTemplates: [
        { prefix: 'cache', repositoryPolicy: policy(push('*')) },
        { prefix: 'ROOT' },
      ],
    },
  });

  it('each gives its own grant kind with what it reaches', () => {
    const grants = resourceGrantsForRole(ROLE, sources, NO_POLICIES, options).grants;
    expect(grants.map((g) => [g.policy.kind, g.statement, grantReach(g)])).toEqual([
      ['registry-policy', 'All', 'every repository of the registry in us-west-2'],
      ['repository-creation-template', 'Push', 'repositories ECR creates under prefix cache (us-west-2)'],
    ]);
  });
});

describe('writeGrantees (the event fast path)', () => {
  it.each([
    [
      'pull only',
      policy({ Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }),
      { grantsWrite: false },
    ],
    [
      'account only',
      policy(push({ AWS: ACCOUNT })),
      { grantsWrite: true, anyPrincipal: false, roleNames: [] },
    ],
    [
      'a role and a session',
      policy(push({ AWS: [ROLE.arn, `arn:aws:sts::${ACCOUNT}:assumed-role/b/i-1`] })),
      { roleNames: ['b', 'ng-role'] },
    ],
    ['anyone', policy(push('*')), { anyPrincipal: true }],
    ['not JSON', 'nope', { unreadable: true }],
  ])('%s', (_label, text, expected) => {
    expect(writeGrantees(text, options)).toMatchObject(expected);
  });
});

describe('the decision unions identity and resource grants', () => {
  it('a node role with no identity write is a violation through a repository policy', () => {
    const [grant] = grantsFor(policy(push({ AWS: ROLE.arn })));
    if (grant === undefined) throw new Error('expected a grant');
    const decision = decideForRole(
      {
        role: {
          name: ROLE.name,
          arn: ROLE.arn,
          path: '/nodes/',
          trustPolicy: null,
          tags: {},
          permissionsBoundaryArn: null,
          attachedPolicies: [],
          inlinePolicyNames: [],
        },
        evidence: [{ kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng' }],
        analysis: {
          allowed: [],
          writeActions: [],
          grants: [],
          denies: [],
          blockedByBoundary: [],
          unusablePolicies: [],
          warnings: [],
        },
        unreadablePolicies: [],
        exemption: { exemption: null, expired: null, warnings: [] },
        resourceGrants: [grant],
      },
      {
        event: { id: null, name: 'SetRepositoryPolicy', time: null, actor: null },
        partition: 'aws',
        replacementPolicyName: 'AmazonEC2ContainerRegistryReadOnly',
        guardPolicyName: 'guard',
        managedPolicyQuota: 10,
        writeActionsToDeny: ['ecr:PutImage'],
        swappableManagedPolicies: [],
        nodePullActions: [],
        pullPolicies: [],
      },
    );
    expect(decision).toMatchObject({
      verdict: 'violation',
      ecrWriteActions: ['ecr:PutImage'],
      severity: 'medium',
    });
    expect(decision.grants.map((g) => g.policy.kind)).toEqual(['repository-policy']);
    // The guard's inline explicit Deny also removes a resource grant (same account: explicit Deny wins).
    expect(decision.plan.map((step) => step.op)).toEqual(['PutRolePolicy']);
  });
});
