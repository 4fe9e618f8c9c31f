// Table-driven tests for the pure policy analysis: patterns, NotAction/NotResource, denies, boundary,
// malformed input and the AWS managed policies a node role meets in practice.
import fc from 'fast-check';
import { type AnalysisOptions, analyseRolePolicies } from '../../lambda/domain/analysis';
import { ECR_CATALOGUE, pullAllowance, WRITE_ACTIONS } from '../../lambda/domain/catalogue';
import type { PolicyAnalysis, PolicyInput, PolicyRef, RolePolicies } from '../../lambda/domain/types';
import fullAccess from './fixtures/managed-policies/AmazonEC2ContainerRegistryFullAccess.json';
import powerUser from './fixtures/managed-policies/AmazonEC2ContainerRegistryPowerUser.json';
import pullOnly from './fixtures/managed-policies/AmazonEC2ContainerRegistryPullOnly.json';
import readOnly from './fixtures/managed-policies/AmazonEC2ContainerRegistryReadOnly.json';
import workerNodeMinimal from './fixtures/managed-policies/AmazonEKSWorkerNodeMinimalPolicy.json';
import workerNode from './fixtures/managed-policies/AmazonEKSWorkerNodePolicy.json';
import publicFullAccess from './fixtures/managed-policies/AmazonElasticContainerRegistryPublicFullAccess.json';

const OPTIONS: AnalysisOptions = { pullAllowance: pullAllowance([]) };
const REPO = 'arn:aws:ecr:us-east-1:111122223333:repository/app';
const PUSH = ['ecr:CompleteLayerUpload', 'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart'];
const PUT_STAR = [
  'ecr:PutAccountSetting',
  'ecr:PutImage',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
  'ecr:PutLifecyclePolicy',
  'ecr:PutRegistryPolicy',
  'ecr:PutRegistryScanningConfiguration',
  'ecr:PutReplicationConfiguration',
  'ecr:PutSigningConfiguration',
];
const TOLERATED = 'ecr:BatchImportUpstreamImage';
const ALL_WRITES = WRITE_ACTIONS.filter((action) => action !== TOLERATED);
const ECR_WRITES = ALL_WRITES.filter((action) => action.startsWith('ecr:'));
const PUBLIC_WRITES = ALL_WRITES.filter((action) => action.startsWith('ecr-public:'));
const ALL_ACTIONS = ECR_CATALOGUE.map((entry) => entry.action);

function ref(name: string, kind: PolicyRef['kind'] = 'inline'): PolicyRef {
  return { kind, name, arn: kind === 'inline' ? null : `arn:aws:iam::aws:policy/${name}` };
}

function policy(name: string, document: unknown): PolicyInput {
  return { ref: ref(name), document };
}

function allow(action: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Action: action, Resource: '*', ...extra };
}

function deny(action: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Deny', Action: action, Resource: '*', ...extra };
}

function doc(...statements: unknown[]): unknown {
  return { Version: '2012-10-17', Statement: statements };
}

function analyse(identity: readonly unknown[], boundary: unknown = null, options = OPTIONS): PolicyAnalysis {
  const policies: RolePolicies = {
    identity: identity.map((document, index) => policy(`p${index}`, document)),
    boundary: boundary === null ? null : { ref: ref('boundary', 'customer-managed'), document: boundary },
  };
  return analyseRolePolicies(policies, options);
}

