// Tests for the edge parser of CloudTrail role-change events: reference samples, every supported call,
// a table of malformed inputs (each ignored with a reason, none throws), and a property check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  guardActorArn,
  type ParsedChange,
  parseRoleChangeEvent,
  SUPPORTED_EVENT_NAMES,
} from '../../lambda/events/role-change';

/** Copies of the reference samples in /work/shared/reference/events (kept in the repo for CI). */
const REFERENCE_DIR = join(__dirname, 'fixtures');
const readReference = (file: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(REFERENCE_DIR, file), 'utf8'));

type Json = Record<string, unknown>;

function record(value: unknown): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('expected an object');
  return Object.fromEntries(Object.entries(value));
}

/** A well-formed IAM event with the given name and request parameters (reference envelope). */
function iamEvent(eventName: string, requestParameters: unknown, detailExtra: Json = {}): Json {
  const sample = readReference('iam-AttachRolePolicy.json');
  return { ...sample, detail: { ...record(sample.detail), eventName, requestParameters, ...detailExtra } };
}

const ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const EXTRA = 'arn:aws:iam::111122223333:policy/eks-node-extra';
const DOC = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}';

function isKind<K extends ParsedChange['kind']>(
  change: ParsedChange,
  kind: K,
): change is Extract<ParsedChange, { kind: K }> {
  return change.kind === kind;
}

function expectKind<K extends ParsedChange['kind']>(
  change: ParsedChange,
  kind: K,
): Extract<ParsedChange, { kind: K }> {
  expect(change.kind).toBe(kind);
  if (!isKind(change, kind)) throw new Error(`expected ${kind}, got ${change.kind}`);
  return change;
}

describe('reference samples', () => {
  it('AttachRolePolicy → role-policy-attached with role name and policy ARN', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-AttachRolePolicy.json')),
      'role-policy-attached',
    );
    expect(change.roleName).toBe(ROLE);
    expect(change.policyArn).toBe(FULL_ACCESS);
  });

  it('AttachRolePolicy with errorCode AccessDenied → ignored, naming the error code', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-AttachRolePolicy-AccessDenied.json')),
      'ignored',
    );
    expect(change.reason).toContain('AccessDenied');
    expect(change.event.name).toBe('AttachRolePolicy');
  });

  it('PutRolePolicy → role-policy-put carrying the plain JSON string document', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-PutRolePolicy.json')),
      'role-policy-put',
    );
    expect(change.roleName).toBe(ROLE);
    expect(change.policyName).toBe('ci-push-images');
    expect(typeof change.document).toBe('string');
    expect(JSON.parse(String(change.document)).Statement[0].Action).toEqual(['ecr:*']);
  });

  it('CreatePolicyVersion (setAsDefault true) → policy-version with versionId from the response', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-CreatePolicyVersion.json')),
      'policy-version',
    );
    expect(change.policyArn).toBe(EXTRA);
    expect(change.versionId).toBe('v3');
    expect(typeof change.document).toBe('string');
  });

  it('SetDefaultPolicyVersion → policy-version with versionId from the request and no document', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-SetDefaultPolicyVersion.json')),
      'policy-version',
    );
    expect(change).toMatchObject({ policyArn: EXTRA, versionId: 'v2', document: null });
  });

  it('DetachRolePolicy → role-policy-detached with the role and the policy ARN', () => {
    const change = expectKind(
      parseRoleChangeEvent(readReference('iam-DetachRolePolicy.json')),
      'role-policy-detached',
    );
    expect(change).toMatchObject({
      roleName: 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F',
      policyArn: FULL_ACCESS,
    });
    expect(change.event).toMatchObject({ name: 'DetachRolePolicy', policy: { arn: FULL_ACCESS } });
  });

  it.each(['eks-CreateNodegroup.json', 'eks-CreateAccessEntry.json'])(
    '%s → an EKS node-role change (parsed in eks-change.ts)',
    (file) => {
      expectKind(parseRoleChangeEvent(readReference(file)), 'eks-node-role');
    },
  );

  it('fills the event summary from the CloudTrail record', () => {
    const change = parseRoleChangeEvent(readReference('iam-AttachRolePolicy.json'));
    expect(change.event).toEqual({
      id: 'c7a0b2d4-2222-4e5f-8a9b-000000000001',
      name: 'AttachRolePolicy',
      time: '2026-11-20T09:15:42Z',
      actor:
        'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_0123456789abcdef/alice@example.com',
      sourceIp: '203.0.113.10',
      userAgent: expect.stringContaining('aws-cli/2.22.0'),
      account: '111122223333',
      policy: {
        arn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
        name: 'AmazonEC2ContainerRegistryFullAccess',
        versionId: null,
      },
    });
  });

  it('names the inline policy of a PutRolePolicy and the version of a CreatePolicyVersion', () => {
    expect(parseRoleChangeEvent(readReference('iam-PutRolePolicy.json')).event.policy).toEqual({
      arn: null,
      name: 'ci-push-images',
      versionId: null,
    });
    expect(parseRoleChangeEvent(readReference('iam-CreatePolicyVersion.json')).event.policy).toEqual({
      arn: 'arn:aws:iam::111122223333:policy/eks-node-extra',
      name: 'eks-node-extra',
      versionId: 'v3',
    });
  });
});

