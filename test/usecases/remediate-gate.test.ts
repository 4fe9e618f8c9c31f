// The pure gate in front of every IAM write: only remediate mode, only whole-role violations with a plan,
// never exempt roles, never roles still carrying an (expired) exemption tag, never roles CloudTrail shows pushing
// (nor, by default, roles whose usage is unknown).
import type { Decision } from '../../lambda/domain/types';
import { type UsageEvidence, usageHold } from '../../lambda/domain/usage';
import { shouldRemediate } from '../../lambda/usecases/remediate';

const violation: Decision = {
  verdict: 'violation',
  reason: 'EKS node role ng can write to ECR.',
  severity: 'high',
  event: { id: 'e', name: 'AttachRolePolicy', time: null, actor: null },
  role: { name: 'ng', arn: 'arn:aws:iam::111122223333:role/ng' },
  nodeRole: {
    evidence: [{ kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-1' }],
  },
  ecrWriteActions: ['ecr:PutImage'],
  grants: [],
  denies: [],
  plan: [
    {
      op: 'DetachRolePolicy',
      roleName: 'ng',
      policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    },
  ],
  unknownPolicies: [],
  exemption: null,
  warnings: [],
  scope: 'role',
  expiredExemption: null,
};

describe('shouldRemediate', () => {
  it('remediates a whole-role violation with a plan in remediate mode', () => {
    expect(shouldRemediate(violation, { mode: 'remediate' })).toBe(true);
  });

  it.each([
    ['alert mode (the default)', violation, 'alert'],
    ['a compliant decision', { ...violation, verdict: 'compliant' }, 'remediate'],
    ['an indeterminate decision', { ...violation, verdict: 'indeterminate' }, 'remediate'],
    ['a not-node-role decision', { ...violation, verdict: 'not-node-role' }, 'remediate'],
    [
      'an exempt role',
      { ...violation, verdict: 'exempt', exemption: { source: 'tag', reason: 'x', until: null } },
      'remediate',
    ],
    [
      'an expired exemption tag still on the role',
      { ...violation, expiredExemption: { source: 'tag', reason: 'x', until: '2020-01-01' } },
      'remediate',
    ],
    ['a change-scope decision', { ...violation, scope: 'change' }, 'remediate'],
    ['an empty plan', { ...violation, plan: [] }, 'remediate'],
    ['no role', { ...violation, role: null }, 'remediate'],
  ] as const)('does not remediate %s', (_name, decision, mode) => {
    expect(shouldRemediate(decision as Decision, { mode })).toBe(false);
  });
});

describe('shouldRemediate: the usage evidence (CloudTrail) part of the gate', () => {
  const search = { windowDays: 14, since: '2026-11-06T00:00:00.000Z', regions: ['eu-west-1'] };
  const used: UsageEvidence = {
    ...search,
    status: 'used',
    sessions: ['i-0abc'],
    repositories: ['eu-west-1/ci/app'],
    eventNames: ['PutImage'],
    calls: 3,
    lastTime: '2026-11-19T10:00:00Z',
    complete: true,
  };
  const notUsed: UsageEvidence = { ...search, status: 'not-used' };
  const unknown: UsageEvidence = {
    ...search,
    status: 'unknown',
    reason: 'throttled',
    detail: 'Rate exceeded',
  };

  it.each([
    // usage, fixWhenUsageUnknown, fixed?, hold
    ['no lookup made', undefined, undefined, true, null],
    ['not used', notUsed, undefined, true, null],
    ['used', used, undefined, false, 'escalated-in-use'],
    ['used, even with fixWhenUsageUnknown', used, true, false, 'escalated-in-use'],
    ['unknown (default: hold)', unknown, undefined, false, 'held-usage-unknown'],
    ['unknown with fixWhenUsageUnknown=false', unknown, false, false, 'held-usage-unknown'],
    ['unknown with fixWhenUsageUnknown=true', unknown, true, true, null],
  ] as const)('remediate mode, %s', (_name, usage, fixWhenUsageUnknown, fixed, hold) => {
    const decision: Decision = usage === undefined ? violation : { ...violation, usage };
    const config =
      fixWhenUsageUnknown === undefined
        ? { mode: 'remediate' as const }
        : { mode: 'remediate' as const, fixWhenUsageUnknown };
    expect(shouldRemediate(decision, config)).toBe(fixed);
    expect(usageHold(decision, config)).toBe(hold);
  });

  it.each([used, unknown, notUsed])('alert mode never holds or fixes (%#)', (usage) => {
    const decision: Decision = { ...violation, usage };
    expect(usageHold(decision, { mode: 'alert' })).toBeNull();
    expect(shouldRemediate(decision, { mode: 'alert' })).toBe(false);
  });

  it('holds only violations', () => {
    expect(usageHold({ ...violation, verdict: 'compliant', usage: used }, { mode: 'remediate' })).toBeNull();
  });
});
