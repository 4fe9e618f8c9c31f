// Tests for the CDK layer: least privilege of the guard roles, in alert and remediate mode.
import { Stack } from 'aws-cdk-lib';
import {
  type IamStatement,
  identityStatements,
  isRecord,
  resolveIntrinsics,
  roleStatements,
} from './support/cfn';
import { type SynthesizedGuard, synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';
const WRITE_POLICIES = [
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
  'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
  'arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess',
];
const EXEMPT_TAG_IS_ABSENT = { Null: { 'aws:ResourceTag/eks-ecr-guard:exempt': 'true' } };
const ALL_ROLES = `arn:aws:iam::${ACCOUNT}:role/*`;

/** IAM actions that only read (Get*, List*, Generate*Report-style reads are not used). */
const isIamRead = (action: string) => /^iam:(Get|List)[A-Za-z]*$/.test(action);

function guardRoleStatements(
  synth: SynthesizedGuard,
  which: 'eventFunction' | 'sweepFunction',
): IamStatement[] {
  const role = synth.stacks.home.guard[which].role;
  const resolved = Stack.of(role).resolve(role.roleArn);
  const logicalId =
    isRecord(resolved) && Array.isArray(resolved['Fn::GetAtt']) ? String(resolved['Fn::GetAtt'][0]) : '';
  const statements = roleStatements(synth.home, logicalId);
  expect(statements.length).toBeGreaterThan(0);
  return statements;
}

function bySid(statements: readonly IamStatement[], sid: string): IamStatement {
  const found = statements.filter((statement) => statement.sid === sid);
  expect(found).toHaveLength(1);
  const [statement] = found;
  if (statement === undefined) throw new Error(`no statement ${sid}`);
  return statement;
}

describe.each([
  ['us-east-1 home', { mode: 'alert' }],
  ['eu-west-1 home', { mode: 'alert', region: 'eu-west-1' }],
  [
    'alert mode with every option',
    { mode: 'alert', chatTopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:chat`, createTrail: true },
  ],
  [
    'alert mode with a central alert topic',
    { mode: 'alert', centralAlertTopicArn: 'arn:aws:sns:eu-central-1:999988887777:central' },
  ],
])('alert mode (%s)', (_name, context) => {
  const synth = synthGuardApp({ context });
  const templates = [synth.home, ...(synth.forwarder ? [synth.forwarder] : [])];

  it('has no IAM write action in any identity policy of the app', () => {
    const iamActions = templates.flatMap(identityStatements).flatMap((statement) => statement.actions);
    expect(iamActions.filter((action) => action.startsWith('iam:'))).not.toHaveLength(0);
    const writes = iamActions.filter((action) => action.startsWith('iam:') && !isIamRead(action));
    expect(writes).toEqual([]);
    expect(iamActions.filter((action) => action === '*' || action === 'iam:*')).toEqual([]);
  });
});

describe('read permissions', () => {
  const synth = synthGuardApp();
  const event = guardRoleStatements(synth, 'eventFunction');
  const sweep = guardRoleStatements(synth, 'sweepFunction');

  it('reads IAM roles, then policies, each scoped to its resource type', () => {
    for (const statements of [event, sweep]) {
      const roles = bySid(statements, 'ReadRoles');
      expect(roles.actions).toEqual([
        'iam:GetRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
      ]);
      expect(resolveIntrinsics(roles.resource)).toEqual(ALL_ROLES);
      const policies = bySid(statements, 'ReadPolicies');
      expect(policies.actions).toEqual([
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListEntitiesForPolicy',
      ]);
      expect(resolveIntrinsics(policies.resource)).toEqual([
        `arn:aws:iam::${ACCOUNT}:policy/*`,
        'arn:aws:iam::aws:policy/*',
      ]);
    }
  });

  it('gives GetAccountAuthorizationDetails to the sweep only', () => {
    expect(bySid(event, 'ReadAccountSummary').actions).toEqual(['iam:GetAccountSummary']);
    expect(bySid(sweep, 'ReadAccountSummary').actions).toEqual([
      'iam:GetAccountSummary',
      'iam:GetAccountAuthorizationDetails',
    ]);
  });

  it('reads EKS with each action on the resource type it acts on', () => {
    const expected: Array<[string, string[], string]> = [
      [
        'ReadEksClusters',
        ['eks:DescribeCluster', 'eks:ListNodegroups', 'eks:ListAccessEntries', 'eks:ListFargateProfiles'],
        'cluster/*',
      ],
      ['ReadEksNodegroups', ['eks:DescribeNodegroup'], 'nodegroup/*'],
      ['ReadEksAccessEntries', ['eks:DescribeAccessEntry'], 'access-entry/*'],
      ['ReadEksFargateProfiles', ['eks:DescribeFargateProfile'], 'fargateprofile/*'],
    ];
    for (const [sid, actions, resource] of expected) {
      const statement = bySid(event, sid);
      expect(statement.actions).toEqual(actions);
      expect(resolveIntrinsics(statement.resource)).toEqual(`arn:aws:eks:*:${ACCOUNT}:${resource}`);
    }
    expect(bySid(event, 'ListEksClusters').actions).toEqual(['eks:ListClusters']);
  });

  it('gives the sweep the Pod Identity reads (list on clusters, describe on associations), the event function none', () => {
    expect(bySid(sweep, 'ReadEksClusters').actions).toContain('eks:ListPodIdentityAssociations');
    const associations = bySid(sweep, 'ReadEksPodIdentityAssociations');
    expect(associations.actions).toEqual(['eks:DescribePodIdentityAssociation']);
    expect(resolveIntrinsics(associations.resource)).toEqual(
      `arn:aws:eks:*:${ACCOUNT}:podidentityassociation/*`,
    );
    const eventActions = event.flatMap((statement) => statement.actions);
    expect(eventActions).not.toContain('eks:ListPodIdentityAssociations');
    expect(eventActions).not.toContain('eks:DescribePodIdentityAssociation');
  });

  it('gives the sweep the four ECR policy reads, repository reads on repositories, and the event function none', () => {
    const repositories = bySid(sweep, 'ReadEcrRepositoryPolicies');
    expect(repositories.actions).toEqual(['ecr:DescribeRepositories', 'ecr:GetRepositoryPolicy']);
    expect(resolveIntrinsics(repositories.resource)).toEqual(`arn:aws:ecr:*:${ACCOUNT}:repository/*`);
    const registry = bySid(sweep, 'ReadEcrRegistryPolicies');
    expect(registry.actions).toEqual(['ecr:GetRegistryPolicy', 'ecr:DescribeRepositoryCreationTemplates']);
    expect(resolveIntrinsics(registry.resource)).toEqual('*');
    const ecrActions = (statements: readonly IamStatement[]) =>
      statements.flatMap((statement) => statement.actions).filter((action) => action.startsWith('ecr:'));
    expect(ecrActions(sweep).sort()).toEqual([
      'ecr:DescribeRepositories',
      'ecr:DescribeRepositoryCreationTemplates',
      'ecr:GetRegistryPolicy',
      'ecr:GetRepositoryPolicy',
    ]);
    expect(ecrActions(event)).toEqual([]);
  });

  it('lists enabled Regions, scoped to the account, when eksRegions is empty', () => {
    const statement = bySid(event, 'ListEnabledRegions');
    expect(statement.actions).toEqual(['account:ListRegions']);
    expect(resolveIntrinsics(statement.resource)).toEqual(`arn:aws:account::${ACCOUNT}:account`);
  });

  it('has exactly the listed read actions and nothing else beyond plumbing', () => {
    const plumbing = new Set([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'sqs:SendMessage',
      'sns:Publish',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    ]);
    const reads = [...new Set(event.flatMap((statement) => statement.actions))].filter(
      (action) => !plumbing.has(action),
    );
    expect(reads.sort()).toEqual(
      [
        'iam:GetRole',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:ListEntitiesForPolicy',
        'iam:GetAccountSummary',
        'eks:ListClusters',
        'eks:DescribeCluster',
        'eks:ListNodegroups',
        'eks:DescribeNodegroup',
        'eks:ListAccessEntries',
        'eks:DescribeAccessEntry',
        'eks:ListFargateProfiles',
        'eks:DescribeFargateProfile',
        'account:ListRegions',
        'cloudtrail:LookupEvents',
      ].sort(),
    );
  });

  it('looks up ECR usage in CloudTrail (LookupEvents, which only accepts "*"), from the event and sweep functions', () => {
    for (const statements of [event, sweep]) {
      const statement = bySid(statements, 'LookUpEcrUsage');
      expect(statement.actions).toEqual(['cloudtrail:LookupEvents']);
      expect(statement.resource).toBe('*');
    }
    const cloudtrail = [...event, ...sweep]
      .flatMap((statement) => statement.actions)
      .filter((a) => a.startsWith('cloudtrail:'));
    expect(new Set(cloudtrail)).toEqual(new Set(['cloudtrail:LookupEvents']));
  });

  it('names every statement it writes with a Sid (X-Ray is the one statement CDK adds itself)', () => {
    for (const statement of [...event, ...sweep]) {
      if (statement.actions.every((action) => action.startsWith('xray:'))) continue;
      expect(statement.sid).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it('publishes only to its own topics and uses only its own table and log group', () => {
    const publish = bySid(event, 'PublishToAlertTopic');
    expect(publish.actions).toEqual(['sns:Publish']);
    expect(publish.resource).toEqual({ Ref: expect.stringMatching(/AlertTopic/) });
    expect(bySid(event, 'ReadWriteIdempotencyTable').resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/IdempotencyTable/), 'Arn'],
    });
    expect(
      sweep.some((statement) => statement.actions.some((action) => action.startsWith('dynamodb:'))),
    ).toBe(false);
    expect(bySid(event, 'WriteOwnLogGroup').resource).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/EventFunctionLogGroup/), 'Arn'],
    });
  });
});

describe('read permissions with eksRegions set', () => {
  const synth = synthGuardApp({ context: { eksRegions: 'eu-west-1,us-east-2' } });
  const event = guardRoleStatements(synth, 'eventFunction');

  it('scopes the sweep ECR repository reads to the same Regions as EKS', () => {
    const sweep = guardRoleStatements(synth, 'sweepFunction');
    expect(resolveIntrinsics(bySid(sweep, 'ReadEcrRepositoryPolicies').resource)).toEqual([
      `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/*`,
      `arn:aws:ecr:us-east-2:${ACCOUNT}:repository/*`,
    ]);
  });

  it('scopes EKS reads to the configured Regions', () => {
    expect(resolveIntrinsics(bySid(event, 'ReadEksClusters').resource)).toEqual([
      `arn:aws:eks:eu-west-1:${ACCOUNT}:cluster/*`,
      `arn:aws:eks:us-east-2:${ACCOUNT}:cluster/*`,
    ]);
  });

  it('does not grant account:ListRegions', () => {
    expect(event.flatMap((statement) => statement.actions)).not.toContain('account:ListRegions');
  });
});

describe('remediate mode', () => {
  const synth = synthGuardApp({
    context: { mode: 'remediate', replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly' },
  });
  const event = guardRoleStatements(synth, 'eventFunction');
  const sweep = guardRoleStatements(synth, 'sweepFunction');
  const replacement = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';

  it('attaches only the replacement policy, never to a role tagged exempt', () => {
    const statement = bySid(event, 'AttachReplacementPullPolicy');
    expect(statement.actions).toEqual(['iam:AttachRolePolicy']);
    expect(resolveIntrinsics(statement.resource)).toEqual(ALL_ROLES);
    expect(resolveIntrinsics(statement.condition)).toEqual({
      ArnEquals: { 'iam:PolicyARN': replacement },
      ...EXEMPT_TAG_IS_ABSENT,
    });
  });

  it('can never attach a write policy: the only attach statement is the replacement one', () => {
    const attaches = event.filter((statement) => statement.actions.includes('iam:AttachRolePolicy'));
    expect(attaches.map((statement) => statement.sid)).toEqual(['AttachReplacementPullPolicy']);
  });

  it('detaches only the known write policies (never the replacement)', () => {
    const statement = bySid(event, 'DetachEcrWritePolicies');
    expect(statement.actions).toEqual(['iam:DetachRolePolicy']);
    expect(resolveIntrinsics(statement.condition)).toEqual({
      ArnEquals: { 'iam:PolicyARN': WRITE_POLICIES },
      ...EXEMPT_TAG_IS_ABSENT,
    });
  });

  it('rewrites inline policies only on roles not tagged exempt', () => {
    const statement = bySid(event, 'RewriteInlineRolePolicies');
    expect(statement.actions).toEqual(['iam:PutRolePolicy', 'iam:DeleteRolePolicy']);
    expect(resolveIntrinsics(statement.resource)).toEqual(ALL_ROLES);
    expect(statement.condition).toEqual(EXEMPT_TAG_IS_ABSENT);
  });

  it('has no IAM write outside those three statements (once per guard function), and every write is conditioned', () => {
    const writes = identityStatements(synth.home).filter((statement) =>
      statement.actions.some((action) => action.startsWith('iam:') && !isIamRead(action)),
    );
    const perFunction = [...new Set(writes.map((statement) => statement.sid))].sort();
    expect(writes).toHaveLength(2 * perFunction.length);
    expect(perFunction).toEqual(
      ['AttachReplacementPullPolicy', 'DetachEcrWritePolicies', 'RewriteInlineRolePolicies'].sort(),
    );
    for (const statement of writes) {
      expect(statement.effect).toBe('Allow');
      expect(statement.condition).toMatchObject(EXEMPT_TAG_IS_ABSENT);
    }
  });

  it('gives the sweep exactly the same conditioned IAM writes as the event function (it remediates too)', () => {
    const writesOf = (statements: typeof sweep) =>
      statements
        .filter((statement) => statement.actions.some((a) => a.startsWith('iam:') && !isIamRead(a)))
        .map((statement) => ({
          sid: statement.sid,
          actions: statement.actions,
          condition: statement.condition,
        }))
        .sort((a, b) => String(a.sid).localeCompare(String(b.sid)));
    expect(writesOf(sweep)).toEqual(writesOf(event));
    expect(writesOf(sweep).length).toBeGreaterThan(0);
  });

  it('tags the guard roles exempt, so the guard can never rewrite its own role', () => {
    const roles = synth.home.findResources('AWS::IAM::Role', {
      Properties: { Tags: [{ Key: 'eks-ecr-guard:exempt', Value: 'true' }] },
    });
    expect(Object.keys(roles)).toHaveLength(2);
  });
});
