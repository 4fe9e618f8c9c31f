// Unit tests for the pure decision step: verdict order, severity, and the remediation plan (incl. quota order).
import {
  CHANGE_ADDS_NO_WRITE,
  changeGrantsNothingDecision,
  type DecisionContext,
  decideForRole,
  guardPolicyDocument,
  remediationPlan,
  severityOf,
  verdictWords,
} from '../../lambda/domain/decision';
import type { Grant, PolicyAnalysis, PolicyRef, RoleRecord } from '../../lambda/domain/types';

const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const POWER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const READONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const context: DecisionContext = {
  event: {
    id: 'e-1',
    name: 'AttachRolePolicy',
    time: '2026-11-20T09:00:00Z',
    actor: 'arn:aws:sts::1:assumed-role/x/y',
  },
  partition: 'aws',
  replacementPolicyName: 'AmazonEC2ContainerRegistryReadOnly',
  guardPolicyName: 'eks-ecr-guard-deny-ecr-write',
  managedPolicyQuota: 10,
  writeActionsToDeny: ['ecr:PutImage', 'ecr:DeleteRepository'],
  swappableManagedPolicies: [
    'AmazonEC2ContainerRegistryFullAccess',
    'AmazonEC2ContainerRegistryPowerUser',
    'AmazonElasticContainerRegistryPublicFullAccess',
  ],
  nodePullActions: ['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
  pullPolicies: ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEC2ContainerRegistryPullOnly'],
};

function role(attached: string[], extra: Partial<RoleRecord> = {}): RoleRecord {
  return {
    name: 'ng-role',
    arn: 'arn:aws:iam::111122223333:role/ng-role',
    path: '/',
    trustPolicy: null,
    tags: {},
    permissionsBoundaryArn: null,
    attachedPolicies: attached.map((arn) => ({ arn, name: arn.slice(arn.lastIndexOf('/') + 1) })),
    inlinePolicyNames: [],
    ...extra,
  };
}

const managedRef = (arn: string): PolicyRef => ({
  kind: 'aws-managed',
  name: arn.slice(arn.lastIndexOf('/') + 1),
  arn,
});
const inlineRef: PolicyRef = { kind: 'inline', name: 'ci-push', arn: null };

function grant(policy: PolicyRef, overrides: Partial<Grant> = {}): Grant {
  return {
    policy,
    statement: '0',
    actions: ['ecr:PutImage'],
    resourceScoped: false,
    conditional: false,
    allServices: false,
    wholeService: false,
    ...overrides,
  };
}

function analysis(grants: Grant[], extra: Partial<PolicyAnalysis> = {}): PolicyAnalysis {
  const writeActions = [...new Set(grants.flatMap((g) => g.actions))].sort();
  return {
    allowed: [
      ...writeActions,
      'ecr:BatchGetImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
    ],
    writeActions,
    grants,
    denies: [],
    blockedByBoundary: [],
    unusablePolicies: [],
    warnings: [],
    ...extra,
  };
}

const nodeEvidence = [
  { kind: 'managed-nodegroup' as const, region: 'eu-west-1', cluster: 'prod', nodegroup: 'ng-1' },
];
const noExemption = { exemption: null, expired: null, warnings: [] };

describe('severityOf', () => {
  it.each([
    ['no grants', [], null],
    ['all services (AdministratorAccess)', [grant(managedRef(ADMIN), { allServices: true })], 'critical'],
    [
      'whole ECR service reaching only repository patterns (severity follows the reach)',
      [grant(inlineRef, { wholeService: true, resourceScoped: true })],
      'medium',
    ],
    [
      'all services reaching only repository patterns',
      [grant(inlineRef, { allServices: true, resourceScoped: true })],
      'medium',
    ],
    [
      'whole ECR service on every repository, conditional',
      [grant(inlineRef, { wholeService: true, conditional: true })],
      'high',
    ],
    [
      'all services on every repository, conditional',
      [grant(inlineRef, { allServices: true, conditional: true })],
      'critical',
    ],
    ['write on all resources', [grant(inlineRef)], 'high'],
    ['only resource-scoped', [grant(inlineRef, { resourceScoped: true })], 'medium'],
    ['only conditional', [grant(inlineRef, { conditional: true })], 'medium'],
    [
      'the broadest grant wins',
      [grant(inlineRef, { conditional: true }), grant(managedRef(ADMIN), { allServices: true })],
      'critical',
    ],
  ])('%s', (_name, grants, expected) => {
    expect(severityOf(grants as Grant[])).toBe(expected);
  });
});

describe('remediationPlan', () => {
  it('swaps FullAccess: attach the replacement first, then detach', () => {
    expect(remediationPlan(role([FULL]), [grant(managedRef(FULL))], context)).toEqual([
      { op: 'AttachRolePolicy', roleName: 'ng-role', policyArn: READONLY },
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
    ]);
  });

  it('does not attach the replacement when it is already attached', () => {
    expect(remediationPlan(role([FULL, READONLY]), [grant(managedRef(FULL))], context)).toEqual([
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
    ]);
  });

  it('does not attach the replacement when the other pull policy (PullOnly) is attached', () => {
    const pullOnly = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly';
    expect(remediationPlan(role([pullOnly, FULL]), [grant(managedRef(FULL))], context)).toEqual([
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
    ]);
  });

  it('detaches first when the role is at its managed-policy quota', () => {
    const attached = [FULL, ...Array.from({ length: 9 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`)];
    expect(remediationPlan(role(attached), [grant(managedRef(FULL))], context)).toEqual([
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
      { op: 'AttachRolePolicy', roleName: 'ng-role', policyArn: READONLY },
    ]);
  });

  it('honours a configured quota above the default', () => {
    const attached = [FULL, ...Array.from({ length: 9 }, (_, i) => `arn:aws:iam::111122223333:policy/p${i}`)];
    const plan = remediationPlan(role(attached), [grant(managedRef(FULL))], {
      ...context,
      managedPolicyQuota: 20,
    });
    expect(plan.map((s) => s.op)).toEqual(['AttachRolePolicy', 'DetachRolePolicy']);
  });

  it('puts one guard for inline, customer managed and AdministratorAccess grants, first', () => {
    const customer: PolicyRef = {
      kind: 'customer-managed',
      name: 'extra',
      arn: 'arn:aws:iam::111122223333:policy/x',
    };
    const plan = remediationPlan(
      role([FULL, ADMIN, customer.arn ?? '']),
      [
        grant(inlineRef),
        grant(customer),
        grant(managedRef(ADMIN), { allServices: true }),
        grant(managedRef(FULL)),
      ],
      context,
    );
    expect(plan).toEqual([
      {
        op: 'PutRolePolicy',
        roleName: 'ng-role',
        policyName: 'eks-ecr-guard-deny-ecr-write',
        policyDocument: guardPolicyDocument(context.writeActionsToDeny),
      },
      { op: 'AttachRolePolicy', roleName: 'ng-role', policyArn: READONLY },
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
    ]);
  });

  it('never detaches AdministratorAccess or a customer policy named like a known write policy', () => {
    const lookalike: PolicyRef = {
      kind: 'customer-managed',
      name: 'AmazonEC2ContainerRegistryFullAccess',
      arn: 'arn:aws:iam::111122223333:policy/AmazonEC2ContainerRegistryFullAccess',
    };
    const plan = remediationPlan(role([ADMIN]), [grant(managedRef(ADMIN)), grant(lookalike)], context);
    expect(plan.map((s) => s.op)).toEqual(['PutRolePolicy']);
  });

  it('detaches every known write policy once, in a stable order', () => {
    const plan = remediationPlan(
      role([POWER, FULL]),
      [grant(managedRef(POWER)), grant(managedRef(FULL)), grant(managedRef(FULL), { statement: '1' })],
      context,
    );
    expect(plan).toEqual([
      { op: 'AttachRolePolicy', roleName: 'ng-role', policyArn: READONLY },
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: FULL },
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: POWER },
    ]);
  });

  it('uses the partition of the account for managed policy ARNs', () => {
    const cnFull = 'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
    const plan = remediationPlan(role([cnFull]), [grant(managedRef(cnFull))], {
      ...context,
      partition: 'aws-cn',
    });
    expect(plan).toEqual([
      {
        op: 'AttachRolePolicy',
        roleName: 'ng-role',
        policyArn: 'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly',
      },
      { op: 'DetachRolePolicy', roleName: 'ng-role', policyArn: cnFull },
    ]);
  });
});

describe('guardPolicyDocument', () => {
  it('is one unconditional Deny of exactly the given actions on every resource', () => {
    const doc = JSON.parse(guardPolicyDocument(['ecr:PutImage', 'ecr:BatchDeleteImage']));
    expect(doc).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EksEcrGuardDenyEcrWrite',
          Effect: 'Deny',
          Action: ['ecr:BatchDeleteImage', 'ecr:PutImage'],
          Resource: '*',
        },
      ],
    });
  });
});

describe('decideForRole', () => {
  const facts = (overrides: Partial<Parameters<typeof decideForRole>[0]> = {}) => ({
    role: role([FULL]),
    evidence: nodeEvidence,
    analysis: analysis([grant(managedRef(FULL))]),
    unreadablePolicies: [],
    exemption: noExemption,
    ...overrides,
  });

  it('a node role with a write grant is a violation with severity, grants and plan', () => {
    const decision = decideForRole(facts(), context);
    expect(decision).toMatchObject({
      verdict: 'violation',
      severity: 'high',
      role: { name: 'ng-role', arn: 'arn:aws:iam::111122223333:role/ng-role' },
      ecrWriteActions: ['ecr:PutImage'],
      scope: 'role',
    });
    expect(decision.plan.map((s) => s.op)).toEqual(['AttachRolePolicy', 'DetachRolePolicy']);
    expect(decision.pullActionsAllowed).toEqual([
      'ecr:BatchGetImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
    ]);
  });

  it('a role with no evidence is not-node-role, whatever it grants', () => {
    expect(decideForRole(facts({ evidence: [] }), context)).toMatchObject({
      verdict: 'not-node-role',
      plan: [],
    });
  });

  it('an exempt node role is exempt with no plan but keeps its findings', () => {
    const exemption = { source: 'tag' as const, reason: 'cache warmer', until: '2027-03-31' };
    const decision = decideForRole(facts({ exemption: { exemption, expired: null, warnings: [] } }), context);
    expect(decision).toMatchObject({
      verdict: 'exempt',
      exemption,
      plan: [],
      ecrWriteActions: ['ecr:PutImage'],
    });
  });

  it('no write grant but an unreadable policy is indeterminate, naming it', () => {
    const unknown: PolicyRef = {
      kind: 'customer-managed',
      name: 'secret',
      arn: 'arn:aws:iam::1:policy/secret',
    };
    const decision = decideForRole(facts({ analysis: analysis([]), unreadablePolicies: [unknown] }), context);
    expect(decision.verdict).toBe('indeterminate');
    expect(decision.unknownPolicies).toEqual([unknown]);
    expect(decision.reason).toContain('secret');
  });

  it('an unusable document is indeterminate too', () => {
    const decision = decideForRole(
      facts({ analysis: analysis([], { unusablePolicies: [inlineRef] }) }),
      context,
    );
    expect(decision.verdict).toBe('indeterminate');
  });

  it('a write grant wins over an unreadable policy (violation, with the unknown listed)', () => {
    const unknown: PolicyRef = { kind: 'inline', name: 'x', arn: null };
    const decision = decideForRole(facts({ unreadablePolicies: [unknown] }), context);
    expect(decision.verdict).toBe('violation');
    expect(decision.unknownPolicies).toEqual([unknown]);
  });

  it('no write grant and everything known is compliant', () => {
    expect(decideForRole(facts({ analysis: analysis([]) }), context)).toMatchObject({
      verdict: 'compliant',
      severity: null,
      plan: [],
    });
  });

  it('reports an expired exemption as a warning and decides as if not exempt', () => {
    const expired = { source: 'tag' as const, reason: 'old', until: '2020-01-01' };
    const decision = decideForRole(facts({ exemption: { exemption: null, expired, warnings: [] } }), context);
    expect(decision.verdict).toBe('violation');
    expect(decision.warnings.join(' ')).toContain('2020-01-01');
  });
});

describe('decisions about the change alone', () => {
  const event = {
    id: 'e',
    name: 'AttachRolePolicy',
    time: null,
    actor: null,
    sourceIp: null,
    userAgent: null,
    account: null,
  };
  const decision = changeGrantsNothingDecision(event, 'policy p grants no ECR write action.', {
    name: 'r1',
    arn: null,
  });

  it('say "this change adds no ECR write access", never "compliant", in the words people read', () => {
    expect(decision).toMatchObject({ verdict: 'compliant', scope: 'change' });
    expect(decision.reason).toBe(
      'This change adds no ECR write access: policy p grants no ECR write action.',
    );
    expect(verdictWords(decision)).toBe(CHANGE_ADDS_NO_WRITE);
    expect(verdictWords(decision)).not.toContain('compliant');
  });

  it('leave every other verdict as it is', () => {
    expect(verdictWords({ verdict: 'compliant', scope: 'role' })).toBe('compliant');
    expect(verdictWords({ verdict: 'violation', scope: 'role' })).toBe('violation');
    expect(verdictWords({ verdict: 'ignored' })).toBe('ignored');
  });
});