describe('action patterns (one Allow statement on *)', () => {
  it.each([
    ['*', ALL_WRITES],
    ['ecr:*', ECR_WRITES],
    ['ecr-public:*', PUBLIC_WRITES],
    ['ecr:Put*', PUT_STAR],
    ['ecr:*Image', ['ecr:BatchDeleteImage', 'ecr:PutImage', 'ecr:ReplicateImage']],
    ['ecr*:PutImage', ['ecr-public:PutImage', 'ecr:PutImage']],
    ['ecr:?utImage', ['ecr:PutImage']],
    ['ecr:PutImag?', ['ecr:PutImage']],
    ['ecr:P?tImage*', ['ecr:PutImage', 'ecr:PutImageScanningConfiguration', 'ecr:PutImageTagMutability']],
    ['ECR:putimage', ['ecr:PutImage']],
    ['Ecr:PUT*', PUT_STAR],
    ['*:*', ALL_WRITES],
    ['*:PutImage', ['ecr-public:PutImage', 'ecr:PutImage']],
    ['PutImage', []],
    ['Put*', []],
    ['ecr:PutImage ', []],
    ['ecr:BatchImportUpstreamImage', []],
    ['ecr:GetAuthorizationToken', []],
    ['s3:*', []],
    ['', []],
  ])('%j allows write actions %j', (pattern, expected) => {
    expect(analyse([doc(allow(pattern))]).writeActions).toEqual(expected);
  });

  it('accepts Action as a string or a list, and Statement as an object or a list', () => {
    const asString = analyse([{ Statement: allow('ecr:PutImage') }]);
    const asList = analyse([doc(allow(['ecr:PutImage', 'ecr:TagResource']))]);
    expect(asString.writeActions).toEqual(['ecr:PutImage']);
    expect(asList.writeActions).toEqual(['ecr:PutImage', 'ecr:TagResource']);
  });

  it('reports every allowed catalogue action in `allowed`, reads included, sorted', () => {
    const analysis = analyse([
      doc(allow(['ecr:GetAuthorizationToken', 'ecr:PutImage', 'ecr-public:DescribeImages'])),
    ]);
    expect(analysis.allowed).toEqual([
      'ecr-public:DescribeImages',
      'ecr:GetAuthorizationToken',
      'ecr:PutImage',
    ]);
    expect(analyse([doc(allow('*'))]).allowed).toEqual(ALL_ACTIONS);
  });
});

describe('NotAction allows', () => {
  it.each([
    [['iam:*'], ALL_WRITES],
    [['ecr:*'], PUBLIC_WRITES],
    [['ecr:Put*', 'ecr-public:*'], ECR_WRITES.filter((action) => !PUT_STAR.includes(action))],
    [['*'], []],
  ])('NotAction %j allows %j and counts as allServices', (notAction, expected) => {
    const analysis = analyse([doc({ Effect: 'Allow', NotAction: notAction, Resource: '*' })]);
    expect(analysis.writeActions).toEqual(expected);
    for (const grant of analysis.grants) expect(grant.allServices).toBe(true);
  });
});

describe('grants', () => {
  it('describes a plain grant', () => {
    const analysis = analyse([doc({ Sid: 'Push', ...allow(['ecr:PutImage', 'ecr:BatchGetImage']) })]);
    expect(analysis.grants).toEqual([
      {
        policy: ref('p0'),
        statement: 'Push',
        actions: ['ecr:PutImage'],
        resourceScoped: false,
        conditional: false,
        allServices: false,
        wholeService: false,
        reach: [{ action: 'ecr:PutImage', on: 'repository', all: true, resources: [], conditional: false }],
      },
    ]);
  });

  it.each([
    ['a Resource list', { Resource: [REPO] }],
    ['a Resource pattern', { Resource: 'arn:aws:ecr:*:*:repository/*' }],
  ])('counts a resource-scoped Allow (%s) as allowed, marked resourceScoped', (_label, fields) => {
    const analysis = analyse([doc({ Effect: 'Allow', Action: 'ecr:PutImage', ...fields })]);
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.grants).toEqual([expect.objectContaining({ resourceScoped: true, conditional: false })]);
  });

  it('counts an Allow with a NotResource naming one repository as reaching every repository (all but one)', () => {
    const analysis = analyse([doc({ Effect: 'Allow', Action: 'ecr:PutImage', NotResource: REPO })]);
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.grants).toEqual([expect.objectContaining({ resourceScoped: false, conditional: false })]);
  });

  it('an Allow with NotResource * grants nothing', () => {
    const analysis = analyse([doc({ Effect: 'Allow', Action: 'ecr:PutImage', NotResource: '*' })]);
    expect(analysis.writeActions).toEqual([]);
    expect(analysis.grants).toEqual([]);
  });

  it('treats a Resource list containing * as covering every resource', () => {
    const analysis = analyse([doc(allow('ecr:PutImage', { Resource: [REPO, '*'] }))]);
    expect(analysis.grants).toEqual([expect.objectContaining({ resourceScoped: false })]);
  });

  it('counts a conditional Allow as allowed, marked conditional', () => {
    const condition = { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } };
    const analysis = analyse([doc(allow('ecr:PutImage', { Condition: condition }))]);
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.grants).toEqual([expect.objectContaining({ conditional: true, resourceScoped: false })]);
  });

  it.each([
    ['*', true, true],
    ['*:*', true, true],
    ['ecr:*', false, true],
    ['ecr-public:*', false, true],
    ['ecr:Put*', false, false],
    ['*:Put*', false, false],
  ])('Action %j: allServices %s, wholeService %s', (pattern, allServices, wholeService) => {
    expect(analyse([doc(allow(pattern))]).grants).toEqual([
      expect.objectContaining({ allServices, wholeService }),
    ]);
  });

  it('lists grants in policy order then statement order, each with only its own surviving actions', () => {
    const analysis = analyse([
      doc(allow('ecr:GetAuthorizationToken'), { Sid: 'B', ...allow(['ecr:PutImage', 'ecr:TagResource']) }),
      doc({ Sid: 'C', ...allow('ecr:*Image') }, deny('ecr:TagResource')),
    ]);
    expect(analysis.grants.map((grant) => [grant.policy.name, grant.statement, grant.actions])).toEqual([
      ['p0', 'B', ['ecr:PutImage']],
      ['p1', 'C', ['ecr:BatchDeleteImage', 'ecr:PutImage', 'ecr:ReplicateImage']],
    ]);
  });

  it('does not report statements whose write actions are all denied or tolerated', () => {
    const analysis = analyse([doc(allow(['ecr:PutImage', TOLERATED]), deny('ecr:PutImage'))]);
    expect(analysis.grants).toEqual([]);
    expect(analysis.allowed).toEqual([TOLERATED]);
  });
});

