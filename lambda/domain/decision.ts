// Pure decision step: from a role's node-role evidence, policy analysis and exemption to a verdict,
// a severity and a remediation plan. No I/O; the use cases feed it.
import { awsManagedPolicyArn } from './arn';
import { grantReach } from './resource-policies';
import type {
  Decision,
  EventSummary,
  Exemption,
  Grant,
  NodeRoleEvidence,
  PlanStep,
  PolicyAnalysis,
  PolicyRef,
  RoleRecord,
  Severity,
} from './types';

/** The inputs a decision needs besides the role itself. */
export interface DecisionContext {
  readonly event: EventSummary;
  readonly partition: string;
  readonly replacementPolicyName: string;
  readonly guardPolicyName: string;
  readonly managedPolicyQuota: number;
  /** The catalogue's write actions minus the pull allowance: what the guard policy denies. */
  readonly writeActionsToDeny: readonly string[];
  /** AWS managed policies the plan swaps for the replacement (names). */
  readonly swappableManagedPolicies: readonly string[];
  /** AWS managed policies that already give nodes their pull permissions (either replacement). */
  readonly pullPolicies: readonly string[];
  /** The actions a node needs to pull images (a fix must keep those the role had). */
  readonly nodePullActions: readonly string[];
}

export interface ExemptionCheck {
  readonly exemption: Exemption | null;
  readonly expired: Exemption | null;
  readonly warnings: readonly string[];
}

export interface RoleFacts {
  readonly role: RoleRecord;
  readonly evidence: readonly NodeRoleEvidence[];
  readonly analysis: PolicyAnalysis;
  /** Policies attached to the role whose content could not be read. */
  readonly unreadablePolicies: readonly PolicyRef[];
  readonly exemption: ExemptionCheck;
  /**
   * Grants from ECR resource-based policies that name the role (./resource-policies), already cut by the role's
   * Denies and boundary. The role's ECR write is the union of these and the identity analysis's.
   * @default - none
   */
  readonly resourceGrants?: readonly Grant[];
  /** Resource policies that could not be read. */
  readonly resourceWarnings?: readonly string[];
}

function emptyDecision(event: EventSummary): Omit<Decision, 'verdict' | 'reason'> {
  return {
    severity: null,
    event,
    role: null,
    nodeRole: { evidence: [] },
    ecrWriteActions: [],
    grants: [],
    denies: [],
    plan: [],
    unknownPolicies: [],
    exemption: null,
    warnings: [],
  };
}

/** A decision for an event that needs no evaluation (failed call, unsupported event, guard's own change...). */
export function ignoredDecision(
  event: EventSummary,
  reason: string,
  role: { name: string; arn: string | null } | null = null,
): Decision {
  return { ...emptyDecision(event), verdict: 'ignored', reason, role };
}

/** The change itself cannot give any role ECR write: decided without reading the role. */
export function changeGrantsNothingDecision(
  event: EventSummary,
  reason: string,
  role: { name: string; arn: string | null } | null,
): Decision {
  return { ...emptyDecision(event), verdict: 'compliant', reason, role, scope: 'change' };
}

/** Something the verdict depends on could not be read: never an assumed `compliant`. */
export function indeterminateDecision(
  event: EventSummary,
  reason: string,
  role: { name: string; arn: string | null } | null,
  extra: Partial<Pick<Decision, 'nodeRole' | 'unknownPolicies' | 'warnings'>> = {},
): Decision {
  return { ...emptyDecision(event), ...extra, verdict: 'indeterminate', reason, role };
}

/**
 * critical: a grant of every action of every service (AdministratorAccess, `*`, broad NotAction);
 * high: a whole ECR service (`ecr:*`) or write on all resources without condition;
 * medium: every write grant is resource-scoped or conditional.
 */
export function severityOf(grants: readonly Grant[]): Severity | null {
  if (grants.length === 0) return null;
  if (grants.some((g) => g.allServices)) return 'critical';
  if (grants.some((g) => g.wholeService || (!g.resourceScoped && !g.conditional))) return 'high';
  return 'medium';
}

/** The inline explicit-Deny guard: denies exactly the catalogue's write actions minus the pull allowance. */
export function guardPolicyDocument(writeActionsToDeny: readonly string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'EksEcrGuardDenyEcrWrite',
        Effect: 'Deny',
        Action: [...writeActionsToDeny].sort(),
        Resource: '*',
      },
    ],
  });
}

/**
 * The remediation plan for a violating role:
 * - each known AWS managed write policy is swapped for the replacement (attach unless attached, then detach);
 *   when the role is at its managed-policy quota the detaches go first (attach would fail; the remediator keeps
 *   pulls allowed meanwhile with a temporary inline pull bridge);
 * - any other write grant gets one inline explicit-Deny guard, put first so the hole closes before anything else.
 */
