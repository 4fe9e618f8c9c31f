// Domain (pure): the result of auditing an AWS Organization account by account (`audit --org`, `audit --snapshot
// DIR`): one AuditReport per account that could be read, the accounts that could not with why, and the totals.
import { type AuditReport, type AuditSummary, compareText, percent } from './audit-report';
import type { EksRegionWarning, Severity } from './types';

/** An account of the organization as `organizations:ListAccounts` lists it (only the fields the audit uses). */
export interface OrgAccount {
  readonly id: string;
  /** `arn:<partition>:organizations::<management account>:account/o-.../<id>`; gives the partition. */
  readonly arn: string | null;
  readonly name: string | null;
  readonly email: string | null;
}

/** Where reading an account stopped. */
export type UnreadableStage =
  /** `sts:AssumeRole` into the account's audit role was refused or failed. */
  | 'assume-role'
  /** The role was assumed but the account could not be read (IAM or the region list denied, throttled...). */
  | 'read'
  /** `audit --snapshot DIR`: the account's snapshot file is missing or not a valid snapshot. */
  | 'snapshot-file';

export interface UnreadableAccount {
  readonly account: OrgAccount;
  readonly stage: UnreadableStage;
  /** The AWS error code as the service returned it (`AccessDenied`, `Throttling`...), else the error's name. */
  readonly code: string;
  readonly message: string;
}

/** One account that was read: its own audit report, the shape every single-account presenter takes. */
export interface AuditedAccount {
  readonly account: OrgAccount;
  readonly report: AuditReport;
  /** EKS regions of this account that could not be read (its report holds no evidence from them). */
  readonly eksWarnings: readonly EksRegionWarning[];
}

export interface OrgTotals {
  readonly accountsListed: number;
  readonly accountsAudited: number;
  readonly accountsUnreadable: number;
  /** Accounts with at least one EKS region that could not be read. */
  readonly accountsWithRegionWarnings: number;
  readonly summary: AuditSummary;
}

export interface OrgAuditReport {
  readonly partition: string;
  readonly today: string;
  /** The role assumed in each account (null offline). */
  readonly roleName: string | null;
  /** Sorted by account id. */
  readonly audited: readonly AuditedAccount[];
  /** Sorted by account id; never silently empty: every listed account is in `audited` or here. */
  readonly unreadable: readonly UnreadableAccount[];
  readonly totals: OrgTotals;
}

/** `arn:<partition>:iam::<account>:role/<name>` (the name may carry a path: `path/name`). */
export function memberRoleArn(partition: string, accountId: string, roleName: string): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

/** The org report from the per-account outcomes, sorted, with the totals summed across the audited accounts. */
export function orgAuditReport(input: {
  readonly partition: string;
  readonly today: string;
  readonly roleName: string | null;
  readonly audited: readonly AuditedAccount[];
  readonly unreadable: readonly UnreadableAccount[];
}): OrgAuditReport {
  const byId = (a: { account: OrgAccount }, b: { account: OrgAccount }) =>
    compareText(a.account.id, b.account.id);
  const audited = [...input.audited].sort(byId);
  const unreadable = [...input.unreadable].sort(byId);
  return {
    partition: input.partition,
    today: input.today,
    roleName: input.roleName,
    audited,
    unreadable,
    totals: {
      accountsListed: audited.length + unreadable.length,
      accountsAudited: audited.length,
      accountsUnreadable: unreadable.length,
      accountsWithRegionWarnings: audited.filter((item) => item.eksWarnings.length > 0).length,
      summary: sumSummaries(audited.map((item) => item.report.summary)),
    },
  };
}

/** The figures of several accounts added up; the compliant share is recomputed from the sums. */
export function sumSummaries(summaries: readonly AuditSummary[]): AuditSummary {
  const sum = (pick: (summary: AuditSummary) => number): number =>
    summaries.reduce((total, summary) => total + pick(summary), 0);
  const violation = (severity: Severity) => sum((summary) => summary.violations[severity]);
  const nodeRolesTotal = sum((summary) => summary.nodeRolesTotal);
  const nodeRolesCompliant = sum((summary) => summary.nodeRolesCompliant);
  return {
    rolesScanned: sum((summary) => summary.rolesScanned),
    nodeRolesTotal,
    nodeRolesCompliant,
    compliancePercent: percent(nodeRolesCompliant, nodeRolesTotal),
    violations: {
      critical: violation('critical'),
      high: violation('high'),
      medium: violation('medium'),
      total: sum((summary) => summary.violations.total),
    },
    indeterminate: sum((summary) => summary.indeterminate),
    exempt: sum((summary) => summary.exempt),
    exemptionsExpiringSoon: sum((summary) => summary.exemptionsExpiringSoon),
    danglingReferences: sum((summary) => summary.danglingReferences),
  };
}