describe('denies', () => {
  it.each([
    ['an Action Deny', deny('ecr:Put*'), ECR_WRITES.filter((action) => !PUT_STAR.includes(action))],
    [
      'a NotAction Deny',
      { Effect: 'Deny', NotAction: ['ecr:Get*', 'ecr:Batch*'], Resource: '*' },
      ['ecr:BatchDeleteImage'],
    ],
    ['a Deny with * among its resources', deny('ecr:*', { Resource: [REPO, '*'] }), []],
    [
      'an empty Condition',
      deny('ecr:PutImage', { Condition: {} }),
      ECR_WRITES.filter((action) => action !== 'ecr:PutImage'),
    ],
  ])('an unconditional Deny on every resource removes actions: %s', (_label, denial, expected) => {
    const analysis = analyse([doc(allow('ecr:*'), denial)]);
    expect(analysis.writeActions).toEqual(expected);
    expect(analysis.denies.map((note) => note.kind)).toEqual(['unconditional']);
  });

  it('a NotAction Deny keeps exactly the actions its NotAction names', () => {
    const analysis = analyse([
      doc(allow('*'), { Effect: 'Deny', NotAction: ['ecr:Get*', 'ecr:Batch*'], Resource: '*' }),
    ]);
    expect(analysis.allowed).toEqual(ALL_ACTIONS.filter((action) => /^ecr:(Get|Batch)/.test(action)));
  });

  it.each([
    ['conditional', deny('ecr:PutImage', { Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } } })],
    ['resource-scoped', deny('ecr:PutImage', { Resource: REPO })],
    ['resource-scoped', { Effect: 'Deny', Action: 'ecr:PutImage', NotResource: REPO }],
    ['resource-scoped', { Effect: 'Deny', Action: 'ecr:PutImage', NotResource: '*' }],
    [
      'conditional',
      deny('ecr:PutImage', { Resource: REPO, Condition: { Bool: { 'aws:ViaAWSService': 'true' } } }),
    ],
  ] as const)('a %s Deny is reported but removes nothing', (kind, denial) => {
    const analysis = analyse([doc(allow('ecr:PutImage'), { Sid: 'D', ...denial })]);
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.denies).toEqual([{ policy: ref('p0'), statement: 'D', actions: ['ecr:PutImage'], kind }]);
  });

  it('reports an unconditional Deny with the write actions it removed', () => {
    const analysis = analyse([
      doc(allow(['ecr:PutImage', 'ecr:TagResource', 'ecr:GetAuthorizationToken'])),
      doc(deny('*')),
    ]);
    expect(analysis.writeActions).toEqual([]);
    expect(analysis.allowed).toEqual([]);
    expect(analysis.denies).toEqual([
      {
        policy: ref('p1'),
        statement: '0',
        actions: ['ecr:PutImage', 'ecr:TagResource'],
        kind: 'unconditional',
      },
    ]);
  });

  it('ignores Denies that touch no write action the identity policies allow', () => {
    expect(analyse([doc(allow('ecr:PutImage'), deny('ecr:Get*'), deny('s3:*'))]).denies).toEqual([]);
    expect(analyse([doc(deny('ecr:*'))]).denies).toEqual([]);
  });

  it('applies a Deny in one policy to Allows in another', () => {
    expect(analyse([doc(allow('ecr:*')), doc(deny('ecr:*'))]).writeActions).toEqual([]);
  });
});