export function remediationPlan(
  role: RoleRecord,
  grants: readonly Grant[],
  context: DecisionContext,
): PlanStep[] {
  const swappable = new Set(
    context.swappableManagedPolicies.map((n) => awsManagedPolicyArn(context.partition, n)),
  );
  const toDetach = new Set<string>();
  let needsGuard = false;
  for (const grant of grants) {
    const arn = grant.policy.arn;
    if (grant.policy.kind === 'aws-managed' && arn !== null && swappable.has(arn)) toDetach.add(arn);
    else needsGuard = true;
  }

  const steps: PlanStep[] = [];
  if (needsGuard) {
    steps.push({
      op: 'PutRolePolicy',
      roleName: role.name,
      policyName: context.guardPolicyName,
      policyDocument: guardPolicyDocument(context.writeActionsToDeny),
    });
  }
  if (toDetach.size === 0) return steps;

  const replacementArn = awsManagedPolicyArn(context.partition, context.replacementPolicyName);
  const attachedArns = new Set(role.attachedPolicies.map((p) => p.arn));
  const detaches: PlanStep[] = [...toDetach]
    .sort()
    .map((policyArn) => ({ op: 'DetachRolePolicy', roleName: role.name, policyArn }));
  // Either pull policy already attached keeps pulls working: no second one is added.
  const pullPolicyAttached = [context.replacementPolicyName, ...context.pullPolicies].some((name) =>
    attachedArns.has(awsManagedPolicyArn(context.partition, name)),
  );
  if (pullPolicyAttached) return [...steps, ...detaches];

  const attach: PlanStep = { op: 'AttachRolePolicy', roleName: role.name, policyArn: replacementArn };
  const atQuota = role.attachedPolicies.length >= context.managedPolicyQuota;
  return atQuota ? [...steps, ...detaches, attach] : [...steps, attach, ...detaches];
}

function describeActions(actions: readonly string[]): string {
  const shown = actions.slice(0, 3).join(', ');
  return actions.length > 3 ? `${shown} and ${actions.length - 3} more` : shown;
}

function analysisWarnings(facts: RoleFacts): string[] {
  const warnings = facts.analysis.warnings.map((w) => {
    const where = w.statement === null ? '' : ` statement ${w.statement}`;
    return `${w.policy.kind} policy ${w.policy.name}${where}: ${w.message}`;
  });
  warnings.push(...(facts.resourceWarnings ?? []));
  warnings.push(...facts.exemption.warnings);
  const expired = facts.exemption.expired;
  if (expired !== null) warnings.push(`exemption expired on ${expired.until}: ${expired.reason}`);
  return warnings;
}

/** The verdict for one role the change may have widened. */
export function decideForRole(facts: RoleFacts, context: DecisionContext): Decision {
  const { role, evidence } = facts;
  const analysis = withResourceGrants(facts.analysis, facts.resourceGrants ?? []);
  const base = {
    ...emptyDecision(context.event),
    role: { name: role.name, arn: role.arn },
    nodeRole: { evidence },
    warnings: analysisWarnings(facts),
    scope: 'role' as const,
    expiredExemption: facts.exemption.expired,
  };
  if (evidence.length === 0) {
    return {
      ...base,
      verdict: 'not-node-role',
      reason: `Role ${role.name} is not used by any EKS node group, access entry, Auto Mode or Fargate profile.`,
      ecrWriteActions: analysis.writeActions,
    };
  }

  const unknownPolicies = dedupeRefs([...facts.unreadablePolicies, ...analysis.unusablePolicies]);
  const severity = severityOf(analysis.grants);
  const pullActions = new Set(context.nodePullActions);
  const findings = {
    pullActionsAllowed: analysis.allowed.filter((a) => pullActions.has(a)),
    ecrWriteActions: analysis.writeActions,
    grants: analysis.grants,
    denies: analysis.denies,
    unknownPolicies,
  };

  if (facts.exemption.exemption !== null) {
    const exemption = facts.exemption.exemption;
    const until = exemption.until === null ? '' : ` until ${exemption.until}`;
    return {
      ...base,
      ...findings,
      verdict: 'exempt',
      severity,
      exemption,
      reason: `EKS node role ${role.name} is exempt${until} (${exemption.reason}).`,
    };
  }

  if (analysis.writeActions.length > 0) {
    return {
      ...base,
      ...findings,
      verdict: 'violation',
      severity,
      plan: remediationPlan(role, analysis.grants, context),
      reason: `EKS node role ${role.name} can write to ECR: ${describeActions(analysis.writeActions)}.${resourceReach(facts.resourceGrants ?? [])}`,
    };
  }

  if (unknownPolicies.length > 0) {
    const names = unknownPolicies.map((p) => p.name).join(', ');
    return {
      ...base,
      ...findings,
      verdict: 'indeterminate',
      reason: `EKS node role ${role.name} has no known ECR write grant, but the content of ${names} is unknown.`,
    };
  }

  return {
    ...base,
    ...findings,
    verdict: 'compliant',
    reason: `EKS node role ${role.name} cannot write to ECR beyond the pull allowance.`,
  };
}

/** Same account: identity grants ∪ resource grants (AWS-FACTS §12); the write actions are the union of both. */
function withResourceGrants(analysis: PolicyAnalysis, resourceGrants: readonly Grant[]): PolicyAnalysis {
  if (resourceGrants.length === 0) return analysis;
  const writeActions = new Set([...analysis.writeActions, ...resourceGrants.flatMap((g) => g.actions)]);
  return {
    ...analysis,
    writeActions: [...writeActions].sort(),
    grants: [...analysis.grants, ...resourceGrants],
  };
}

/** ` A resource policy grants it directly on repository app (eu-west-1).` when resource grants exist. */
function resourceReach(grants: readonly Grant[]): string {
  if (grants.length === 0) return '';
  const reached = [...new Set(grants.map(grantReach))];
  const noun = reached.length === 1 ? 'A resource policy grants' : 'Resource policies grant';
  return ` ${noun} it directly on ${reached.join('; ')}.`;
}

function dedupeRefs(refs: readonly PolicyRef[]): PolicyRef[] {
  const seen = new Map<string, PolicyRef>();
  for (const ref of refs) seen.set(`${ref.kind}|${ref.arn ?? ''}|${ref.name}`, ref);
  return [...seen.values()];
}
