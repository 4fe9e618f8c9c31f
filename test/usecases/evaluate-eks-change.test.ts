// Tests for the EKS/trust branch of "evaluate a change": the warm node-role index is forgotten on each EKS or
// trust change, the event is node-role evidence, and a trust policy that makes no node role costs no read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountView } from '../../lambda/account/account-view';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const settings = evaluationSettings(parseConfig({}), 'aws', () => '2026-11-22');
type Json = Record<string, unknown>;
const sample = (file: string): Json => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));

/** The sample account with every read and every invalidation counted. */
function countingView() {
  const inner = SnapshotAccountView.fromFile(join(ROOT, 'demo', 'sample-account.json'));
  const counts = { reads: 0, invalidations: 0 };
  const read = <T>(value: Promise<T>): Promise<T> => {
    counts.reads += 1;
    return value;
  };
  const view: AccountView = {
    accountId: inner.accountId,
    partition: inner.partition,
    getRole: (name) => read(inner.getRole(name)),
    getInlinePolicy: (role, policy) => read(inner.getInlinePolicy(role, policy)),
    getManagedPolicy: (arn) => read(inner.getManagedPolicy(arn)),
    getPolicyVersion: (arn, id) => read(inner.getPolicyVersion(arn, id)),
    rolesForPolicy: (arn) => read(inner.rolesForPolicy(arn)),
    eksInventory: () => read(inner.eksInventory()),
    invalidateNodeRoles: () => {
      counts.invalidations += 1;
    },
    managedPolicyQuota: () => read(inner.managedPolicyQuota()),
  };
  return { view, counts, evaluator: new ChangeEvaluator(view, settings) };
}

function trustEvent(roleName: string, statement: Json): Json {
  const raw = sample('iam-UpdateAssumeRolePolicy.json');
  const detail = raw.detail as Json;
  const policyDocument = JSON.stringify({ Version: '2012-10-17', Statement: [statement] });
  return { ...raw, detail: { ...detail, requestParameters: { roleName, policyDocument } } };
}

describe('EKS and trust changes', () => {
  it.each([
    'eks-CreateNodegroup.json',
    'eks-CreateAccessEntry.json',
    'eks-CreateCluster.json',
    'eks-CreateFargateProfile.json',
  ])('%s forgets the node-role index, then reads the role', async (file) => {
    const { evaluator, counts } = countingView();
    await evaluator.evaluate(parseRoleChangeEvent(sample(file)));
    expect(counts.invalidations).toBe(1);
    expect(counts.reads).toBeGreaterThan(0);
  });

  it('a CreateFargateProfile role absent from the account is ignored as gone', async () => {
    const { evaluator } = countingView();
    const [decision] = await evaluator.evaluate(
      parseRoleChangeEvent(sample('eks-CreateFargateProfile.json')),
    );
    expect(decision).toMatchObject({ verdict: 'ignored', reason: expect.stringMatching(/no longer exists/) });
  });

  it('a trust policy letting only EKS Pod Identity assume the role: answered from the change, no read, no invalidation', async () => {
    const { evaluator, counts } = countingView();
    const [decision] = await evaluator.evaluate(
      parseRoleChangeEvent(sample('iam-UpdateAssumeRolePolicy.json')),
    );
    expect(decision).toMatchObject({ verdict: 'compliant', scope: 'change' });
    expect(decision?.reason).toMatch(/adds no ECR write access and does not make the role a node role/);
    expect(counts).toEqual({ reads: 0, invalidations: 0 });
  });

  it.each([
    ['EC2', { Service: 'ec2.amazonaws.com' }],
    ['EKS Fargate', { Service: ['eks-fargate-pods.amazonaws.com'] }],
  ])(
    'a trust policy letting %s assume the role re-reads it after forgetting the index',
    async (_name, principal) => {
      const { evaluator, counts } = countingView();
      const raw = trustEvent('ci-image-builder', {
        Effect: 'Allow',
        Principal: principal,
        Action: 'sts:AssumeRole',
      });
      const [decision] = await evaluator.evaluate(parseRoleChangeEvent(raw));
      expect(counts.invalidations).toBe(1);
      expect(counts.reads).toBeGreaterThan(0);
      // The snapshot keeps the old trust (pods.eks): no heuristic, no EKS tie: not a node role.
      expect(decision?.role?.name).toBe('ci-image-builder');
    },
  );

  it('a Deny-only or NotPrincipal trust makes no node role; sts:AssumeRole must be covered', async () => {
    const { evaluator, counts } = countingView();
    const deny = trustEvent('ci-image-builder', {
      Effect: 'Deny',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const tagOnly = trustEvent('ci-image-builder', {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:TagSession',
    });
    for (const raw of [deny, tagOnly]) {
      const [decision] = await evaluator.evaluate(parseRoleChangeEvent(raw));
      expect(decision).toMatchObject({ verdict: 'compliant', scope: 'change' });
    }
    expect(counts.reads).toBe(0);
  });

  it('keeps the event evidence for a later re-read of the same event (the remediation verification)', async () => {
    const { evaluator } = countingView();
    const raw = sample('eks-CreateNodegroup.json');
    const detail = raw.detail as Json;
    const params = detail.requestParameters as Json;
    const change = parseRoleChangeEvent({
      ...raw,
      detail: {
        ...detail,
        requestParameters: { ...params, nodeRole: 'arn:aws:iam::111122223333:role/ci-image-builder' },
      },
    });
    const [first] = await evaluator.evaluate(change);
    expect(first).toMatchObject({ verdict: 'violation', role: { name: 'ci-image-builder' } });
    const again = await evaluator.evaluateRole('ci-image-builder', change.event);
    expect(again.verdict).toBe('violation');
    expect(again.nodeRole.evidence).toEqual([
      expect.objectContaining({ kind: 'managed-nodegroup', nodegroup: 'ng-1' }),
    ]);
    // Another event does not inherit it.
    const other = await evaluator.evaluateRole('ci-image-builder', { ...change.event, id: 'another-event' });
    expect(other.verdict).toBe('not-node-role');
  });
});