describe('the other supported calls', () => {
  it('PutRolePermissionsBoundary → boundary-put', () => {
    const boundary = 'arn:aws:iam::111122223333:policy/eks-node-boundary';
    const change = parseRoleChangeEvent(
      iamEvent('PutRolePermissionsBoundary', { roleName: 'prod-batch-nodes', permissionsBoundary: boundary }),
    );
    expect(change).toMatchObject({
      kind: 'boundary-put',
      roleName: 'prod-batch-nodes',
      boundaryArn: boundary,
    });
  });

  it('DeleteRolePermissionsBoundary → boundary-deleted', () => {
    const change = parseRoleChangeEvent(
      iamEvent('DeleteRolePermissionsBoundary', { roleName: 'prod-batch-nodes' }),
    );
    expect(change).toMatchObject({ kind: 'boundary-deleted', roleName: 'prod-batch-nodes' });
  });

  it('DeleteRolePolicy → role-policy-deleted; a missing policy name is ignored with the field named', () => {
    const change = parseRoleChangeEvent(
      iamEvent('DeleteRolePolicy', {
        roleName: 'prod-batch-nodes',
        policyName: 'eks-ecr-guard-deny-ecr-write',
      }),
    );
    expect(change).toMatchObject({
      kind: 'role-policy-deleted',
      roleName: 'prod-batch-nodes',
      policyName: 'eks-ecr-guard-deny-ecr-write',
    });
    const bad = parseRoleChangeEvent(iamEvent('DeleteRolePolicy', { roleName: 'prod-batch-nodes' }));
    expect(bad.kind).toBe('ignored');
    expect(bad.kind === 'ignored' ? bad.reason : '').toContain('requestParameters.policyName');
  });

  it('CreatePolicyVersion without a response keeps the document and a null versionId', () => {
    const change = parseRoleChangeEvent(
      iamEvent(
        'CreatePolicyVersion',
        { policyArn: EXTRA, policyDocument: DOC, setAsDefault: true },
        { responseElements: null },
      ),
    );
    expect(change).toMatchObject({ kind: 'policy-version', versionId: null, document: DOC });
  });

  it('CreatePolicyVersion without a document still reports the change (the version is read from IAM)', () => {
    const change = parseRoleChangeEvent(
      iamEvent('CreatePolicyVersion', { policyArn: EXTRA, setAsDefault: true }),
    );
    expect(change).toMatchObject({ kind: 'policy-version', document: null });
  });

  it('accepts policy ARNs of other partitions and role names with every allowed character', () => {
    const change = parseRoleChangeEvent(
      iamEvent('AttachRolePolicy', {
        roleName: 'a+b=c,d.e@f_g-h',
        policyArn: 'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
      }),
    );
    expect(change).toMatchObject({ kind: 'role-policy-attached', roleName: 'a+b=c,d.e@f_g-h' });
  });

  describe('tolerant input: shapes other producers write', () => {
    const OBJECT_DOC = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }],
    };

    it('PutRolePolicy with the document as a JSON object keeps the object', () => {
      const change = parseRoleChangeEvent(
        iamEvent('PutRolePolicy', { roleName: ROLE, policyName: 'p', policyDocument: OBJECT_DOC }),
      );
      expect(change).toMatchObject({ kind: 'role-policy-put', document: OBJECT_DOC });
    });

    it('PutRolePolicy with a URL-encoded document string keeps it as sent (the analysis decodes it)', () => {
      const encoded = encodeURIComponent(JSON.stringify(OBJECT_DOC));
      const change = parseRoleChangeEvent(
        iamEvent('PutRolePolicy', { roleName: ROLE, policyName: 'p', policyDocument: encoded }),
      );
      expect(change).toMatchObject({ kind: 'role-policy-put', document: encoded });
    });

    it('CreatePolicyVersion with the document as a JSON object keeps the object', () => {
      const change = parseRoleChangeEvent(
        iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: OBJECT_DOC, setAsDefault: true }),
      );
      expect(change).toMatchObject({ kind: 'policy-version', document: OBJECT_DOC });
    });

    it.each(['true', 'TRUE', 'True'])('setAsDefault %j reads as true', (flag) => {
      const change = parseRoleChangeEvent(
        iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: DOC, setAsDefault: flag }),
      );
      expect(change).toMatchObject({ kind: 'policy-version', policyArn: EXTRA });
    });

    it.each(['false', 'FALSE'])('setAsDefault %j reads as false: not the default, ignored', (flag) => {
      const change = expectKind(
        parseRoleChangeEvent(
          iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: DOC, setAsDefault: flag }),
        ),
        'ignored',
      );
      expect(change.reason).toContain('did not set the new version as default');
    });
  });

  it('keeps a large policy document (IAM, not the parser, decides its fate)', () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [], Padding: 'x'.repeat(200_000) });
    const change = parseRoleChangeEvent(
      iamEvent('PutRolePolicy', { roleName: ROLE, policyName: 'p', policyDocument: big }),
    );
    expect(change.kind).toBe('role-policy-put');
  });

  it('exports exactly the eight supported event names', () => {
    expect([...SUPPORTED_EVENT_NAMES].sort()).toEqual(
      [
        'AttachRolePolicy',
        'DetachRolePolicy',
        'CreatePolicyVersion',
        'DeleteRolePermissionsBoundary',
        'DeleteRolePolicy',
        'PutRolePermissionsBoundary',
        'PutRolePolicy',
        'SetDefaultPolicyVersion',
        'UpdateAssumeRolePolicy',
      ].sort(),
    );
  });
});

