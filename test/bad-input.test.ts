// Bad input through the whole engine (parse at the edge → evaluate → decision): malformed events and odd policy
// documents each give `ignored` or `indeterminate` with a reason, never a crash and never a silent `compliant`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotAccountView } from '../lambda/account/snapshot-view';
import { evaluationSettings } from '../lambda/composition';
import { parseConfig } from '../lambda/config';
import { parseRoleChangeEvent } from '../lambda/events/role-change';
import { ChangeEvaluator } from '../lambda/usecases/evaluate-change';

const ROOT = join(__dirname, '..');
const SAMPLE = SnapshotAccountView.fromFile(join(ROOT, 'demo', 'sample-account.json'));
const settings = evaluationSettings(parseConfig({}), 'aws', () => '2026-11-22');
const PUT = JSON.parse(
  readFileSync(join(ROOT, 'test', 'events', 'fixtures', 'iam-PutRolePolicy.json'), 'utf8'),
);
const ATTACH = JSON.parse(
  readFileSync(join(ROOT, 'test', 'events', 'fixtures', 'iam-AttachRolePolicy.json'), 'utf8'),
);
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';

function withDetail(base: unknown, patch: (detail: Record<string, unknown>) => void): unknown {
  const copy = structuredClone(base) as { detail: Record<string, unknown> };
  patch(copy.detail);
  return copy;
}
const withParams = (base: unknown, params: unknown) =>
  withDetail(base, (d) => {
    d.requestParameters = params;
  });
const putDocument = (document: unknown) =>
  withParams(PUT, { roleName: NODE_ROLE, policyName: 'odd', policyDocument: document });

const MB = 'x'.repeat(1024 * 1024);

const malformedEvents: [string, unknown][] = [
  ['null', null],
  ['a number', 42],
  ['a string', 'AttachRolePolicy'],
  ['truncated JSON text', '{"detail": {"eventName": "AttachRolePolicy"'],
  ['an array', [ATTACH]],
  ['an empty object', {}],
  ['detail null', { ...ATTACH, detail: null }],
  ['detail an array', { ...ATTACH, detail: [] }],
  ['wrong source', { ...ATTACH, source: 'aws.s3' }],
  ['wrong detail-type', { ...ATTACH, 'detail-type': 'Scheduled Event' }],
  ['wrong eventSource', withDetail(ATTACH, (d) => (d.eventSource = 's3.amazonaws.com'))],
  ['unknown eventName', withDetail(ATTACH, (d) => (d.eventName = 'AttachUserPolicy'))],
  ['eventName a number', withDetail(ATTACH, (d) => (d.eventName = 7))],
  ['errorCode present', withDetail(ATTACH, (d) => (d.errorCode = 'AccessDenied'))],
  ['requestParameters null', withParams(ATTACH, null)],
  ['requestParameters a string', withParams(ATTACH, 'roleName=x')],
  ['missing roleName', withParams(ATTACH, { policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })],
  [
    'numeric roleName',
    withParams(ATTACH, { roleName: 12, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  ],
  [
    'empty roleName',
    withParams(ATTACH, { roleName: '', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  ],
  [
    '1 MB roleName',
    withParams(ATTACH, { roleName: MB, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }),
  ],
  ['policyArn not an ARN', withParams(ATTACH, { roleName: NODE_ROLE, policyArn: 'AdministratorAccess' })],
  ['policyArn an object', withParams(ATTACH, { roleName: NODE_ROLE, policyArn: { arn: 'x' } })],
  ['PutRolePolicy without document', withParams(PUT, { roleName: NODE_ROLE, policyName: 'x' })],
  [
    // An object document is accepted (other producers write one); an array is no document at all.
    'PutRolePolicy document an array',
    withParams(PUT, { roleName: NODE_ROLE, policyName: 'x', policyDocument: [] }),
  ],
  [
    // "true" / "false" are accepted as booleans; any other string is not one.
    'CreatePolicyVersion setAsDefault "yes"',
    {
      ...ATTACH,
      detail: {
        ...ATTACH.detail,
        eventName: 'CreatePolicyVersion',
        requestParameters: {
          policyArn: 'arn:aws:iam::111122223333:policy/eks-node-extra',
          policyDocument: '{}',
          setAsDefault: 'yes',
        },
      },
    },
  ],
  [
    'SetDefaultPolicyVersion with a bad version id',
    {
      ...ATTACH,
      detail: {
        ...ATTACH.detail,
        eventName: 'SetDefaultPolicyVersion',
        requestParameters: {
          policyArn: 'arn:aws:iam::111122223333:policy/eks-node-extra',
          versionId: 'latest',
        },
      },
    },
  ],
];

const oddDocuments: [string, unknown][] = [
  ['truncated JSON', '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*"'],
  ['null Statement', JSON.stringify({ Version: '2012-10-17', Statement: null })],
  ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
  ['Statement a number', JSON.stringify({ Statement: 5 })],
  ['numeric actions', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: [1, 2], Resource: '*' }] })],
  ['Effect missing', JSON.stringify({ Statement: [{ Action: 'ecr:PutImage', Resource: '*' }] })],
  [
    'Effect lower-case',
    JSON.stringify({ Statement: [{ Effect: 'allow', Action: 'ecr:PutImage', Resource: '*' }] }),
  ],
  [
    'both Action and NotAction',
    JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:*', NotAction: 's3:*', Resource: '*' }] }),
  ],
  [
    'a Principal in an identity policy',
    JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Resource: '*' }] }),
  ],
  ['a JSON array', '[]'],
  ['a JSON string of a string', JSON.stringify('{"Statement": []}x')],
  ['bad URL encoding', '%7B%22Statement%22%3A%ZZ'],
  [
    'a 1 MB document',
    JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*', Sid: MB }] }),
  ],
];

describe('malformed events', () => {
  it(`has at least 30 malformed events and documents in all (${malformedEvents.length + oddDocuments.length})`, () => {
    expect(malformedEvents.length + oddDocuments.length).toBeGreaterThanOrEqual(30);
  });

  it.each(malformedEvents)('%s → ignored with a reason', async (_name, raw) => {
    const change = parseRoleChangeEvent(raw);
    const decisions = await new ChangeEvaluator(SAMPLE, settings).evaluate(change);
    expect(decisions).toHaveLength(1);
    expect(decisions[0]?.verdict).toBe('ignored');
    expect(decisions[0]?.reason.length).toBeGreaterThan(5);
  });
});

describe('odd policy documents put on a node role', () => {
  it.each(oddDocuments)('%s → a decision with a reason, never compliant', async (_name, document) => {
    const change = parseRoleChangeEvent(putDocument(document));
    const evaluator = new ChangeEvaluator(
      change.kind === 'ignored' ? SAMPLE : SAMPLE.withChange(change),
      settings,
    );
    const decisions = await evaluator.evaluate(change);
    expect(decisions).toHaveLength(1);
    const [decision] = decisions;
    expect(['ignored', 'indeterminate', 'violation']).toContain(decision?.verdict);
    expect(decision?.reason.length).toBeGreaterThan(5);
    if (decision?.verdict === 'indeterminate') {
      expect(decision.unknownPolicies.map((p) => p.name)).toContain('odd');
    }
  });
});
