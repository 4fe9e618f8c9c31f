// Test support: random role policy sets written from the IAM policy grammar (Action/NotAction,
// Resource/NotResource with repository, registry and foreign ARNs, partial wildcards, Deny, conditions,
// boundaries), in the form @cloud-copilot/iam-simulate accepts (no wildcard in an action's service part).
import fc from 'fast-check';
import { ECR_CATALOGUE } from '../../lambda/domain/catalogue';

export const ACCOUNT = '111122223333';
/** The context key the generated conditions test, and the value that makes them true. */
export const CONDITION_KEY = 'aws:RequestedRegion';
export const CONDITION_VALUE = 'us-east-1';

const ACTIONS = ECR_CATALOGUE.map((entry) => entry.action);

/** Concrete resources the simulator is asked about, per resource form. */
export const CONCRETE_RESOURCES = {
  'ecr:repository': [
    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
    `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/ci-build`,
    `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team/api`,
  ],
  'ecr-public:repository': [`arn:aws:ecr-public::${ACCOUNT}:repository/app`],
  'ecr-public:registry': [`arn:aws:ecr-public::${ACCOUNT}:registry/${ACCOUNT}`],
  /** Actions without a resource type are requested on `*`. */
  none: ['*'],
} as const;

/** A catalogue action with a slice of its name replaced by `*` or one character by `?`; service kept. */
const fragmentPattern: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...ACTIONS), fc.nat(30), fc.nat(8), fc.constantFrom('star', 'question', 'exact'))
  .map(([action, a, b, shape]) => {
    const colon = action.indexOf(':');
    const name = action.slice(colon + 1);
    const start = a % name.length;
    const end = Math.min(name.length, start + b);
    const prefix = action.slice(0, colon + 1);
    if (shape === 'exact') return action;
    if (shape === 'question') return `${prefix}${name.slice(0, start)}?${name.slice(start + 1)}`;
    return `${prefix}${name.slice(0, start)}*${name.slice(end)}`;
  });

const fixedAction = fc.constantFrom(
  '*',
  'ecr:*',
  'ecr-public:*',
  'ecr:Put*',
  'ecr:PutRegistry*',
  'ecr:*Image',
  'ecr:Get*',
  'ecr:BatchGetImage',
  'ecr:GetAuthorizationToken',
  'ECR:putimage',
  's3:*',
  'iam:PassRole',
);

const actionPattern = fc.oneof(
  { weight: 3, arbitrary: fragmentPattern },
  { weight: 2, arbitrary: fixedAction },
);

const resourcePattern = fc.constantFrom(
  '*',
  '*',
  `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`,
  `arn:aws:ecr:*:${ACCOUNT}:repository/ci-*`,
  'arn:aws:ecr:*:*:repository/*',
  'arn:aws:ecr:us-east-1:*:repository/*',
  `arn:aws:ecr:*:${ACCOUNT}:repository/team/*`,
  'arn:aws:ecr:*:*:*',
  'arn:aws:ecr-public::*:repository/*',
  'arn:aws:ecr-public::*:registry/*',
  'arn:aws:ecr-public::*:*',
  'arn:aws:s3:::bucket/*',
  'arn:*',
);

const CONDITION = { StringEquals: { [CONDITION_KEY]: CONDITION_VALUE } };

export interface GrammarStatement {
  readonly Effect: 'Allow' | 'Deny';
  readonly [key: string]: unknown;
}

export interface GrammarPolicy {
  readonly Version: '2012-10-17';
  readonly Statement: readonly GrammarStatement[];
}

export interface GrammarRole {
  readonly identity: readonly GrammarPolicy[];
  readonly boundary: GrammarPolicy | null;
}

const statement: fc.Arbitrary<GrammarStatement> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    actionKind: fc.constantFrom('Action', 'Action', 'Action', 'NotAction'),
    actions: fc.array(actionPattern, { minLength: 1, maxLength: 3 }),
    resourceKind: fc.constantFrom('Resource', 'Resource', 'Resource', 'NotResource'),
    resources: fc.array(resourcePattern, { minLength: 1, maxLength: 3 }),
    conditional: fc.constantFrom(false, false, true),
  })
  .map(({ effect, actionKind, actions, resourceKind, resources, conditional }) => ({
    Effect: effect,
    [actionKind]: actions.length === 1 ? actions[0] : actions,
    [resourceKind]: resources.length === 1 ? resources[0] : resources,
    ...(conditional ? { Condition: CONDITION } : {}),
  }));

/** Statements the grammar allows but whose meaning is doubtful (empty lists): the simulator reads them as granting. */
const oddStatement = fc.constantFrom<GrammarStatement>(
  { Effect: 'Allow', NotAction: [], Resource: '*' },
  { Effect: 'Allow', Action: 'ecr:*', NotResource: [] },
  { Effect: 'Allow', Action: 'ecr:PutImage', NotResource: [] },
);

const policy: fc.Arbitrary<GrammarPolicy> = fc
  .array(fc.oneof({ weight: 40, arbitrary: statement }, { weight: 1, arbitrary: oddStatement }), {
    minLength: 1,
    maxLength: 4,
  })
  .map((statements) => ({ Version: '2012-10-17', Statement: statements }));

export const grammarRole: fc.Arbitrary<GrammarRole> = fc.record({
  identity: fc.array(policy, { minLength: 1, maxLength: 3 }),
  boundary: fc.option(policy, { freq: 3 }),
});