describe('permissions boundary', () => {
  it('limits the result to identity ∩ boundary and reports what the boundary blocked', () => {
    const analysis = analyse([fullAccess], powerUser);
    expect(analysis.writeActions).toEqual(PUSH);
    expect(analysis.blockedByBoundary).toEqual(ECR_WRITES.filter((action) => !PUSH.includes(action)));
    expect(analysis.grants).toEqual([expect.objectContaining({ actions: PUSH, wholeService: true })]);
  });

  it('does not widen what the identity policies allow', () => {
    const analysis = analyse([powerUser], doc(allow('*')));
    expect(analysis.writeActions).toEqual(PUSH);
    expect(analysis.blockedByBoundary).toEqual([]);
  });

  it('applies the boundary’s own unconditional Deny', () => {
    const analysis = analyse(
      [doc(allow('ecr:*'))],
      doc(allow('*'), { Sid: 'NoPush', ...deny('ecr:PutImage') }),
    );
    expect(analysis.writeActions).toEqual(ECR_WRITES.filter((action) => action !== 'ecr:PutImage'));
    expect(analysis.blockedByBoundary).toEqual(['ecr:PutImage']);
    expect(analysis.denies).toEqual([
      expect.objectContaining({
        policy: ref('boundary', 'customer-managed'),
        statement: 'NoPush',
        kind: 'unconditional',
      }),
    ]);
  });

  it('counts a conditional or resource-scoped boundary Allow as allowing (conservative)', () => {
    const conditional = doc(
      allow('ecr:*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }),
    );
    expect(analyse([powerUser], conditional).writeActions).toEqual(PUSH);
    expect(analyse([powerUser], doc(allow('ecr:*', { Resource: REPO }))).writeActions).toEqual(PUSH);
  });

  it('keeps a resource that several boundary NotResource Allows all leave out blocked', () => {
    // fast-check seed 2041230018: the identity grants only on REPO, every boundary Allow applies to all but REPO.
    const identity = doc({ Effect: 'Allow', NotAction: 'ecr-public:*', Resource: REPO });
    const boundary = doc(
      { Effect: 'Allow', Action: '*', NotResource: REPO },
      { Effect: 'Allow', Action: 'ecr:*esource', NotResource: REPO },
    );
    const analysis = analyse([identity], boundary);
    expect(analysis.allowed).toEqual([]);
    expect(analysis.writeActions).toEqual([]);
    expect(analysis.blockedByBoundary).toEqual(
      expect.arrayContaining(['ecr:TagResource', 'ecr:UntagResource']),
    );
  });

  it('lets a resource through when another boundary Allow names what one NotResource Allow leaves out', () => {
    const identity = doc({ Effect: 'Allow', Action: 'ecr:TagResource', Resource: REPO });
    const boundary = doc(
      { Effect: 'Allow', Action: '*', NotResource: REPO },
      { Effect: 'Allow', Action: 'ecr:*esource', NotResource: 'arn:aws:ecr:*:*:repository/other' },
    );
    const analysis = analyse([identity], boundary);
    expect(analysis.writeActions).toEqual(['ecr:TagResource']);
    expect(analysis.blockedByBoundary).toEqual([]);
  });

  it('a boundary that allows no ECR write blocks them all', () => {
    const analysis = analyse([fullAccess, publicFullAccess], pullOnly);
    expect(analysis.writeActions).toEqual([]);
    expect(analysis.blockedByBoundary).toEqual(ALL_WRITES);
    expect(analysis.allowed).toEqual([
      'ecr:BatchGetImage',
      'ecr:BatchImportUpstreamImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
    ]);
  });

  it('does not report tolerated or identity-denied actions as blocked by the boundary', () => {
    const analysis = analyse(
      [doc(allow(['ecr:PutImage', TOLERATED, 'ecr:TagResource']), deny('ecr:TagResource'))],
      doc(allow('s3:*')),
    );
    expect(analysis.blockedByBoundary).toEqual(['ecr:PutImage']);
  });

  it.each([
    ['not JSON', '{"Statement": ['],
    ['no Statement', { Version: '2012-10-17' }],
    ['only malformed statements', doc({ Effect: 'Allow', Resource: '*' })],
  ])('an unusable boundary (%s) is treated as absent and listed as unusable', (_label, boundary) => {
    const analysis = analyse([powerUser], boundary);
    expect(analysis.writeActions).toEqual(PUSH);
    expect(analysis.blockedByBoundary).toEqual([]);
    expect(analysis.unusablePolicies).toEqual([ref('boundary', 'customer-managed')]);
    expect(analysis.warnings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          policy: ref('boundary', 'customer-managed'),
          statement: null,
          message: expect.stringMatching(/unusable policy: .*as if the role had no permissions boundary/),
        }),
      ]),
    );
  });
});

