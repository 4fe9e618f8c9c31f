// Pure decision step: from a role's node-role evidence, policy analysis and exemption to a verdict,
// a severity and a remediation plan. No I/O; the use cases feed it.
import { awsManagedPolicyArn } from './arn';
import { grantReach } from './resource-policies';
import type {
  ActionReach,
  Decision,
  EventSummary,
  Exemption,
  Grant,
  NodeRoleEvidence,
  NotUnderstood,
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

/** What people read for a decision about the change alone (scope `change`), in place of "compliant". */
export const CHANGE_ADDS_NO_WRITE = 'this change adds no ECR write access';

/**
 * The change itself adds no ECR write (an attach or a put whose added grant holds none): decided without reading
 * the role, so it says nothing about the role's state. `detail` says why, e.g. `policy X grants no ECR write
 * action`; the reason reads "This change adds no ECR write access: <detail>", never "compliant".
 */
export function changeGrantsNothingDecision(
  event: EventSummary,
  detail: string,
  role: { name: string; arn: string | null } | null,
): Decision {
  const reason = `${capitalise(CHANGE_ADDS_NO_WRITE)}: ${detail}`;
  return { ...emptyDecision(event), verdict: 'compliant', reason, role, scope: 'change' };
}

/** The verdict in the words people read: a decision about the change alone never says "compliant". */
export function verdictWords(decision: Pick<Decision, 'verdict' | 'scope'>): string {
  return decision.scope === 'change' && decision.verdict === 'compliant'
    ? CHANGE_ADDS_NO_WRITE
    : decision.verdict;
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

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
 * Severity follows what the grants reach (`resourceScoped` is false when a grant reaches every repository,
 * or the registry, for at least one of its actions):
 * - critical: a grant of every action of every service (AdministratorAccess, `*`, broad NotAction) that
 *   reaches every repository or the registry;
 * - high: a grant reaching every repository or the registry that is a whole ECR service (`ecr:*`) or has
 *   no condition;
 * - medium: every write grant reaches only named repository patterns (e.g. `repository/ci-*`), whatever
 *   its actions, or is a conditional grant of some actions.
 */
export function severityOf(grants: readonly Grant[]): Severity | null {
  if (grants.length === 0) return null;
  const wide = grants.filter((g) => !g.resourceScoped);
  if (wide.some((g) => g.allServices)) return 'critical';
  if (wide.some((g) => g.wholeService || !g.conditional)) return 'high';
  return 'medium';
}

/** One line per write action: what it reaches (`ecr:PutImage on arn:aws:ecr:*:*:repository/ci-*`). */
export function describeReach(reach: ActionReach): string {
  const where = reach.all
    ? reach.on === 'registry'
      ? 'the registry'
      : 'every repository'
    : reach.resources.join(', ');
  return `${reach.action} on ${where}${reach.conditional ? ' (only under a condition)' : ''}`;
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
  const notUnderstood = analysis.notUnderstood ?? [];
  const findings = {
    pullActionsAllowed: analysis.allowed.filter((a) => pullActions.has(a)),
    ecrWriteActions: analysis.writeActions,
    grants: analysis.grants,
    denies: analysis.denies,
    unknownPolicies,
    ...(analysis.reach === undefined ? {} : { reach: analysis.reach }),
    ...(notUnderstood.length === 0 ? {} : { notUnderstood }),
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
    const elements = notUnderstood.map(describeNotUnderstood);
    const what =
      elements.length === 0
        ? `the content of ${names} is unknown`
        : `it could not interpret ${elements.join('; ')}`;
    return {
      ...base,
      ...findings,
      verdict: 'indeterminate',
      reason: `EKS node role ${role.name} has no known ECR write grant, but ${what}.`,
    };
  }

  return {
    ...base,
    ...findings,
    verdict: 'compliant',
    reason: `EKS node role ${role.name} cannot write to ECR beyond the pull allowance.`,
  };
}

function describeNotUnderstood(entry: NotUnderstood): string {
  const where = entry.statement === null ? '' : ` statement ${entry.statement}`;
  const element = entry.element === 'document' ? 'the document' : entry.element;
  return `${element} in ${entry.policy.kind} policy ${entry.policy.name}${where} (${entry.message})`;
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
