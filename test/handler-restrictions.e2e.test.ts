// End-to-end (issue 10, "state, not change"): the real event pipeline over the in-memory AWS when a change takes a
// restriction away from an EKS node role that also holds FullAccess (an inline Deny deleted, a managed Deny policy
// detached, a default version without its Deny, a narrower boundary replaced by a wider one), and what the
// removals cost in AWS calls on a node role and on a role that is not one.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AttachRolePolicyCommand,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { buildDependencies, type Dependencies, evaluationSettings } from '../lambda/composition';
import { type LambdaSettings, parseConfig } from '../lambda/config';
import { guardPolicyDocument } from '../lambda/domain/decision';
import { parseRoleChangeEvent } from '../lambda/events/role-change';
import { FakeAws } from '../lambda/in-memory-aws/fake-aws';
import { replayRecordedCall, seedRecordedPrecondition } from '../lambda/in-memory-aws/replay';
import { handleEvent } from '../lambda/usecases/handle-event';

const ROOT = join(__dirname, '..');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const SAMPLE_ACCOUNT: unknown = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const NOT_NODE_ROLE = 'ci-image-builder';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
/** Denies every catalogue write action, as the guard's own policy does (under any other name here). */
const DENY_WRITES: unknown = JSON.parse(
  guardPolicyDocument(evaluationSettings(parseConfig({}), 'aws').writeActionsToDeny),
);
const ALLOW_ALL = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const ALLOW_LOGS = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
};

interface Harness {
  readonly fake: FakeAws;
  readonly deps: Dependencies;
  /** Seeds what the recorded call implies, replays it, forgets the calls so far, then handles the event. */
  run(raw: unknown): Promise<Awaited<ReturnType<typeof handleEvent>>>;
  /** The role's whole state now, as the guard decides it (a check, not an event). */
  verdictOf(roleName: string): Promise<string>;
}

function harness(): Harness {
  const fake = FakeAws.fromSnapshot(SAMPLE_ACCOUNT);
  const settings: LambdaSettings = {
    config: parseConfig({ mode: 'alert' }),
    partition: 'aws',
    accountId: '111122223333',
    alertTopicArn: fake.addTopic('eks-ecr-guard-alerts'),
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: null,
  };
  const deps = buildDependencies(settings, fake.clients(), {
    sleep: async () => undefined,
    today: () => '2026-11-22',
  });
  return {
    fake,
    deps,
    async run(raw) {
      await seedRecordedPrecondition(fake.iamClient(), raw);
      await replayRecordedCall(fake.iamClient(), raw);
      fake.resetCalls();
      return handleEvent(deps, raw);
    },
    async verdictOf(roleName) {
      const event = parseRoleChangeEvent(null).event;
      return (await deps.evaluator.evaluateRole(roleName, event)).verdict;
    },
  };
}

/** A recorded IAM event of `eventName` with these request parameters (the reference sample's envelope). */
function iamEvent(
  eventName: string,
  requestParameters: Record<string, unknown>,
  responseElements: unknown = null,
): unknown {
  const raw = JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8')) as {
    detail: Record<string, unknown>;
  };
  return {
    ...raw,
    detail: { ...raw.detail, eventName, requestParameters, responseElements, eventID: `evt-${eventName}` },
  };
}

