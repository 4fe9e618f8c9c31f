// Use case "audit an account": every EKS node role of an AccountView evaluated once (the CLI `audit` command and
// the scheduled sweep), with account-wide compliance figures and EKS references to roles IAM does not have.
import type { AccountView, EnumerableAccountView } from '../account/account-view';
import {
  type AuditReport,
  type AuditSummary,
  compareText,
  type DanglingReference,
  type NodegroupRef,
  percent,
  type RoleAudit,
} from '../domain/audit-report';
import { indeterminateDecision } from '../domain/decision';
import { AccountReadError } from '../domain/errors';
import { daysUntil, isExpiringSoon } from '../domain/exemptions';
import {
  buildNodeRoleIndex,
  clusterNotes,
  exposedClusters,
  type NodeRoleIndex,
  nodeRoleEvidence,
  withClusterNotes,
} from '../domain/node-roles';
import { withResolvedOwner, withUnknownOwner } from '../domain/owners';
import { anyPrincipalWrites, isResourcePolicyKind, resourcePolicySources } from '../domain/resource-policies';
import type {
  Decision,
  EksClusterNote,
  EksInventory,
  EventSummary,
  EvidenceKind,
  NodeRoleEvidence,
  RoleRecord,
  Severity,
} from '../domain/types';
import { mapWithConcurrency } from '../gateways/concurrency';
import type { ChangeEvaluator } from './evaluate-change';
import { auditPodRoles } from './pod-role-audit';

// The audit report's types and orderings live in the domain (presenters read them without this use case);
// re-exported for the callers that run the audit.
export {
  type AuditReport,
  type AuditSummary,
  type DanglingReference,
  highestSeverity,
  type NodegroupRef,
  percent,
  type RoleAudit,
  SEVERITIES,
  severityAtLeast,
  violationsOf,
} from '../domain/audit-report';

/** The event an audit decision carries: no CloudTrail call caused it. */
export const AUDIT_EVENT: EventSummary = { id: null, name: null, time: null, actor: null };

/** Roles read and evaluated at once; a snapshot view answers at once, a live view benefits. */
const DEFAULT_CONCURRENCY = 8;

export interface AuditProgress {
  /** Roles read (and evaluated when they are node roles) so far. */
  readonly done: number;
  readonly total: number;
}

export interface AuditOptions {
  /** YYYY-MM-DD (UTC): exemption expiry is counted from this day. */
  readonly today: string;
  /** Told after each role (the caller decides how often to show it). */
  readonly onProgress?: (progress: AuditProgress) => void;
  /** Roles read at once. @default 8 */
  readonly concurrency?: number;
}

/**
 * Audits every node role of the account. The EKS node-role index is built once; each role is read once
 * (`getRole`) and looked up in it by name, so the work grows linearly with the number of roles. A role that
 * cannot be read becomes `indeterminate`, never an assumed `compliant`. The view must list its roles (a
 * snapshot view: the live paths collect a snapshot first).
 */
export async function auditAccount(
  view: EnumerableAccountView,
  evaluator: ChangeEvaluator,
  options: AuditOptions,
): Promise<AuditReport> {
  const inventory = await view.eksInventory();
  const index = buildNodeRoleIndex(inventory);
  const notes = clusterNotes(inventory);
  const lookup = new FoldedIndex(index);
  const roleNames = await view.listRoleNames();
  const seen = new Set<string>();
  /** The roles read that are not node roles: the pod-role audit looks at them without reading them again. */
  const otherRoles: RoleRecord[] = [];
  let done = 0;

  const results = await mapWithConcurrency(
    roleNames,
    options.concurrency ?? DEFAULT_CONCURRENCY,
    async (roleName) => {
      const audit = await auditRole(view, evaluator, lookup, roleName, options.today, seen, {
        notes,
        inventory,
        otherRoles,
      });
      done += 1;
      options.onProgress?.({ done, total: roleNames.length });
      return audit;
    },
  );

  const roles = results
    .filter((role): role is RoleAudit => role !== null)
    .sort((a, b) => compareText(a.roleName, b.roleName));
  const dangling = danglingReferences(index, seen);
  const ecr = view.ecrResourcePolicies === undefined ? {} : await view.ecrResourcePolicies();
  // The finding class exists only where ECR was read (a snapshot with an `ecr` section, the sweep).
  const openWrites =
    Object.keys(ecr).length === 0
      ? null
      : anyPrincipalWrites(resourcePolicySources(ecr), { pullAllowance: evaluator.pullAllowance });
  const summary = summarise(roles, roleNames.length, dangling.length, evaluator.ownerTagKeys !== undefined);
  const podRoles = await auditPodRoles(view, {
    inventory,
    roles: otherRoles,
    ecr,
    pullAllowance: evaluator.pullAllowance,
    nodeRoleNames: roles.map((role) => role.roleName),
  });
  return {
    accountId: view.accountId,
    partition: view.partition,
    today: options.today,
    summary: openWrites === null ? summary : { ...summary, anyPrincipalWrites: openWrites.length },
    roles,
    dangling,
    clusterNotes: notes,
    ...(openWrites === null ? {} : { anyPrincipalWrites: openWrites }),
    podRoles,
  };
}

