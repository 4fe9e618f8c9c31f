// Domain (pure): the result of auditing an account (per node role, dangling EKS references, summary figures)
// and the orderings and figures every reader of it shares (use cases, CLI reports, the sweep digest).
import type { ExposedCluster } from './node-roles';
import type { PodRoleReport } from './pod-roles';
import type { AnyPrincipalWrite } from './resource-policies';
import type { Decision, EksClusterNote, EvidenceKind, Exemption, Grant, Severity, Verdict } from './types';

/** Most severe first. */
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium'];

export interface NodegroupRef {
  readonly region: string;
  readonly cluster: string;
  readonly nodegroup: string;
}

/** One node role's result. */
export interface RoleAudit {
  readonly roleName: string;
  readonly roleArn: string;
  readonly verdict: Verdict;
  readonly severity: Severity | null;
  /** ECR write actions in effect (beyond the pull allowance), sorted. */
  readonly writeActions: readonly string[];
  readonly grants: readonly Grant[];
  readonly clusters: readonly ExposedCluster[];
  readonly nodegroups: readonly NodegroupRef[];
  /** The kinds of node-role evidence found, deduplicated, in a fixed order. */
  readonly evidenceKinds: readonly EvidenceKind[];
  readonly exemption: Exemption | null;
  /** Days until the exemption ends (0 on its last day); null when there is none or it is open-ended. */
  readonly exemptionEndsInDays: number | null;
  readonly exemptionExpiringSoon: boolean;
  readonly reason: string;
  /** The full decision (plan, denies, warnings...): what the sweep remediates and alerts from. */
  readonly decision: Decision;
  /** The grants of `grants` that come from ECR resource policies (repository, registry, creation template). */
  readonly resourceGrants?: readonly Grant[];
}

/** An EKS reference (node group, access entry...) to a role that does not exist in IAM. */
export interface DanglingReference {
  readonly roleName: string;
  readonly roleArn: string | null;
  readonly kind: EvidenceKind;
  readonly region: string | null;
  readonly cluster: string | null;
  /** The node group, access-entry type or Fargate profile that holds the reference, when there is one. */
  readonly detail: string | null;
}

export interface AuditSummary {
  /** Every IAM role looked at. */
  readonly rolesScanned: number;
  readonly nodeRolesTotal: number;
  /** Node roles with verdict `compliant` (exempt and indeterminate roles are not counted as compliant). */
  readonly nodeRolesCompliant: number;
  /** compliant / total in percent, one decimal; 100 when there is no node role. */
  readonly compliancePercent: number;
  readonly violations: Readonly<Record<Severity, number>> & { readonly total: number };
  readonly indeterminate: number;
  readonly exempt: number;
  /** Exemptions in force that end within 14 days. */
  readonly exemptionsExpiringSoon: number;
  readonly danglingReferences: number;
  /** How many resource-policy statements grant ECR write to `*`. Absent when no ECR policies were read. */
  readonly anyPrincipalWrites?: number;
  /**
   * Node roles with no owner tag on the role, its node groups or its clusters (the low-severity untagged-node-role
   * finding, ./owners). Optional (additive): absent when owners were not resolved.
   */
  readonly untaggedNodeRoles?: number;
}

export interface AuditReport {
  readonly accountId: string | null;
  readonly partition: string;
  /** The day the exemptions were judged against (YYYY-MM-DD). */
  readonly today: string;
  readonly summary: AuditSummary;
  /** Every node role, sorted by role name. */
  readonly roles: readonly RoleAudit[];
  readonly dangling: readonly DanglingReference[];
  /**
   * Clusters whose node mappings AWS APIs could not fully show (access entries not readable, aws-auth), sorted by
   * region then cluster. Optional (additive): absent or empty when there is none.
   */
  readonly clusterNotes?: readonly EksClusterNote[];
  /**
   * ECR resource-policy statements that grant write to `*` (whoever uses them): a finding class of its own,
   * independent of node roles. Absent when the account view holds no ECR policies.
   */
  readonly anyPrincipalWrites?: readonly AnyPrincipalWrite[];
  /**
   * Pod roles (EKS Pod Identity, IRSA) and those that hold ECR push, per cluster: where push access belongs.
   * Optional (additive): absent from reports built before it, and from callers that do not audit pod roles.
   */
  readonly podRoles?: PodRoleReport;
}

/** The node roles with verdict `violation`, most severe first, then by name. */
export function violationsOf(report: Pick<AuditReport, 'roles'>): RoleAudit[] {
  return report.roles
    .filter((role) => role.verdict === 'violation')
    .sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity) || compareText(a.roleName, b.roleName),
    );
}

/** The most severe of the given severities, null when there is none. */
export function highestSeverity(severities: Iterable<Severity | null>): Severity | null {
  let highest: Severity | null = null;
  for (const severity of severities) {
    if (severity !== null && severityRank(severity) < severityRank(highest)) highest = severity;
  }
  return highest;
}

/** True when `severity` is `threshold` or more severe. */
export function severityAtLeast(severity: Severity | null, threshold: Severity): boolean {
  return severity !== null && severityRank(severity) <= severityRank(threshold);
}

/** part / whole in percent with one decimal; 100 for an empty whole (nothing is out of compliance). */
export function percent(part: number, whole: number): number {
  if (whole === 0) return 100;
  return Math.round((part / whole) * 1000) / 10;
}

function severityRank(severity: Severity | null): number {
  return severity === null ? SEVERITIES.length : SEVERITIES.indexOf(severity);
}

/** Code-unit order of two strings (locale-independent, so reports sort the same everywhere). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
