// Use-case tests for "evaluate a change" over the offline snapshot view: every reference sample event, every
// bundled managed policy on a node role, cheap-first short cuts, and the AccessDenied / NoSuchEntity paths.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountView } from '../../lambda/account/account-view';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { guardPolicyDocument } from '../../lambda/domain/decision';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import type { Decision } from '../../lambda/domain/types';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = SnapshotAccountView.fromFile(join(ROOT, 'demo', 'sample-account.json'));
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const settings = evaluationSettings(parseConfig({}), 'aws', () => '2026-11-22');

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** Evaluates a raw event against the sample account with the change replayed onto it (as the CLI does). */
async function evaluateOnSample(raw: unknown, view: SnapshotAccountView = SAMPLE): Promise<Decision[]> {
  const change = parseRoleChangeEvent(raw);
  return new ChangeEvaluator(view.withChange(change), settings).evaluate(change);
}

function attachEvent(roleName: string, policyArn: string): unknown {
  const raw = readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'));
  const event = structuredClone(raw) as { detail: { requestParameters: Record<string, string> } };
  event.detail.requestParameters = { roleName, policyArn };
  return event;
}

describe('the reference sample events (../shared/reference/events)', () => {
  it('the fixtures are exact copies of the shared reference samples when those are present', () => {
    const shared = join(ROOT, '..', 'shared', 'reference', 'events');
    let names: string[];
    try {
      names = readdirSync(shared).filter((f) => f.endsWith('.json') && f !== 'eventbridge-patterns.json');
    } catch {
      return; // shared/ is not beside this clone: the committed copies are the reference
    }
    expect(names.sort()).toEqual(readdirSync(FIXTURES).sort());
    for (const name of names) expect(readJson(join(FIXTURES, name))).toEqual(readJson(join(shared, name)));
  });

  it.each([
    ['iam-AttachRolePolicy.json', [['violation', 'high', NODE_ROLE]]],
    ['iam-AttachRolePolicy-AccessDenied.json', [['ignored', null, null]]],
    ['iam-PutRolePolicy.json', [['violation', 'high', NODE_ROLE]]],
    // The sample role never held FullAccess: detaching it leaves the role as it is, decided on its whole state.
    ['iam-DetachRolePolicy.json', [['compliant', null, NODE_ROLE]]],
    [
      'iam-CreatePolicyVersion.json',
      [
        ['violation', 'high', 'KarpenterNodeRole-prod'],
        ['violation', 'high', NODE_ROLE],
      ],
    ],
    [
      'iam-SetDefaultPolicyVersion.json',
      [
        ['compliant', null, 'KarpenterNodeRole-prod'],
        ['compliant', null, NODE_ROLE],
      ],
    ],
    // The sample's node roles of these calls hold only pull access (FullAccess cases: evaluate-eks-change.test.ts).
    ['eks-CreateNodegroup.json', [['compliant', null, NODE_ROLE]]],
    ['eks-CreateAccessEntry.json', [['compliant', null, 'KarpenterNodeRole-prod']]],
  ])('%s', async (file, expected) => {
    const decisions = await evaluateOnSample(readJson(join(FIXTURES, file)));
    expect(decisions.map((d) => [d.verdict, d.severity, d.role?.name ?? null])).toEqual(expected);
    for (const d of decisions) expect(d.reason.length).toBeGreaterThan(10);
  });

  it('the FullAccess attach names who, what, where and the plan', async () => {
    const [decision] = await evaluateOnSample(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json')));
    expect(decision).toMatchObject({
      event: { name: 'AttachRolePolicy', actor: expect.stringContaining('alice@example.com') },
      role: { name: NODE_ROLE, arn: `arn:aws:iam::111122223333:role/${NODE_ROLE}` },
      nodeRole: {
        evidence: expect.arrayContaining([
          expect.objectContaining({
            kind: 'managed-nodegroup',
            region: 'eu-west-1',
            cluster: 'prod',
            nodegroup: 'ng-1',
          }),
        ]),
      },
      plan: [
        // ReadOnly is already attached to this role: only the detach is needed.
        {
          op: 'DetachRolePolicy',
          roleName: NODE_ROLE,
          policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
        },
      ],
    });
    expect(decision?.ecrWriteActions).toContain('ecr:PutImage');
    expect(decision?.grants.map((g) => g.policy.name)).toEqual(['AmazonEC2ContainerRegistryFullAccess']);
  });
});

describe('each shipped managed policy attached to a node role', () => {
  it.each([
    ['AmazonEC2ContainerRegistryReadOnly', 'compliant'],
    ['AmazonEC2ContainerRegistryPullOnly', 'compliant'],
    ['AmazonEKSWorkerNodePolicy', 'compliant'],
    ['AmazonEKSWorkerNodeMinimalPolicy', 'compliant'],
    ['AmazonEC2ContainerRegistryFullAccess', 'violation'],
    ['AmazonEC2ContainerRegistryPowerUser', 'violation'],
    ['AmazonElasticContainerRegistryPublicFullAccess', 'violation'],
    ['AdministratorAccess', 'violation'],
    ['PowerUserAccess', 'violation'],
  ])('%s → %s', async (name, verdict) => {
    // The Karpenter role starts compliant and is known only by its EC2_LINUX access entry.
    const [decision] = await evaluateOnSample(
      attachEvent('KarpenterNodeRole-prod', `arn:aws:iam::aws:policy/${name}`),
    );
    expect(decision?.verdict).toBe(verdict);
  });

  it('PowerUser grants exactly the four push actions', async () => {
    const [decision] = await evaluateOnSample(
      attachEvent('KarpenterNodeRole-prod', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser'),
    );
    expect(decision?.ecrWriteActions).toEqual([
      'ecr:CompleteLayerUpload',
      'ecr:InitiateLayerUpload',
      'ecr:PutImage',
      'ecr:UploadLayerPart',
    ]);
    expect(decision?.severity).toBe('high');
  });

  it('AdministratorAccess is critical and gets the guard policy, never a detach', async () => {
    const [decision] = await evaluateOnSample(
      attachEvent('KarpenterNodeRole-prod', 'arn:aws:iam::aws:policy/AdministratorAccess'),
    );
    expect(decision?.severity).toBe('critical');
    expect(decision?.plan.map((s) => s.op)).toEqual(['PutRolePolicy']);
  });

  it('ECR Public FullAccess writes only ecr-public actions and is swapped', async () => {
    const [decision] = await evaluateOnSample(
      attachEvent(
        'KarpenterNodeRole-prod',
        'arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess',
      ),
    );
    expect(decision?.ecrWriteActions.every((a) => a.startsWith('ecr-public:'))).toBe(true);
    expect(decision?.plan).toEqual([
      {
        op: 'DetachRolePolicy',
        roleName: 'KarpenterNodeRole-prod',
        policyArn: 'arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess',
      },
    ]);
  });

  it('the same policy on a role that is not a node role is not-node-role', async () => {
    const [decision] = await evaluateOnSample(
      attachEvent('ci-image-builder', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess'),
    );
    expect(decision?.verdict).toBe('not-node-role');
  });
});

/** A view that records which methods were called and can refuse some of them. */
function spyView(inner: AccountView, refuse: Partial<Record<keyof AccountView, true>> = {}) {
  const calls: string[] = [];
  const wrap =
    <K extends keyof AccountView>(name: K) =>
    async (...args: unknown[]) => {
      calls.push(name);
      if (refuse[name]) throw new ReadAccessDeniedError(`view.${name}`, String(args[0] ?? ''));
      const method = inner[name];
      return typeof method === 'function'
        ? (method as (...a: unknown[]) => unknown).apply(inner, args)
        : method;
    };
  const view = {
    accountId: inner.accountId,
    partition: inner.partition,
    getRole: wrap('getRole'),
    getInlinePolicy: wrap('getInlinePolicy'),
    getManagedPolicy: wrap('getManagedPolicy'),
    getPolicyVersion: wrap('getPolicyVersion'),
    rolesForPolicy: wrap('rolesForPolicy'),
    eksInventory: wrap('eksInventory'),
    managedPolicyQuota: wrap('managedPolicyQuota'),
  } as AccountView;
  return { view, calls };
}

describe('cheapest checks first', () => {
  it('a PutRolePolicy that grants no ECR write is decided from the event alone (no read at all)', async () => {
    const raw = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
      detail: { requestParameters: { policyDocument: string } };
    };
    raw.detail.requestParameters.policyDocument = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: ['ecr:BatchGetImage', 's3:*'], Resource: '*' }],
    });
    const { view, calls } = spyView(SAMPLE);
    const decisions = await new ChangeEvaluator(view, settings).evaluate(parseRoleChangeEvent(raw));
    expect(decisions).toMatchObject([{ verdict: 'compliant', scope: 'change' }]);
    // About the change, not the role: the words say so.
    expect(decisions[0]?.reason).toMatch(/^This change adds no ECR write access: inline policy /);
    expect(calls).toEqual([]);
  });

  it('an attach of a policy that grants nothing reads only that policy', async () => {
    const { view, calls } = spyView(SAMPLE);
    const change = parseRoleChangeEvent(
      attachEvent(NODE_ROLE, 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'),
    );
    const decisions = await new ChangeEvaluator(view, settings).evaluate(change);
    expect(decisions).toMatchObject([{ verdict: 'compliant', scope: 'change' }]);
    expect(calls).toEqual(['getManagedPolicy']);
  });

  it('a granting change reads EKS evidence before the role policies', async () => {
    const { view, calls } = spyView(
      SAMPLE.withChange(parseRoleChangeEvent(readJson(join(FIXTURES, 'iam-PutRolePolicy.json')))),
    );
    await new ChangeEvaluator(view, settings).evaluate(
      parseRoleChangeEvent(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))),
    );
    expect(calls.indexOf('eksInventory')).toBeLessThan(calls.indexOf('getInlinePolicy'));
    expect(calls.indexOf('getRole')).toBeLessThan(calls.indexOf('getInlinePolicy'));
  });

  it("overwriting the guard's own deny policy re-reads the role even when the new document grants nothing", async () => {
    const putEvent = (roleName: string, policyName: string, document: string): unknown => {
      const raw = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
        detail: { requestParameters: Record<string, string> };
      };
      raw.detail.requestParameters = { roleName, policyName, policyDocument: document };
      return raw;
    };
    // prod-gpu-nodes keeps PowerUser, blocked only by the guard's deny policy.
    const guarded = putEvent(
      'prod-gpu-nodes',
      settings.guardPolicyName,
      guardPolicyDocument(settings.writeActionsToDeny),
    );
    const blocked = SAMPLE.withChange(parseRoleChangeEvent(guarded));
    const [before] = await new ChangeEvaluator(blocked, settings).evaluate(parseRoleChangeEvent(guarded));
    expect(before).toMatchObject({ verdict: 'compliant', scope: 'role' });

    const harmless = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' }],
    });
    const overwrite = parseRoleChangeEvent(putEvent('prod-gpu-nodes', settings.guardPolicyName, harmless));
    const [after] = await new ChangeEvaluator(blocked.withChange(overwrite), settings).evaluate(overwrite);
    expect(after).toMatchObject({ verdict: 'violation', scope: 'role' });
    expect(after?.ecrWriteActions).toContain('ecr:PutImage');

    // The same harmless document under any other name keeps the zero-read short cut.
    const other = parseRoleChangeEvent(putEvent('prod-gpu-nodes', 'team-logs', harmless));
    const { view, calls } = spyView(blocked.withChange(other));
    expect(await new ChangeEvaluator(view, settings).evaluate(other)).toMatchObject([
      { verdict: 'compliant', scope: 'change' },
    ]);
    expect(calls).toEqual([]);
  });

  it("deleting any inline policy (the guard's own deny or another that may hold a Deny) re-reads the role", async () => {
    const event = (policyName: string): unknown => {
      const raw = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
        detail: { eventName: string; requestParameters: Record<string, string> };
      };
      raw.detail.eventName = 'DeleteRolePolicy';
      raw.detail.requestParameters = { roleName: 'prod-gpu-nodes', policyName };
      return raw;
    };
    // prod-gpu-nodes keeps PowerUser: once the guard's deny is gone it can write again.
    const removeGuard = parseRoleChangeEvent(event(settings.guardPolicyName.toUpperCase()));
    const [decision] = await new ChangeEvaluator(SAMPLE.withChange(removeGuard), settings).evaluate(
      removeGuard,
    );
    expect(decision).toMatchObject({ verdict: 'violation', scope: 'role' });
    expect(decision?.plan.map((s) => s.op)).toContain('DetachRolePolicy');

    // Any other name: the event does not carry the deleted document, so the role's whole state decides.
    const other = parseRoleChangeEvent(event('team-logs'));
    const { view, calls } = spyView(SAMPLE.withChange(other));
    const [state] = await new ChangeEvaluator(view, settings).evaluate(other);
    expect(state).toMatchObject({ verdict: 'violation', scope: 'role', role: { name: 'prod-gpu-nodes' } });
    // The node-role check comes before the role's policies are read.
    expect(calls.slice(0, 2)).toEqual(['eksInventory', 'getRole']);
    expect(calls).toContain('getManagedPolicy');
  });

  it.each([
    ['DetachRolePolicy', { policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess' }],
    ['DeleteRolePolicy', { policyName: 'team-deny' }],
  ])('%s on a role that is not a node role costs only the role lookup', async (eventName, params) => {
    const raw = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
      detail: { eventName: string; requestParameters: Record<string, string> };
    };
    raw.detail.eventName = eventName;
    raw.detail.requestParameters = { roleName: 'ci-image-builder', ...params };
    const change = parseRoleChangeEvent(raw);
    const { view, calls } = spyView(SAMPLE.withChange(change));
    const decisions = await new ChangeEvaluator(view, settings).evaluate(change);
    expect(decisions).toMatchObject([{ verdict: 'not-node-role', role: { name: 'ci-image-builder' } }]);
    expect(calls).toEqual(['eksInventory', 'getRole']);
  });

  it('a new version that grants nothing still decides every role of the policy on its whole state (the old one may have held a Deny)', async () => {
    const change = parseRoleChangeEvent(readJson(join(FIXTURES, 'iam-SetDefaultPolicyVersion.json')));
    const { view, calls } = spyView(SAMPLE.withChange(change));
    const decisions = await new ChangeEvaluator(view, settings).evaluate(change);
    expect(decisions).toMatchObject([
      { verdict: 'compliant', scope: 'role', role: { name: 'KarpenterNodeRole-prod' } },
      { verdict: 'compliant', scope: 'role', role: { name: NODE_ROLE } },
    ]);
    expect(calls[0]).toBe('rolesForPolicy');
  });
});