describe('removing a Deny from a node role that also holds FullAccess is a violation on the event path', () => {
  it('DeleteRolePolicy of an inline Deny (not the guard’s own)', async () => {
    const h = harness();
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    await h.fake.iamClient().send(
      new PutRolePolicyCommand({
        RoleName: NODE_ROLE,
        PolicyName: 'team-deny-ecr-write',
        PolicyDocument: JSON.stringify(DENY_WRITES),
      }),
    );
    expect(await h.verdictOf(NODE_ROLE)).toBe('compliant');

    const result = await h.run(
      iamEvent('DeleteRolePolicy', { roleName: NODE_ROLE, policyName: 'team-deny-ecr-write' }),
    );
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', role: NODE_ROLE })]);
    expect(result.details[0]?.decision.scope).toBe('role');
    expect(result.details[0]?.decision.ecrWriteActions).toContain('ecr:PutImage');
    expect(h.fake.published).toHaveLength(1);
  });

  it('DetachRolePolicy of a customer managed Deny policy', async () => {
    const h = harness();
    const denyArn = h.fake.addPolicy({ name: 'deny-ecr-write', document: DENY_WRITES });
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: denyArn }));
    expect(await h.verdictOf(NODE_ROLE)).toBe('compliant');

    const result = await h.run(iamEvent('DetachRolePolicy', { roleName: NODE_ROLE, policyArn: denyArn }));
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', role: NODE_ROLE })]);
    expect(h.fake.roleState(NODE_ROLE).attached).not.toContain(denyArn);
  });

  it('CreatePolicyVersion (setAsDefault given as the string "true", document as an object) without the Deny', async () => {
    const h = harness();
    const guardrailArn = h.fake.addPolicy({ name: 'ecr-guardrail', document: DENY_WRITES });
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    await h.fake
      .iamClient()
      .send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: guardrailArn }));
    expect(await h.verdictOf(NODE_ROLE)).toBe('compliant');

    // The new default grants nothing itself: only the role's whole state shows the hole.
    const result = await h.run(
      iamEvent(
        'CreatePolicyVersion',
        { policyArn: guardrailArn, policyDocument: ALLOW_LOGS, setAsDefault: 'true' },
        { policyVersion: { versionId: 'v2', isDefaultVersion: true } },
      ),
    );
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', role: NODE_ROLE })]);
    expect(h.fake.policyState(guardrailArn)?.defaultVersionId).toBe('v2');
  });

  it('SetDefaultPolicyVersion back to a version without the Deny', async () => {
    const h = harness();
    const guardrailArn = h.fake.addPolicy({
      name: 'ecr-guardrail',
      versions: [
        { versionId: 'v1', document: ALLOW_LOGS },
        { versionId: 'v2', document: DENY_WRITES, isDefaultVersion: true },
      ],
    });
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    await h.fake
      .iamClient()
      .send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: guardrailArn }));
    expect(await h.verdictOf(NODE_ROLE)).toBe('compliant');

    const result = await h.run(
      iamEvent('SetDefaultPolicyVersion', { policyArn: guardrailArn, versionId: 'v1' }),
    );
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', role: NODE_ROLE })]);
  });

  it('PutRolePermissionsBoundary: a narrower boundary replaced by a wider one', async () => {
    const h = harness();
    const wideArn = h.fake.addPolicy({ name: 'wide-boundary', document: ALLOW_ALL });
    await h.fake.iamClient().send(new AttachRolePolicyCommand({ RoleName: NODE_ROLE, PolicyArn: FULL }));
    await h.fake
      .iamClient()
      .send(new PutRolePermissionsBoundaryCommand({ RoleName: NODE_ROLE, PermissionsBoundary: READ_ONLY }));
    expect(await h.verdictOf(NODE_ROLE)).toBe('compliant');

    const result = await h.run(
      iamEvent('PutRolePermissionsBoundary', { roleName: NODE_ROLE, permissionsBoundary: wideArn }),
    );
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', role: NODE_ROLE })]);
    expect(h.fake.roleBoundary(NODE_ROLE)).toBe(wideArn);
  });
});

describe('what a removal costs (AWS calls, warm cache)', () => {
  const reads = (fake: FakeAws): string[] =>
    fake.calls.filter((call) => call.service !== 'sns').map((call) => `${call.service}:${call.command}`);
  const ROLE_LOOKUP = ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:ListRolePolicies'];

  /** A harness whose node-role inventory is cached (one event has run). */
  async function warm(): Promise<Harness> {
    const h = harness();
    await h.run(iamEvent('AttachRolePolicy', { roleName: 'prod-gpu-nodes', policyArn: FULL }));
    expect(h.fake.callCount('eks')).toBeGreaterThan(0);
    return h;
  }

  it.each([
    ['DetachRolePolicy', { policyArn: FULL }],
    ['DeleteRolePolicy', { policyName: 'ci-extra' }],
  ])(
    '%s on a role that is not a node role: the role lookup only, as an attach costs there',
    async (name, params) => {
      const h = await warm();
      await h.run(iamEvent('AttachRolePolicy', { roleName: NOT_NODE_ROLE, policyArn: FULL }));
      const attachCalls = reads(h.fake);
      expect(attachCalls).toEqual(ROLE_LOOKUP);

      const result = await h.run(iamEvent(name, { roleName: NOT_NODE_ROLE, ...params }));
      expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'not-node-role' })]);
      expect(reads(h.fake)).toEqual(ROLE_LOOKUP);
    },
  );

  it('DetachRolePolicy and DeleteRolePolicy on a node role cost no more than an attach on the same role', async () => {
    const h = await warm();
    await h.run(iamEvent('AttachRolePolicy', { roleName: NODE_ROLE, policyArn: FULL }));
    const attach = reads(h.fake).length;
    expect(reads(h.fake)).toEqual(expect.arrayContaining(ROLE_LOOKUP));

    await h.run(iamEvent('DetachRolePolicy', { roleName: NODE_ROLE, policyArn: FULL }));
    const detach = reads(h.fake);
    expect(detach.slice(0, 3)).toEqual(ROLE_LOOKUP);
    expect(detach.length).toBeLessThanOrEqual(attach);

    await h.run(iamEvent('AttachRolePolicy', { roleName: NODE_ROLE, policyArn: FULL }));
    const attachAgain = reads(h.fake).length;
    await h.run(iamEvent('DeleteRolePolicy', { roleName: NODE_ROLE, policyName: 'team-extra' }));
    expect(reads(h.fake).length).toBeLessThanOrEqual(attachAgain);
  });
});

describe('the enabled Regions (no eksRegions configured)', () => {
  it('are read once per node-role cache TTL, shared by the inventory and the usage lookup', async () => {
    const h = harness();
    const raw: unknown = JSON.parse(readFileSync(join(FIXTURES, 'iam-AttachRolePolicy.json'), 'utf8'));
    await h.run(raw);
    // The second event (a violation: its usage lookup searches every enabled Region) reads no Region list again.
    const second = await h.run(raw);
    expect(second.outcomes.map((outcome) => outcome.verdict)).toContain('violation');
    expect(h.fake.calls.filter((call) => call.command === 'ListRegions')).toEqual([]);
  });
});