describe('malformed and out-of-scope input → ignored with a specific reason, never thrown', () => {
  const base = (): Json => readReference('iam-AttachRolePolicy.json');
  const withDetail = (patch: Json): Json => ({ ...base(), detail: { ...record(base().detail), ...patch } });
  const withParams = (params: unknown): Json => withDetail({ requestParameters: params });
  const mega = 'r'.repeat(1024 * 1024);
  const truncated = JSON.stringify(base()).slice(0, 200);

  const cases: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['null', null, /null/],
    ['undefined', undefined, /missing/],
    ['a number', 42, /number/],
    ['a boolean', true, /boolean/],
    ['an array', [base()], /array/],
    ['a truncated JSON string', truncated, /string/],
    ['a complete JSON string (events arrive parsed)', JSON.stringify(base()), /string/],
    ['an empty object', {}, /not an EventBridge event/],
    ['detail null', { ...base(), detail: null }, /detail is null/],
    ['detail an array', { ...base(), detail: [] }, /detail is array/],
    ['detail a string', { ...base(), detail: 'AttachRolePolicy' }, /detail is string/],
    ['envelope id a number', { ...base(), id: 7 }, /id: expected string, got number/],
    ['resources not an array', { ...base(), resources: 'none' }, /resources/],
    ['source aws.ecs', { ...base(), source: 'aws.ecs' }, /unsupported source "aws.ecs"/],
    ['source 1 MB long', { ...base(), source: mega }, /unsupported source/],
    [
      'another detail-type',
      { ...base(), 'detail-type': 'AWS Console Sign In via CloudTrail' },
      /detail-type/,
    ],
    [
      'another eventSource',
      withDetail({ eventSource: 'sts.amazonaws.com' }),
      /eventSource "sts.amazonaws.com"/,
    ],
    [
      'eventSource missing',
      withDetail({ eventSource: undefined }),
      /detail.eventSource: expected string \(missing\)/,
    ],
    ['eventName a number', withDetail({ eventName: 12 }), /detail.eventName: expected string, got number/],
    [
      'an unknown eventName',
      withDetail({ eventName: 'CreateRole' }),
      /"CreateRole" is not one the guard evaluates/,
    ],
    ['eventName 1 MB long', withDetail({ eventName: mega }), /is not one the guard evaluates/],
    ['errorCode present', withDetail({ errorCode: 'NoSuchEntity' }), /errorCode "NoSuchEntity"/],
    ['errorCode an object', withDetail({ errorCode: { code: 'x' } }), /errorCode of type object/],
    ['requestParameters null', withParams(null), /requestParameters: expected object, got null/],
    [
      'requestParameters an array',
      withParams([ROLE, FULL_ACCESS]),
      /requestParameters: expected object, got array/,
    ],
    [
      'roleName missing',
      withParams({ policyArn: FULL_ACCESS }),
      /requestParameters.roleName: expected string \(missing\)/,
    ],
    [
      'roleName a number',
      withParams({ roleName: 12345, policyArn: FULL_ACCESS }),
      /roleName: expected string, got number/,
    ],
    [
      'roleName empty',
      withParams({ roleName: '', policyArn: FULL_ACCESS }),
      /roleName: not a valid IAM role name/,
    ],
    [
      'roleName with a slash',
      withParams({ roleName: 'team/nodes', policyArn: FULL_ACCESS }),
      /not a valid IAM role name/,
    ],
    [
      'roleName 1 MB long',
      withParams({ roleName: mega, policyArn: FULL_ACCESS }),
      /roleName: longer than 64 characters/,
    ],
    [
      'policyArn not an ARN',
      withParams({ roleName: ROLE, policyArn: 'AmazonEC2ContainerRegistryFullAccess' }),
      /not an IAM managed policy ARN/,
    ],
    [
      'policyArn a role ARN',
      withParams({ roleName: ROLE, policyArn: 'arn:aws:iam::111122223333:role/x' }),
      /not an IAM managed policy ARN/,
    ],
    [
      'policyArn 1 MB long',
      withParams({ roleName: ROLE, policyArn: `arn:aws:iam::aws:policy/${mega}` }),
      /policyArn: longer than 2048/,
    ],
    [
      'PutRolePolicy without a document',
      iamEvent('PutRolePolicy', { roleName: ROLE, policyName: 'p' }),
      /policyDocument: expected a JSON string or object \(missing\)/,
    ],
    [
      'PutRolePolicy with an array document',
      iamEvent('PutRolePolicy', {
        roleName: ROLE,
        policyName: 'p',
        policyDocument: [{ Version: '2012-10-17' }],
      }),
      /policyDocument: expected a JSON string or object, got array/,
    ],
    [
      'PutRolePolicy with a 1 MB policy name',
      iamEvent('PutRolePolicy', { roleName: ROLE, policyName: mega, policyDocument: DOC }),
      /policyName: longer than 128 characters/,
    ],
    [
      'CreatePolicyVersion with setAsDefault false',
      iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: DOC, setAsDefault: false }),
      /not set the new version as default/,
    ],
    [
      'CreatePolicyVersion without setAsDefault',
      iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: DOC }),
      /not set the new version as default/,
    ],
    [
      'CreatePolicyVersion with setAsDefault "yes" (a string that is no boolean)',
      iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: DOC, setAsDefault: 'yes' }),
      /setAsDefault: expected true, false, "true" or "false", got string/,
    ],
    [
      'CreatePolicyVersion with a numeric document',
      iamEvent('CreatePolicyVersion', { policyArn: EXTRA, policyDocument: 7, setAsDefault: true }),
      /policyDocument: expected a JSON string or object, got number/,
    ],
    [
      'SetDefaultPolicyVersion with a bad versionId',
      iamEvent('SetDefaultPolicyVersion', { policyArn: EXTRA, versionId: 'latest' }),
      /versionId: not a policy version id/,
    ],
    [
      'SetDefaultPolicyVersion with a 1 MB versionId',
      iamEvent('SetDefaultPolicyVersion', { policyArn: EXTRA, versionId: `v${'1'.repeat(1024 * 1024)}` }),
      /versionId: longer than 64 characters/,
    ],
    [
      'PutRolePermissionsBoundary without the boundary',
      iamEvent('PutRolePermissionsBoundary', { roleName: ROLE }),
      /permissionsBoundary: expected string \(missing\)/,
    ],
    [
      'DeleteRolePermissionsBoundary with a numeric roleName',
      iamEvent('DeleteRolePermissionsBoundary', { roleName: 1 }),
      /roleName: expected string, got number/,
    ],
  ];

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('%s', (_label, input, reason) => {
    let change: ParsedChange | undefined;
    expect(() => {
      change = parseRoleChangeEvent(input);
    }).not.toThrow();
    expect(change?.kind).toBe('ignored');
    if (change?.kind === 'ignored') expect(change.reason).toMatch(reason);
  });

  it('keeps long values out of reasons and summaries', () => {
    const change = parseRoleChangeEvent(withDetail({ eventName: mega }));
    if (change.kind !== 'ignored') throw new Error('expected ignored');
    expect(change.reason.length).toBeLessThan(400);
    expect(change.event.name?.length).toBeLessThanOrEqual(1025);
  });

  it('still summarises what it can of an ignored event', () => {
    const change = parseRoleChangeEvent(withDetail({ errorCode: 'AccessDenied' }));
    expect(change.event).toMatchObject({
      id: 'c7a0b2d4-2222-4e5f-8a9b-000000000001',
      account: '111122223333',
    });
  });

  it('falls back to the envelope id, time and account when the record lacks them', () => {
    const change = parseRoleChangeEvent(
      withDetail({
        eventID: undefined,
        eventTime: 5,
        recipientAccountId: undefined,
        userIdentity: { invokedBy: 'eks.amazonaws.com' },
      }),
    );
    expect(change.event).toMatchObject({
      id: '1d2c3b4a-0001-4e1f-9a8b-aaaaaaaaaaa1',
      time: '2026-11-20T09:15:42Z',
      account: '111122223333',
      actor: 'eks.amazonaws.com',
    });
  });

  it('survives objects whose properties throw when read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        has() {
          throw new Error('boom');
        },
        getOwnPropertyDescriptor() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    const change = parseRoleChangeEvent(hostile);
    expect(change.kind).toBe('ignored');
  });

  it('never throws on arbitrary values, nor on arbitrary detail/requestParameters', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(parseRoleChangeEvent(value).kind).toBe('ignored');
        const mutated = parseRoleChangeEvent(withParams(value));
        expect(['ignored', 'role-policy-attached']).toContain(mutated.kind);
        expect(() => parseRoleChangeEvent({ ...base(), detail: value })).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

describe('guardActorArn', () => {
  const issuer =
    'arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef';

  it('reads the session issuer ARN from a CloudTrail record', () => {
    expect(guardActorArn(readReference('iam-AttachRolePolicy.json').detail)).toBe(issuer);
  });

  it('also accepts the whole EventBridge event', () => {
    expect(guardActorArn(readReference('iam-AttachRolePolicy-AccessDenied.json'))).toBe(
      'arn:aws:iam::111122223333:role/ci-deployer',
    );
  });

  it.each([
    [
      'an IAM user (no session context)',
      { userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/bob' } },
    ],
    ['a non-string issuer ARN', { userIdentity: { sessionContext: { sessionIssuer: { arn: 5 } } } }],
    ['null', null],
    ['a string', 'detail'],
  ])('is null for %s', (_label, input) => {
    expect(guardActorArn(input)).toBeNull();
  });
});
