// Tests for the domain edge that decodes and normalises policy documents (encodings, shapes, malformed input).
import fc from 'fast-check';
import {
  MAX_POLICY_DOCUMENT_CHARS,
  type NormalisedStatement,
  type ParsedPolicyDocument,
  parsePolicyDocument,
} from '../../lambda/domain/policy-document';

const PUSH = {
  Version: '2012-10-17',
  Statement: [
    { Sid: 'Push', Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:UploadLayerPart'], Resource: '*' },
    {
      Effect: 'Deny',
      NotAction: 'ecr:Get*',
      NotResource: ['arn:aws:ecr:us-east-1:111122223333:repository/x'],
    },
  ],
};

function statementsOf(parsed: ParsedPolicyDocument): NormalisedStatement[] {
  if (!parsed.ok) throw new Error(`expected a usable document, got: ${parsed.error}`);
  return parsed.statements;
}

function errorOf(parsed: ParsedPolicyDocument): string {
  if (parsed.ok) throw new Error('expected an unusable document');
  return parsed.error;
}

function withStatement(statement: unknown): unknown {
  return { Version: '2012-10-17', Statement: [statement] };
}

describe('parsePolicyDocument: encodings', () => {
  const expected = [
    {
      label: 'Push',
      index: 0,
      effect: 'Allow',
      action: { kind: 'Action', patterns: ['ecr:PutImage', 'ecr:UploadLayerPart'] },
      resource: { kind: 'Resource', patterns: ['*'] },
      conditional: false,
      hasPrincipal: false,
    },
    {
      label: '1',
      index: 1,
      effect: 'Deny',
      action: { kind: 'NotAction', patterns: ['ecr:Get*'] },
      resource: { kind: 'NotResource', patterns: ['arn:aws:ecr:us-east-1:111122223333:repository/x'] },
      conditional: false,
      hasPrincipal: false,
    },
  ];
  const json = JSON.stringify(PUSH, null, 2);

  it.each([
    ['a parsed object', PUSH],
    ['a JSON string (CloudTrail requestParameters)', json],
    ['a compact JSON string', JSON.stringify(PUSH)],
    ['a URL-encoded JSON string (IAM API, RFC 3986)', encodeURIComponent(json)],
    ['a form-encoded JSON string (spaces as +)', encodeURIComponent(json).replaceAll('%20', '+')],
    ['a JSON string with a byte-order mark and surrounding blanks', `\uFEFF \n${json}\n `],
    ['a JSON string holding the JSON document (double-encoded)', JSON.stringify(json)],
  ])('accepts %s', (_label, input) => {
    expect(statementsOf(parsePolicyDocument(input))).toEqual(expected);
  });

  it('keeps a literal % in a plain JSON string (JSON is tried before URL-decoding)', () => {
    const doc = JSON.stringify(
      withStatement({ Sid: 'A', Effect: 'Allow', Action: 'ecr:Put%41', Resource: '*' }),
    );
    expect(statementsOf(parsePolicyDocument(doc))[0]?.action.patterns).toEqual(['ecr:Put%41']);
  });

  it.each([
    ['not JSON', 'this is not a policy', /not valid JSON/],
    ['a malformed URL escape', '%7B%22Statement%22%3A%E0%A4%A', /not valid JSON/],
    ['an empty string', '   ', /empty/],
    ['a JSON array', '[{"Effect":"Allow"}]', /must be a JSON object/],
    ['JSON null', 'null', /must be a JSON object/],
    ['a number', 42, /must be a JSON object/],
    ['undefined', undefined, /must be a JSON object/],
    ['null', null, /must be a JSON object/],
    ['an array', [PUSH], /must be a JSON object/],
    ['no Statement', { Version: '2012-10-17' }, /no Statement/],
    ['a null Statement', { Statement: null }, /Statement must be an object or a list/],
    ['a string Statement', { Statement: 'Allow everything' }, /Statement must be an object or a list/],
    ['an empty Statement list', { Statement: [] }, /empty list/],
  ])('rejects %s without throwing', (_label, input, message) => {
    expect(errorOf(parsePolicyDocument(input))).toMatch(message);
  });

  it('rejects a string larger than 1 MiB before parsing it', () => {
    const huge = `{"Statement":[${'{"Effect":"Allow","Action":"ecr:PutImage","Resource":"*"},'.repeat(20_000)}{}]}`;
    expect(huge.length).toBeGreaterThan(MAX_POLICY_DOCUMENT_CHARS);
    expect(errorOf(parsePolicyDocument(huge))).toMatch(/larger than 1 MiB/);
    expect(errorOf(parsePolicyDocument(encodeURIComponent(huge)))).toMatch(/larger than 1 MiB/);
  });

  it('rejects a parsed object whose content exceeds 1 MiB', () => {
    const statement = {
      Effect: 'Allow',
      Action: 'ecr:PutImage',
      Resource: `arn:aws:ecr:::${'x'.repeat(1000)}`,
    };
    const document = { Statement: Array.from({ length: 2000 }, () => statement) };
    expect(errorOf(parsePolicyDocument(document))).toMatch(/larger than 1 MiB/);
  });

  it('accepts a document just under the cap', () => {
    const statement = {
      Effect: 'Allow',
      Action: 'ecr:PutImage',
      Resource: `arn:aws:ecr:::${'x'.repeat(1000)}`,
    };
    const document = { Statement: Array.from({ length: 900 }, () => statement) };
    expect(statementsOf(parsePolicyDocument(document))).toHaveLength(900);
  });

  it('reports an unreadable object instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
      },
    );
    expect(errorOf(parsePolicyDocument(hostile))).toMatch(/unreadable: boom/);
  });
});

