// Use-case tests for "evaluate a change" over the offline sample account: the analysis' fail-closed rule and
// its resource precision seen through the public path (a PutRolePolicy event on the sample node role).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import type { Decision } from '../../lambda/domain/types';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = SnapshotAccountView.fromFile(join(ROOT, 'demo', 'sample-account.json'));
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const settings = evaluationSettings(parseConfig({}), 'aws', () => '2026-11-22');
const FIXTURE = join(ROOT, 'test', 'events', 'fixtures', 'iam-PutRolePolicy.json');

/** The sample PutRolePolicy event with another inline policy document (a JSON string, as CloudTrail has it). */
function putRolePolicy(statements: readonly unknown[]): unknown {
  const raw: unknown = JSON.parse(readFileSync(FIXTURE, 'utf8'));
  if (typeof raw !== 'object' || raw === null || !('detail' in raw)) throw new Error('unexpected fixture');
  const detail = typeof raw.detail === 'object' && raw.detail !== null ? raw.detail : {};
  const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: statements });
  return {
    ...raw,
    detail: {
      ...detail,
      requestParameters: { roleName: NODE_ROLE, policyName: 'under-test', policyDocument },
    },
  };
}

async function decide(statements: readonly unknown[]): Promise<Decision> {
  const change = parseRoleChangeEvent(putRolePolicy(statements));
  const [decision, ...others] = await new ChangeEvaluator(SAMPLE.withChange(change), settings).evaluate(
    change,
  );
  expect(others).toEqual([]);
  if (decision === undefined) throw new Error('no decision');
  return decision;
}

const REPOSITORY = 'arn:aws:ecr:us-east-1:111122223333:repository/app';

describe('fail closed through evaluate', () => {
  it.each([
    ['an empty NotAction', { Effect: 'Allow', NotAction: [], Resource: '*' }, 'NotAction'],
    ['an empty NotResource', { Effect: 'Allow', Action: 'ecr:PutImage', NotResource: [] }, 'NotResource'],
    ['an unknown Effect', { Effect: 'Permit', Action: 'ecr:*', Resource: '*' }, 'Effect'],
    ['a non-string action', { Effect: 'Allow', Action: ['ecr:PutImage', 7], Resource: '*' }, 'Action'],
  ])('%s gives indeterminate, naming the element, never compliant', async (_name, statement, element) => {
    const decision = await decide([statement]);
    expect(decision.verdict).toBe('indeterminate');
    expect(decision.scope).toBe('role');
    expect(decision.reason).toContain(
      `could not interpret ${element} in inline policy under-test statement 0`,
    );
    expect(decision.notUnderstood).toEqual([expect.objectContaining({ element, statement: '0' })]);
  });

  it('an unreadable statement beside a certain ECR write grant is still a violation', async () => {
    const decision = await decide([
      { Effect: 'Allow', NotAction: [], Resource: '*' },
      { Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' },
    ]);
    expect(decision.verdict).toBe('violation');
    expect(decision.unknownPolicies).toEqual([expect.objectContaining({ name: 'under-test' })]);
  });

  it('an unreadable Deny, or an Allow of other services only, does not fail closed', async () => {
    const decision = await decide([
      { Effect: 'Deny', Action: 'ecr:*', Resource: 42 },
      { Effect: 'Allow', Action: 's3:GetObject' },
    ]);
    expect(decision.verdict).toBe('compliant');
  });
});

describe('resource precision through evaluate', () => {
  it('a registry-level action allowed on a repository ARN grants nothing: no violation', async () => {
    const decision = await decide([
      {
        Effect: 'Allow',
        Action: ['ecr:PutRegistryPolicy', 'ecr:PutReplicationConfiguration'],
        Resource: REPOSITORY,
      },
    ]);
    expect(decision.verdict).not.toBe('violation');
    expect(decision.ecrWriteActions).toEqual([]);
  });

  it('a grant scoped to repository patterns is a medium violation that says what it reaches', async () => {
    const decision = await decide([
      { Effect: 'Allow', Action: 'ecr:PutImage', Resource: 'arn:aws:ecr:*:*:repository/ci-*' },
    ]);
    expect(decision.verdict).toBe('violation');
    expect(decision.severity).toBe('medium');
    expect(decision.reach).toEqual([
      {
        action: 'ecr:PutImage',
        on: 'repository',
        all: false,
        resources: ['arn:aws:ecr:*:*:repository/ci-*'],
        conditional: false,
      },
    ]);
  });

  it('a Deny on every repository of the partition removes an Allow on *', async () => {
    const decision = await decide([
      { Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' },
      { Effect: 'Deny', Action: 'ecr:PutImage', Resource: 'arn:aws:ecr:*:*:repository/*' },
    ]);
    expect(decision.verdict).not.toBe('violation');
    expect(decision.ecrWriteActions).toEqual([]);
  });

  it('a conditional Allow still counts, and its reach says so', async () => {
    const decision = await decide([
      {
        Effect: 'Allow',
        Action: 'ecr:PutImage',
        Resource: '*',
        Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } },
      },
    ]);
    expect(decision.verdict).toBe('violation');
    expect(decision.grants).toEqual([expect.objectContaining({ conditional: true })]);
    expect(decision.reach).toEqual([
      expect.objectContaining({ action: 'ecr:PutImage', all: true, conditional: true }),
    ]);
  });
});