// ---- per role -------------------------------------------------------------------------------------

async function auditRole(
  view: AccountView,
  evaluator: ChangeEvaluator,
  lookup: FoldedIndex,
  roleName: string,
  today: string,
  seen: Set<string>,
  {
    notes,
    inventory,
    otherRoles,
  }: {
    readonly notes: readonly EksClusterNote[];
    readonly inventory: EksInventory;
    /** Collects the roles read that are not node roles. */
    readonly otherRoles: RoleRecord[];
  },
): Promise<RoleAudit | null> {
  let role: RoleRecord | null;
  try {
    role = await view.getRole(roleName);
  } catch (error) {
    if (!(error instanceof AccountReadError)) throw error;
    seen.add(roleName.toLowerCase());
    // Without the role its trust policy is unknown, so even a role EKS does not name may be a self-managed node
    // role: it is reported, never skipped.
    const evidence = lookup.entriesFor(roleName);
    const reason =
      evidence.length > 0
        ? `Could not read EKS node role ${roleName}: ${error.message}.`
        : `Could not tell whether ${roleName} is an EKS node role: ${error.message}.`;
    const unread = indeterminateDecision(
      AUDIT_EVENT,
      reason,
      { name: roleName, arn: null },
      { nodeRole: { evidence } },
    );
    const decision = withUnknownOwner(
      unread,
      evaluator.ownerTagKeys,
      `the role could not be read: ${error.message}`,
    );
    return toRoleAudit(withClusterNotes(decision, notes), today);
  }
  // Deleted between the listing and the read: nothing left to audit.
  if (role === null) return null;
  seen.add(role.name.toLowerCase());
  const evidence = nodeRoleEvidence(role, lookup.subIndexFor(role.name));
  if (evidence.length === 0) {
    otherRoles.push(role);
    return null;
  }
  const decision = await evaluateNodeRole(evaluator, role, evidence);
  const owned =
    decision.owner === undefined
      ? withResolvedOwner(decision, {
          roleTags: role.tags,
          evidence,
          inventory,
          keys: evaluator.ownerTagKeys,
        })
      : decision;
  return toRoleAudit(withClusterNotes(owned, notes), today);
}

async function evaluateNodeRole(
  evaluator: ChangeEvaluator,
  role: RoleRecord,
  evidence: readonly NodeRoleEvidence[],
): Promise<Decision> {
  try {
    return await evaluator.evaluateKnownRole(role, evidence, AUDIT_EVENT);
  } catch (error) {
    if (!(error instanceof AccountReadError)) throw error;
    const reason = `Could not evaluate EKS node role ${role.name}: ${error.message}.`;
    const decision = indeterminateDecision(
      AUDIT_EVENT,
      reason,
      { name: role.name, arn: role.arn },
      { nodeRole: { evidence } },
    );
    return withUnknownOwner(
      decision,
      evaluator.ownerTagKeys,
      `the role could not be evaluated: ${error.message}`,
    );
  }
}

function toRoleAudit(decision: Decision, today: string): RoleAudit {
  const evidence = decision.nodeRole.evidence;
  const exemption = decision.exemption;
  const endsIn = exemption === null || exemption.until === null ? null : daysUntil(exemption.until, today);
  return {
    roleName: decision.role?.name ?? '',
    roleArn: decision.role?.arn ?? '',
    verdict: decision.verdict,
    severity: decision.severity,
    writeActions: decision.ecrWriteActions,
    grants: decision.grants,
    clusters: exposedClusters(evidence),
    nodegroups: nodegroupsOf(evidence),
    evidenceKinds: EVIDENCE_ORDER.filter((kind) => evidence.some((item) => item.kind === kind)),
    exemption,
    exemptionEndsInDays: endsIn,
    exemptionExpiringSoon: exemption !== null && isExpiringSoon(exemption, today),
    reason: decision.reason,
    decision,
    resourceGrants: decision.grants.filter((grant) => isResourcePolicyKind(grant.policy.kind)),
  };
}