describe('parsePolicyDocument: statement shapes', () => {
  it('accepts Statement as a single object', () => {
    const parsed = parsePolicyDocument({ Statement: { Effect: 'Allow', Action: 'ecr:*', Resource: '*' } });
    expect(statementsOf(parsed)).toEqual([
      expect.objectContaining({ label: '0', action: { kind: 'Action', patterns: ['ecr:*'] } }),
    ]);
  });

  it.each([
    ['a string Action', { Action: 'ecr:PutImage' }, { kind: 'Action', patterns: ['ecr:PutImage'] }],
    [
      'an Action list',
      { Action: ['ecr:PutImage', 'ecr:Get*'] },
      { kind: 'Action', patterns: ['ecr:PutImage', 'ecr:Get*'] },
    ],
    ['a string NotAction', { NotAction: 'iam:*' }, { kind: 'NotAction', patterns: ['iam:*'] }],
    [
      'a NotAction list',
      { NotAction: ['iam:*', 's3:*'] },
      { kind: 'NotAction', patterns: ['iam:*', 's3:*'] },
    ],
  ])('normalises %s', (_label, fields, action) => {
    const [statement] = statementsOf(
      parsePolicyDocument(withStatement({ Effect: 'Allow', Resource: '*', ...fields })),
    );
    expect(statement?.action).toEqual(action);
  });

  it.each([
    ['a string Resource', { Resource: '*' }, { kind: 'Resource', patterns: ['*'] }],
    ['a Resource list', { Resource: ['arn:a', 'arn:b'] }, { kind: 'Resource', patterns: ['arn:a', 'arn:b'] }],
    ['a NotResource', { NotResource: 'arn:a' }, { kind: 'NotResource', patterns: ['arn:a'] }],
  ])('normalises %s', (_label, fields, resource) => {
    const [statement] = statementsOf(
      parsePolicyDocument(withStatement({ Effect: 'Deny', Action: 'ecr:*', ...fields })),
    );
    expect(statement?.resource).toEqual(resource);
  });

  it.each([
    ['no Condition', undefined, false],
    ['a null Condition', null, false],
    ['an empty Condition', {}, false],
    ['a Condition', { Bool: { 'aws:SecureTransport': 'true' } }, true],
  ])('treats %s as conditional: %s', (_label, condition, conditional) => {
    const [statement] = statementsOf(
      parsePolicyDocument(
        withStatement({ Effect: 'Allow', Action: 'ecr:*', Resource: '*', Condition: condition }),
      ),
    );
    expect(statement?.conditional).toBe(conditional);
  });

  it('labels statements by Sid, else by their index in the original list (skipped ones count)', () => {
    const parsed = parsePolicyDocument({
      Statement: [
        { Effect: 'Allow', Action: 'ecr:*', Resource: '*', Sid: 'First' },
        { Effect: 'Maybe', Action: 'ecr:*', Resource: '*' },
        { Effect: 'Allow', Action: 'ecr:*', Resource: '*', Sid: '' },
        { Effect: 'Allow', Action: 'ecr:*', Resource: '*', Sid: 7 },
      ],
    });
    expect(statementsOf(parsed).map((statement) => [statement.label, statement.index])).toEqual([
      ['First', 0],
      ['2', 2],
      ['3', 3],
    ]);
  });
});