describe('reads that fail', () => {
  const attachFull = () =>
    parseRoleChangeEvent(
      attachEvent(NODE_ROLE, 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess'),
    );

  it('AccessDenied on the EKS inventory is indeterminate, never compliant', async () => {
    const { view } = spyView(SAMPLE.withChange(attachFull()), { eksInventory: true });
    const [decision] = await new ChangeEvaluator(view, settings).evaluate(attachFull());
    expect(decision?.verdict).toBe('indeterminate');
    expect(decision?.reason).toContain('AccessDenied');
  });

  it('AccessDenied on some policies does not hide a readable write grant: violation, unknowns listed', async () => {
    const putReadOnlyish = structuredClone(readJson(join(FIXTURES, 'iam-PutRolePolicy.json'))) as {
      detail: { requestParameters: { policyDocument: string } };
    };
    // The change grants write, so the role is read; the only other policies are readable but one is refused.
    const change = parseRoleChangeEvent(putReadOnlyish);
    const { view } = spyView(SAMPLE.withChange(change), { getManagedPolicy: true });
    const [decision] = await new ChangeEvaluator(view, settings).evaluate(change);
    // The inline ecr:* is still readable: a violation, with the unreadable managed policies listed.
    expect(decision?.verdict).toBe('violation');
    expect(decision?.unknownPolicies.length).toBeGreaterThan(0);
  });

  it('when every write could hide in an unreadable policy the verdict is indeterminate', async () => {
    const change = attachFull();
    const { view } = spyView(SAMPLE.withChange(change), { getManagedPolicy: true });
    const [decision] = await new ChangeEvaluator(view, settings).evaluate(change);
    expect(decision?.verdict).toBe('indeterminate');
    expect(decision?.unknownPolicies.map((p) => p.name)).toContain('AmazonEC2ContainerRegistryFullAccess');
  });

  it('a role deleted meanwhile (NoSuchEntity) is ignored with a reason', async () => {
    const change = parseRoleChangeEvent(
      attachEvent('role-that-is-gone', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess'),
    );
    const [decision] = await new ChangeEvaluator(SAMPLE, settings).evaluate(change);
    expect(decision?.verdict).toBe('ignored');
    expect(decision?.reason).toContain('no longer exists');
  });

  it('other errors (throttling) propagate so the invocation is retried', async () => {
    const { view } = spyView(SAMPLE.withChange(attachFull()));
    const throttling = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const throttled: AccountView = { ...view, eksInventory: () => Promise.reject(throttling) };
    await expect(new ChangeEvaluator(throttled, settings).evaluate(attachFull())).rejects.toThrow(
      'Rate exceeded',
    );
  });
});

describe('boundaries', () => {
  it("a new boundary is decided on the role's whole state, even one that allows no ECR write", async () => {
    const raw = structuredClone(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'))) as {
      detail: { eventName: string; requestParameters: Record<string, string> };
    };
    raw.detail.eventName = 'PutRolePermissionsBoundary';
    raw.detail.requestParameters = {
      roleName: NODE_ROLE,
      permissionsBoundary: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
    };
    const change = parseRoleChangeEvent(raw);
    const { view, calls } = spyView(SAMPLE.withChange(change));
    const decisions = await new ChangeEvaluator(view, settings).evaluate(change);
    expect(decisions).toMatchObject([{ verdict: 'compliant', scope: 'role', role: { name: NODE_ROLE } }]);
    expect(calls.slice(0, 2)).toEqual(['eksInventory', 'getRole']);
  });

  it('a wider boundary in place of one that blocked writes gives a violation', async () => {
    const raw = structuredClone(readJson(join(FIXTURES, 'iam-AttachRolePolicy.json'))) as {
      detail: { eventName: string; requestParameters: Record<string, string> };
    };
    // prod-batch-nodes holds PowerUser under the eks-node-boundary; AdministratorAccess as a boundary caps nothing.
    raw.detail.eventName = 'PutRolePermissionsBoundary';
    raw.detail.requestParameters = {
      roleName: 'prod-batch-nodes',
      permissionsBoundary: 'arn:aws:iam::aws:policy/AdministratorAccess',
    };
    const change = parseRoleChangeEvent(raw);
    const [before] = await new ChangeEvaluator(SAMPLE, settings).evaluate(change);
    expect(before).toMatchObject({ verdict: 'compliant', scope: 'role' });
    const [decision] = await new ChangeEvaluator(SAMPLE.withChange(change), settings).evaluate(change);
    expect(decision).toMatchObject({
      verdict: 'violation',
      scope: 'role',
      role: { name: 'prod-batch-nodes' },
    });
  });
});
