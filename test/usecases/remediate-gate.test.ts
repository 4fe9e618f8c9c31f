// The pure gate in front of every IAM write: only remediate mode, only whole-role violations with a plan,
// never exempt roles, never roles still carrying an (expired) exemption tag.
import type { Decision } from '../../lambda/domain/types';
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
