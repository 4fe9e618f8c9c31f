// Report (pure): the organization audit as a plain-text table for people (`audit --org`, `audit --snapshot DIR`):
// one row per account, the violations across accounts, the accounts that could not be read, then the totals.
import { violationsOf } from '../domain/audit-report';
import type { AuditedAccount, OrgAuditReport, UnreadableAccount } from '../domain/org-report';
import { grantSources, listWithMore, wherePhrase } from '../present/describe';
import { singleLine, truncate } from '../present/text';
import { summaryLines } from './table';

const MAX_CELL = 48;
const MAX_MESSAGE = 200;
const COLUMN_GAP = '  ';

type Row = readonly string[];

const ACCOUNT_COLUMNS = [
  'ACCOUNT',
  'NAME',
  'NODE ROLES',
  'COMPLIANT',
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'INDETERMINATE',
  'NOTE',
] as const;

const accountName = (account: { readonly name: string | null }): string =>
  account.name === null ? '-' : account.name;

function accountRow({ account, report, eksWarnings }: AuditedAccount): Row {
  const { summary } = report;
  const note = eksWarnings.length === 0 ? '' : `${eksWarnings.length} EKS regions not read`;
  return [
    account.id,
    accountName(account),
    String(summary.nodeRolesTotal),
    `${summary.nodeRolesCompliant} (${summary.compliancePercent.toFixed(1)}%)`,
    String(summary.violations.critical),
    String(summary.violations.high),
    String(summary.violations.medium),
    String(summary.indeterminate),
    note,
  ];
}

function unreadableRow({ account, stage, code }: UnreadableAccount): Row {
  return [account.id, accountName(account), '-', '-', '-', '-', '-', '-', `NOT READ (${stage}: ${code})`];
}

/** Accounts in account-id order (unreadable ones in place, marked), then violations, unreadable details, totals. */
export function renderOrgTable(report: OrgAuditReport): string {
  const rows = [
    ...report.audited.map((item) => ({ id: item.account.id, row: accountRow(item) })),
    ...report.unreadable.map((item) => ({ id: item.account.id, row: unreadableRow(item) })),
  ]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((item) => item.row);
  const lines = [title(report), ''];
  lines.push(...(rows.length === 0 ? ['No active account listed.'] : layout(ACCOUNT_COLUMNS, rows)));
  lines.push(...violationLines(report), ...unreadableLines(report.unreadable), '');
  const { totals } = report;
  lines.push(
    'Organization',
    `  Accounts: ${totals.accountsListed} listed, ${totals.accountsAudited} audited, ` +
      `${totals.accountsUnreadable} not read, ${totals.accountsWithRegionWarnings} with EKS regions not read`,
    ...summaryLines(totals.summary).slice(1),
  );
  return `${lines.join('\n')}\n`;
}

function title(report: OrgAuditReport): string {
  const role = report.roleName === null ? 'from snapshots' : `through role ${report.roleName}`;
  return `eks-ecr-guard organization audit (${report.partition}) on ${report.today}, ${role}`;
}

function violationLines(report: OrgAuditReport): string[] {
  const rows = report.audited.flatMap(({ account, report: accountReport }) =>
    violationsOf(accountReport).map((role) => [
      account.id,
      role.severity ?? '-',
      role.roleName,
      listWithMore(grantSources(role), 2),
      wherePhrase(role, 2),
    ]),
  );
  if (rows.length === 0) return [];
  return ['', 'Violations:', ...layout(['ACCOUNT', 'SEVERITY', 'ROLE', 'GRANTED BY', 'USED BY'], rows)];
}

function unreadableLines(unreadable: readonly UnreadableAccount[]): string[] {
  if (unreadable.length === 0) return [];
  return [
    '',
    'Accounts that could not be read (not in the totals; exit code 3 unless a violation sets 1):',
    ...unreadable.map(
      ({ account, stage, code, message }) =>
        `  ${account.id} (${accountName(account)}): ${stage}: ${code}: ${truncate(singleLine(message), MAX_MESSAGE)}`,
    ),
  ];
}

function layout(titles: readonly string[], rows: readonly Row[]): string[] {
  const cells = rows.map((row) => row.map((cell) => truncate(singleLine(cell), MAX_CELL)));
  const widths = titles.map((heading, i) =>
    Math.max(heading.length, ...cells.map((row) => (row[i] ?? '').length)),
  );
  const line = (row: Row): string =>
    row
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(COLUMN_GAP)
      .trimEnd();
  return [line(titles), ...cells.map(line)];
}