describe('AWS managed policies', () => {
  it.each([
    ['AmazonEC2ContainerRegistryReadOnly', readOnly],
    ['AmazonEC2ContainerRegistryPullOnly', pullOnly],
    ['AmazonEKSWorkerNodePolicy', workerNode],
    ['AmazonEKSWorkerNodeMinimalPolicy', workerNodeMinimal],
  ])('%s gives no write action', (_name, document) => {
    const analysis = analyse([document]);
    expect(analysis.writeActions).toEqual([]);
    expect(analysis.grants).toEqual([]);
  });

  it('AmazonEC2ContainerRegistryPullOnly allows exactly its four actions', () => {
    expect(analyse([pullOnly]).allowed).toEqual([
      'ecr:BatchGetImage',
      'ecr:BatchImportUpstreamImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
    ]);
  });

  it('AmazonEC2ContainerRegistryPowerUser gives exactly the push actions', () => {
    const analysis = analyse([powerUser]);
    expect(analysis.writeActions).toEqual(PUSH);
    expect(analysis.grants).toEqual([
      {
        policy: ref('p0'),
        statement: '0',
        actions: PUSH,
        resourceScoped: false,
        conditional: false,
        allServices: false,
        wholeService: false,
        reach: PUSH.map((action) => ({
          action,
          on: 'repository',
          all: true,
          resources: [],
          conditional: false,
        })),
      },
    ]);
  });

  it('AmazonEC2ContainerRegistryFullAccess gives every ecr write action (whole service)', () => {
    const analysis = analyse([fullAccess]);
    expect(analysis.writeActions).toEqual(ECR_WRITES);
    expect(analysis.writeActions).toHaveLength(34);
    expect(analysis.grants).toEqual([
      expect.objectContaining({ statement: '0', wholeService: true, allServices: false }),
    ]);
  });

  it('AmazonElasticContainerRegistryPublicFullAccess gives every ecr-public write action', () => {
    const analysis = analyse([publicFullAccess]);
    expect(analysis.writeActions).toEqual(PUBLIC_WRITES);
    expect(analysis.writeActions).toHaveLength(13);
    expect(analysis.grants).toEqual([expect.objectContaining({ wholeService: true, allServices: false })]);
  });

  it('AdministratorAccess gives every write action, allServices', () => {
    const analysis = analyse([
      { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
    ]);
    expect(analysis.writeActions).toEqual(ALL_WRITES);
    expect(analysis.grants).toEqual([expect.objectContaining({ allServices: true, wholeService: true })]);
  });

  it('the usual node role (worker node + PullOnly) is clean; adding FullAccess is not', () => {
    expect(analyse([workerNode, pullOnly]).writeActions).toEqual([]);
    const withFull = analyse([workerNode, pullOnly, fullAccess]);
    expect(withFull.writeActions).toEqual(ECR_WRITES);
    expect(withFull.grants.map((grant) => grant.policy.name)).toEqual(['p2']);
  });
});

describe('pull allowance', () => {
  it('removes the allowed actions from writeActions but keeps them in allowed', () => {
    const analysis = analyse([powerUser], null, { pullAllowance: pullAllowance(['ecr:PutImage']) });
    expect(analysis.writeActions).toEqual(PUSH.filter((action) => action !== 'ecr:PutImage'));
    expect(analysis.allowed).toContain('ecr:PutImage');
  });

  it('matches allowance entries case-insensitively and ignores unknown ones', () => {
    const options = { pullAllowance: new Set(['ECR:PUTIMAGE', 'not:AnAction']) };
    expect(analyse([powerUser], null, options).writeActions).toEqual(
      PUSH.filter((action) => action !== 'ecr:PutImage'),
    );
  });

  it('reads the allowance on every call (a set changed between calls is honoured)', () => {
    const allowance = new Set<string>();
    expect(analyse([powerUser], null, { pullAllowance: allowance }).writeActions).toEqual(PUSH);
    allowance.add('ecr:PutImage');
    const after = analyse([powerUser], null, { pullAllowance: allowance }).writeActions;
    expect(after).toEqual(PUSH.filter((action) => action !== 'ecr:PutImage'));
  });

  it('an empty allowance reports BatchImportUpstreamImage too', () => {
    expect(analyse([pullOnly], null, { pullAllowance: new Set() }).writeActions).toEqual([TOLERATED]);
  });
});

describe('document encodings and unusable input', () => {
  const json = JSON.stringify(powerUser, null, 2);

  it.each([
    ['a JSON string', json],
    ['a URL-encoded string', encodeURIComponent(json)],
  ])('analyses %s like the parsed document', (_label, document) => {
    expect(analyse([document])).toEqual(analyse([powerUser]));
  });

  it('names the right policy when the same document text is analysed under different names', () => {
    const text = JSON.stringify(
      doc({ Sid: 'Push', ...allow('ecr:PutImage') }, { Sid: 'Bad', Effect: 'Allow' }),
    );
    const first = analyseRolePolicies({ identity: [policy('first', text)], boundary: null }, OPTIONS);
    const second = analyseRolePolicies({ identity: [policy('second', text)], boundary: null }, OPTIONS);
    expect(first.grants.map((grant) => grant.policy.name)).toEqual(['first']);
    expect(second.grants.map((grant) => grant.policy.name)).toEqual(['second']);
    expect(second.warnings).toEqual([
      {
        policy: ref('second'),
        statement: 'Bad',
        message:
          'statement not understood (Action/NotAction): has neither Action nor NotAction; the role cannot be judged compliant',
      },
    ]);
  });

  it('lists an unusable identity policy, warns, and still analyses the others', () => {
    const analysis = analyse(['not json', powerUser, { Statement: [] }]);
    expect(analysis.writeActions).toEqual(PUSH);
    expect(analysis.unusablePolicies).toEqual([ref('p0'), ref('p2')]);
    expect(analysis.warnings).toEqual([
      expect.objectContaining({
        policy: ref('p0'),
        statement: null,
        message: expect.stringMatching(/^unusable policy: /),
      }),
      expect.objectContaining({
        policy: ref('p2'),
        statement: null,
        message: expect.stringMatching(/empty list/),
      }),
    ]);
  });

  it('fails closed on a Principal statement that could grant ECR write, naming policy, statement and element', () => {
    const analysis = analyse([
      doc(allow('ecr:TagResource'), { Sid: 'Trust', ...allow('ecr:*', { Principal: { AWS: '*' } }) }),
    ]);
    expect(analysis.writeActions).toEqual(['ecr:TagResource']);
    expect(analysis.warnings).toEqual([
      {
        policy: ref('p0'),
        statement: 'Trust',
        message: expect.stringMatching(/not understood \(Principal\): has Principal/),
      },
    ]);
    expect(analysis.unusablePolicies).toEqual([ref('p0')]);
    expect(analysis.notUnderstood).toEqual([
      expect.objectContaining({ policy: ref('p0'), statement: 'Trust', element: 'Principal' }),
    ]);
  });

  it('skips a Principal statement that names no ECR action without failing closed', () => {
    const analysis = analyse([
      doc(allow('ecr:TagResource'), {
        Sid: 'Trust',
        ...allow('sts:AssumeRole', { Principal: { Service: 'ec2' } }),
      }),
    ]);
    expect(analysis.warnings).toEqual([
      {
        policy: ref('p0'),
        statement: 'Trust',
        message: expect.stringMatching(/skipped: has Principal.*cannot grant ECR write/),
      },
    ]);
    expect(analysis.unusablePolicies).toEqual([]);
    expect(analysis.notUnderstood).toEqual([]);
  });

  it('skips malformed statements with a warning and keeps the good ones', () => {
    const analysis = analyse([
      doc({ Effect: 'Allow', Action: 'ecr:*' }, allow('ecr:PutImage'), allow([7]), { Effect: 'Permit' }),
    ]);
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.warnings.map((warning) => warning.statement)).toEqual(['0', '2', '3']);
  });

  it('a document whose statements are all malformed is unusable', () => {
    const analysis = analyse([doc({ Effect: 'Allow', Action: 'ecr:*' })]);
    expect(analysis.unusablePolicies).toEqual([ref('p0')]);
  });

  it('a role without policies is allowed nothing', () => {
    expect(analyse([])).toEqual({
      allowed: [],
      writeActions: [],
      grants: [],
      denies: [],
      blockedByBoundary: [],
      unusablePolicies: [],
      warnings: [],
      reach: [],
      notUnderstood: [],
    });
  });
});

