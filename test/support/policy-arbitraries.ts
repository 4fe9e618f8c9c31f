// Test support: fast-check arbitraries for random role policy sets, built from ECR catalogue fragments.
// Each generated statement keeps the structured spec it was built from, so an oracle can evaluate the
// spec while the analyser gets the raw (possibly encoded) document.
import fc from 'fast-check';
import { ECR_CATALOGUE } from '../../lambda/domain/catalogue';

export const REPOSITORY_ARN = 'arn:aws:ecr:us-east-1:111122223333:repository/app';
const ACTIONS = ECR_CATALOGUE.map((entry) => entry.action);

export interface StatementSpec {
  readonly effect: 'Allow' | 'Deny';
  readonly actionKind: 'Action' | 'NotAction';
  readonly patterns: readonly string[];
  readonly resourceKind: 'Resource' | 'NotResource';
  readonly resources: readonly string[];
  readonly conditional: boolean;
  /** false when the raw statement was deliberately broken; the analyser must skip it. */
  readonly valid: boolean;
  readonly raw: unknown;
}

export interface DocumentSpec {
  /** null when the document is deliberately unusable (not JSON). */
  readonly statements: readonly StatementSpec[] | null;
  /** What the analyser receives: object, JSON string or URL-encoded JSON string. */
  readonly document: unknown;
}

export interface RolePolicySpec {
  readonly identity: readonly DocumentSpec[];
  readonly boundary: DocumentSpec | null;
  readonly extraAllowance: readonly string[];
}

function withRandomCase(text: string, flips: readonly boolean[]): string {
  return [...text]
    .map((char, index) => (flips[index] === true ? char.toUpperCase() : char.toLowerCase()))
    .join('');
}

/** A catalogue action with a random slice replaced by `*`, a character by `?`, or kept, then re-cased. */
const fragmentPattern: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(...ACTIONS),
    fc.nat(40),
    fc.nat(40),
    fc.constantFrom('star', 'star', 'question', 'exact', 'prefix', 'suffix'),
    fc.option(fc.array(fc.boolean(), { maxLength: 45 }), { freq: 2 }),
  )
  .map(([action, a, b, shape, flips]) => {
    const start = Math.min(a, b) % action.length;
    const end = Math.min(action.length, start + (Math.max(a, b) % 8));
    const colon = action.indexOf(':');
    const shaped = {
      star: `${action.slice(0, start)}*${action.slice(end)}`,
      question: `${action.slice(0, start)}?${action.slice(start + 1)}`,
      exact: action,
      prefix: `${action.slice(0, colon + 1 + (a % 6))}*`,
      suffix: `${action.slice(0, colon + 1)}*${action.slice(action.length - (b % 8))}`,
    }[shape];
    return flips === null ? shaped : withRandomCase(shaped, flips);
  });

const fixedPattern = fc.constantFrom(
  '*',
  '*:*',
  'ecr:*',
  'ecr-public:*',
  'ecr*:*',
  'ECR:*',
  'ecr:Put*',
  'ecr:Get*',
  'ecr:Batch*',
  'ecr:*Image',
  'ecr:?utImage',
  's3:*',
  'iam:PassRole',
  'sts:GetServiceBearerToken',
  'PutImage',
  'Put*',
  '',
);

export const actionPattern: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fragmentPattern },
  { weight: 2, arbitrary: fixedPattern },
);

const resources = fc.constantFrom<readonly string[]>(
  ['*'],
  ['*'],
  [REPOSITORY_ARN],
  [REPOSITORY_ARN, '*'],
  ['arn:aws:ecr:*:*:repository/*'],
);

const CONDITION = { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } };

type Breakage = 'none' | 'no-effect' | 'numeric-action' | 'principal' | 'both-actions' | 'no-resource';

function rawStatement(
  spec: Omit<StatementSpec, 'raw' | 'valid'>,
  asList: boolean,
  sid: string | null,
  breakage: Breakage,
) {
  const raw: Record<string, unknown> = {
    Effect: spec.effect,
    [spec.actionKind]: asList || spec.patterns.length !== 1 ? [...spec.patterns] : spec.patterns[0],
    [spec.resourceKind]: spec.resources.length === 1 ? spec.resources[0] : [...spec.resources],
  };
  if (sid !== null) raw.Sid = sid;
  if (spec.conditional) raw.Condition = CONDITION;
  else if (asList) raw.Condition = {};
  switch (breakage) {
    case 'no-effect':
      delete raw.Effect;
      break;
    case 'numeric-action':
      raw[spec.actionKind] = [...spec.patterns, 42];
      break;
    case 'principal':
      raw.Principal = { AWS: '*' };
      break;
    case 'both-actions':
      raw.Action = 'ecr:*';
      raw.NotAction = 'iam:*';
      break;
    case 'no-resource':
      delete raw[spec.resourceKind];
      break;
  }
  return raw;
}

export const statementSpec: fc.Arbitrary<StatementSpec> = fc
  .record({
    effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Allow', 'Deny'),
    actionKind: fc.constantFrom<'Action' | 'NotAction'>('Action', 'Action', 'Action', 'NotAction'),
    patterns: fc.array(actionPattern, { minLength: 1, maxLength: 4 }),
    resourceKind: fc.constantFrom<'Resource' | 'NotResource'>(
      'Resource',
      'Resource',
      'Resource',
      'NotResource',
    ),
    resources,
    conditional: fc.boolean(),
    asList: fc.boolean(),
    sid: fc.option(fc.constantFrom('Push', 'Admin', 'NoDelete', 'S1')),
    breakage: fc.oneof(
      { weight: 12, arbitrary: fc.constant<Breakage>('none') },
      {
        weight: 1,
        arbitrary: fc.constantFrom<Breakage>(
          'no-effect',
          'numeric-action',
          'principal',
          'both-actions',
          'no-resource',
        ),
      },
    ),
  })
  .map(({ asList, sid, breakage, ...spec }) => ({
    ...spec,
    valid: breakage === 'none',
    raw: rawStatement(spec, asList, sid, breakage),
  }));

type Encoding = 'object' | 'json' | 'url' | 'garbage';

export const documentSpec: fc.Arbitrary<DocumentSpec> = fc
  .record({
    statements: fc.array(statementSpec, { minLength: 1, maxLength: 4 }),
    single: fc.boolean(),
    encoding: fc.oneof(
      { weight: 12, arbitrary: fc.constantFrom<Encoding>('object', 'json', 'url') },
      { weight: 1, arbitrary: fc.constant<Encoding>('garbage') },
    ),
  })
  .map(({ statements, single, encoding }) => {
    const rawStatements = statements.map((statement) => statement.raw);
    const body = {
      Version: '2012-10-17',
      Statement: single && rawStatements.length === 1 ? rawStatements[0] : rawStatements,
    };
    const document = {
      object: body,
      json: JSON.stringify(body, null, 1),
      url: encodeURIComponent(JSON.stringify(body)),
      garbage: '{"Version": "2012-10-17", "Statement": [',
    }[encoding];
    return { statements: encoding === 'garbage' ? null : statements, document };
  });

export const rolePolicySpec: fc.Arbitrary<RolePolicySpec> = fc.record({
  identity: fc.array(documentSpec, { minLength: 1, maxLength: 4 }),
  boundary: fc.option(documentSpec, { freq: 3 }),
  extraAllowance: fc.subarray([...ACTIONS], { maxLength: 3 }),
});