const EVIDENCE_ORDER: readonly EvidenceKind[] = [
  'managed-nodegroup',
  'access-entry',
  'auto-mode',
  'fargate-profile',
  'heuristic',
];

function nodegroupsOf(evidence: readonly NodeRoleEvidence[]): NodegroupRef[] {
  const found = new Map<string, NodegroupRef>();
  for (const { region, cluster, nodegroup } of evidence) {
    if (region === null || cluster === null || nodegroup === undefined) continue;
    found.set(`${region}\u0000${cluster}\u0000${nodegroup}`, { region, cluster, nodegroup });
  }
  return [...found.values()].sort(
    (a, b) =>
      compareText(a.region, b.region) ||
      compareText(a.cluster, b.cluster) ||
      compareText(a.nodegroup, b.nodegroup),
  );
}

// ---- node-role index by folded name ---------------------------------------------------------------

const EMPTY_INDEX: NodeRoleIndex = new Map();

/**
 * The node-role index grouped by lower-cased role name, so that each role looks at the index entries that can
 * match it (the exact name and its case variants) instead of the whole index: linear instead of quadratic.
 */
class FoldedIndex {
  private readonly byFoldedName = new Map<string, Map<string, readonly NodeRoleEvidence[]>>();

  constructor(index: NodeRoleIndex) {
    for (const [name, evidence] of index) {
      const folded = name.toLowerCase();
      const group = this.byFoldedName.get(folded) ?? new Map<string, readonly NodeRoleEvidence[]>();
      group.set(name, evidence);
      this.byFoldedName.set(folded, group);
    }
  }

  /** The part of the index that can match `roleName`; `nodeRoleEvidence` over it equals it over the whole. */
  subIndexFor(roleName: string): NodeRoleIndex {
    return this.byFoldedName.get(roleName.toLowerCase()) ?? EMPTY_INDEX;
  }

  entriesFor(roleName: string): NodeRoleEvidence[] {
    return [...this.subIndexFor(roleName).values()].flat();
  }
}

function danglingReferences(index: NodeRoleIndex, seenFoldedNames: ReadonlySet<string>): DanglingReference[] {
  const dangling: DanglingReference[] = [];
  for (const [roleName, evidence] of index) {
    if (seenFoldedNames.has(roleName.toLowerCase())) continue;
    for (const item of evidence) {
      dangling.push({
        roleName,
        roleArn: item.roleArn ?? null,
        kind: item.kind,
        region: item.region,
        cluster: item.cluster,
        detail: item.nodegroup ?? item.fargateProfile ?? item.accessEntryType ?? null,
      });
    }
  }
  return dangling.sort((a, b) => compareText(a.roleName, b.roleName));
}

// ---- summary --------------------------------------------------------------------------------------

function summarise(
  roles: readonly RoleAudit[],
  rolesScanned: number,
  danglingCount: number,
  ownersResolved: boolean,
): AuditSummary {
  const count = (predicate: (role: RoleAudit) => boolean): number => roles.filter(predicate).length;
  const violationCount = (severity: Severity): number =>
    count((role) => role.verdict === 'violation' && role.severity === severity);
  const compliant = count((role) => role.verdict === 'compliant');
  const critical = violationCount('critical');
  const high = violationCount('high');
  const medium = violationCount('medium');
  return {
    rolesScanned,
    nodeRolesTotal: roles.length,
    nodeRolesCompliant: compliant,
    compliancePercent: percent(compliant, roles.length),
    violations: { critical, high, medium, total: count((role) => role.verdict === 'violation') },
    indeterminate: count((role) => role.verdict === 'indeterminate'),
    exempt: count((role) => role.verdict === 'exempt'),
    exemptionsExpiringSoon: count((role) => role.verdict === 'exempt' && role.exemptionExpiringSoon),
    danglingReferences: danglingCount,
    ...(ownersResolved
      ? { untaggedNodeRoles: count((role) => role.decision.owner?.status === 'untagged') }
      : {}),
  };
}