/**
 * Hands deliberately ill-typed input to the analysis (what "never throws" is about). `Object(value)`
 * returns the value itself, untyped: the one place these tests step around the type system.
 */
function illTyped(value: unknown): RolePolicies {
  return Object(value);
}

describe('analyseRolePolicies never throws', () => {
  const hostile = new Proxy(
    {},
    {
      get() {
        throw new Error('boom');
      },
      has() {
        throw new Error('boom');
      },
    },
  );

  it.each([
    ['identity is not a list', { identity: 'nope', boundary: null }],
    ['identity entries are not objects', { identity: [null, 3, 'x'], boundary: null }],
    ['a policy without ref', { identity: [{ document: doc(allow('*')) }], boundary: undefined }],
    ['a hostile policy object', { identity: [hostile], boundary: hostile }],
    ['a hostile policies object', hostile],
  ])('%s', (_label, policies) => {
    const analysis = analyseRolePolicies(illTyped(policies), OPTIONS);
    expect(Array.isArray(analysis.writeActions)).toBe(true);
  });

  it('a policy without a valid ref still counts, under a placeholder name', () => {
    const analysis = analyseRolePolicies(
      illTyped({ identity: [{ document: doc(allow('ecr:PutImage')) }], boundary: null }),
      OPTIONS,
    );
    expect(analysis.writeActions).toEqual(['ecr:PutImage']);
    expect(analysis.grants[0]?.policy.name).toBe('(unnamed policy)');
  });

  it('reports a hostile input as unusable rather than compliant-looking', () => {
    const analysis = analyseRolePolicies(illTyped(hostile), OPTIONS);
    expect(analysis.unusablePolicies.length).toBeGreaterThan(0);
    expect(analysis.warnings[0]?.message).toMatch(/analysis failed: boom/);
  });

  it('on arbitrary documents and statement lists', () => {
    const statement = fc.record(
      {
        Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), fc.anything()),
        Action: fc.oneof(fc.string(), fc.array(fc.string()), fc.anything()),
        NotAction: fc.oneof(fc.string(), fc.anything()),
        Resource: fc.oneof(fc.constant('*'), fc.anything()),
        NotResource: fc.anything(),
        Condition: fc.anything(),
      },
      { requiredKeys: [] },
    );
    const document = fc.oneof(
      fc.anything(),
      fc.record({ Statement: fc.oneof(statement, fc.array(statement)) }),
    );
    fc.assert(
      fc.property(fc.array(document, { maxLength: 4 }), fc.option(document), (identity, boundary) => {
        const analysis = analyse(identity, boundary ?? null);
        for (const action of analysis.writeActions) expect(analysis.allowed).toContain(action);
      }),
      { numRuns: 500 },
    );
  });
});