describe('parsePolicyDocument: malformed statements are skipped with a warning', () => {
  const valid = { Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' };

  it.each([
    ['no Effect', { Action: 'ecr:*', Resource: '*' }, /Effect must be "Allow" or "Deny"/, 'Effect'],
    ['a lower-case Effect', { ...valid, Effect: 'allow' }, /Effect must be/, 'Effect'],
    ['a numeric Effect', { ...valid, Effect: 1 }, /Effect must be/, 'Effect'],
    [
      'both Action and NotAction',
      { ...valid, NotAction: 'iam:*' },
      /both Action and NotAction/,
      'Action/NotAction',
    ],
    [
      'neither Action nor NotAction',
      { Effect: 'Allow', Resource: '*' },
      /neither Action nor NotAction/,
      'Action/NotAction',
    ],
    [
      'an empty Action list',
      { ...valid, Action: [] },
      /Action must be a string or a non-empty list/,
      'Action',
    ],
    ['a numeric Action', { ...valid, Action: 42 }, /Action must be a string/, 'Action'],
    [
      'a numeric entry in Action',
      { ...valid, Action: ['ecr:PutImage', 42] },
      /Action must be a string/,
      'Action',
    ],
    ['a null Action', { ...valid, Action: null }, /Action must be a string/, 'Action'],
    [
      'an object NotAction',
      { Effect: 'Allow', NotAction: { a: 1 }, Resource: '*' },
      /NotAction must be/,
      'NotAction',
    ],
    [
      'no Resource',
      { Effect: 'Allow', Action: 'ecr:*' },
      /neither Resource nor NotResource/,
      'Resource/NotResource',
    ],
    [
      'both Resource and NotResource',
      { ...valid, NotResource: 'arn:a' },
      /both Resource and NotResource/,
      'Resource/NotResource',
    ],
    ['a non-string Resource entry', { ...valid, Resource: ['*', null] }, /Resource must be/, 'Resource'],
    ['a string Condition', { ...valid, Condition: 'always' }, /Condition must be an object/, 'Condition'],
    ['a list Condition', { ...valid, Condition: [] }, /Condition must be an object/, 'Condition'],
    ['a Principal', { ...valid, Principal: { AWS: '*' } }, /Principal\/NotPrincipal/, 'Principal'],
    [
      'a NotPrincipal',
      { ...valid, NotPrincipal: { AWS: 'arn:aws:iam::111122223333:root' } },
      /Principal/,
      'Principal',
    ],
    ['a null statement', null, /is not an object/, 'Statement'],
    ['a string statement', 'Allow ecr:*', /is not an object/, 'Statement'],
    ['a list statement', [valid], /is not an object/, 'Statement'],
  ])('%s', (_label, bad, message, element) => {
    const parsed = parsePolicyDocument({ Statement: [valid, bad] });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.statements).toHaveLength(1);
    expect(parsed.statements[0]?.label).toBe('0');
    expect(parsed.skipped).toEqual([
      expect.objectContaining({ label: '1', message: expect.stringMatching(message), element }),
    ]);
    expect(parsed.warnings).toEqual([expect.stringMatching(/^statement 1 skipped: /)]);
  });

  it('names the Sid of a skipped statement in the warning', () => {
    const parsed = parsePolicyDocument({ Statement: [{ Sid: 'Broken', Effect: 'Allow', Resource: '*' }] });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.statements).toEqual([]);
    expect(parsed.skipped).toEqual([
      {
        label: 'Broken',
        message: 'has neither Action nor NotAction',
        element: 'Action/NotAction',
        effect: 'Allow',
        actionPatterns: null,
      },
    ]);
    expect(parsed.warnings).toEqual(['statement 0 (Sid "Broken") skipped: has neither Action nor NotAction']);
  });

  it.each([
    ['a readable Effect and Action', { Effect: 'Deny', Action: ['s3:*'], Resource: 7 }, 'Deny', ['s3:*']],
    ['an unknown Effect', { Effect: 'Maybe', Action: 'ecr:PutImage', Resource: '*' }, null, ['ecr:PutImage']],
    [
      'a NotAction (what it allows is open)',
      { Effect: 'Allow', NotAction: 's3:*', Resource: [] },
      'Allow',
      null,
    ],
    ['an unreadable Action', { Effect: 'Allow', Action: [1], Resource: '*' }, 'Allow', null],
  ])('keeps what is readable of a skipped statement: %s', (_label, bad, effect, actionPatterns) => {
    const parsed = parsePolicyDocument({ Statement: [bad] });
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.skipped).toEqual([expect.objectContaining({ effect, actionPatterns })]);
  });

  it('keeps Principal statements when asked to (resource policies)', () => {
    const parsed = parsePolicyDocument(withStatement({ ...valid, Principal: '*' }), { allowPrincipal: true });
    expect(statementsOf(parsed)).toEqual([expect.objectContaining({ hasPrincipal: true, effect: 'Allow' })]);
  });
});

describe('parsePolicyDocument never throws', () => {
  it('on arbitrary values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true }),
        (input) => {
          const parsed = parsePolicyDocument(input);
          expect(typeof parsed.ok).toBe('boolean');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on arbitrary strings, plain or URL-encoded', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.boolean(), (text, encode) => {
        const parsed = parsePolicyDocument(encode ? encodeURIComponent(text) : text);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('on statement-shaped objects with random field values', () => {
    const field = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null))),
      fc.anything(),
    );
    const statement = fc.record({
      Sid: field,
      Effect: fc.oneof(fc.constantFrom('Allow', 'Deny'), field),
      Action: field,
      NotAction: field,
      Resource: field,
      NotResource: field,
      Condition: field,
      Principal: field,
    });
    fc.assert(
      fc.property(fc.oneof(statement, fc.array(statement)), (statements) => {
        const parsed = parsePolicyDocument({ Statement: statements });
        if (parsed.ok) {
          for (const normalised of parsed.statements) {
            expect(normalised.action.patterns.length).toBeGreaterThan(0);
            expect(normalised.resource.patterns.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
