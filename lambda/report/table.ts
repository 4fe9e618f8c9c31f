// Report (pure): the audit as a plain-text table for people (the CLI's default `--format table`).
import { type AuditReport, type AuditSummary, type RoleAudit, violationsOf } from '../domain/audit-report';
import { clusterNoteText } from '../domain/node-roles';
import type { EksRegionWarning } from '../domain/types';
import {
  exemptionPhrase,
  grantSources,
  listWithMore,
  type RenderExtras,
  wherePhrase,
} from '../present/describe';
import { POD_ROLE_HINT } from '../present/pod-role';
import { singleLine, truncate } from '../present/text';

/** Longest text one cell shows (a long role or cluster list is cut with an ellipsis). */
const MAX_CELL = 64;
const COLUMN_GAP = '  ';

interface Column {
  readonly title: string;
  readonly cell: (role: RoleAudit) => string;
}

const COLUMNS: readonly Column[] = [
  { title: 'STATUS', cell: (role) => role.verdict },
  { title: 'SEVERITY', cell: (role) => role.severity ?? '-' },
  { title: 'ROLE', cell: (role) => role.roleName },
  { title: 'WRITE', cell: (role) => String(role.writeActions.length) },
  { title: 'GRANTED BY', cell: (role) => listWithMore(grantSources(role), 2) },
  { title: 'USED BY', cell: (role) => wherePhrase(role, 2) },
  { title: 'NOTE', cell: noteFor },
];

/** Findings first (violations by severity, then indeterminate, then exempt), then the summary. */
export function renderTable(report: AuditReport, extras: RenderExtras = {}): string {
  const findings = [
    ...violationsOf(report),
    ...report.roles.filter((role) => role.verdict === 'indeterminate'),
    ...report.roles.filter((role) => role.verdict === 'exempt'),
  ];
  const lines = [title(report), ''];
  if (findings.length === 0) {
    lines.push(
      report.summary.nodeRolesTotal === 0
        ? 'No EKS node role found.'
        : 'No finding: no EKS node role can write to Amazon ECR.',
    );
  } else {
    lines.push(...table(findings));
    if (violationsOf(report).length > 0) lines.push('', `Push access: ${POD_ROLE_HINT}`);
  }
  lines.push(
    ...danglingLines(report),
    ...warningLines(extras.eksWarnings ?? []),
    ...clusterNoteLines(report),
    '',
    ...summaryLines(report.summary),
  );
  return `${lines.join('\n')}\n`;
}

function title(report: AuditReport): string {
  const account = report.accountId ?? 'unknown account';
  return `eks-ecr-guard audit of ${account} (${report.partition}) on ${report.today}`;
}

function table(roles: readonly RoleAudit[]): string[] {
  const rows = roles.map((role) =>
    COLUMNS.map((column) => truncate(singleLine(column.cell(role)), MAX_CELL)),
  );
  const widths = COLUMNS.map((column, i) =>
    Math.max(column.title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join(COLUMN_GAP)
      .trimEnd();
  return [line(COLUMNS.map((column) => column.title)), ...rows.map(line)];
}

function noteFor(role: RoleAudit): string {
  if (role.verdict === 'exempt') {
    const soon = role.exemptionExpiringSoon ? 'ENDS SOON, ' : '';
    return `${soon}exempt ${exemptionPhrase(role)}: ${role.exemption?.reason ?? ''}`;
  }
  if (role.verdict === 'indeterminate') {
    const unknown = role.decision.unknownPolicies.map((policy) => policy.name);
    return unknown.length > 0 ? `unknown content: ${listWithMore(unknown, 2)}` : role.reason;
  }
  return '';
}

function danglingLines(report: AuditReport): string[] {
  if (report.dangling.length === 0) return [];
  return [
    '',
    'EKS references to roles that do not exist in IAM:',
    ...report.dangling.map((ref) => {
      const where = ref.region === null ? '' : ` in ${ref.region}/${ref.cluster ?? '?'}`;
      const detail = ref.detail === null ? '' : ` ${ref.detail}`;
      return `  ${ref.roleArn ?? ref.roleName}: ${ref.kind}${detail}${where}`;
    }),
  ];
}

function warningLines(warnings: readonly EksRegionWarning[]): string[] {
  if (warnings.length === 0) return [];
  return [
    '',
    'EKS regions that could not be read (node roles used only there are not in this audit):',
    ...warnings.map((w) => `  ${w.region}: ${w.code}: ${singleLine(w.message)}`),
  ];
}

function clusterNoteLines(report: AuditReport): string[] {
  const notes = report.clusterNotes ?? [];
  if (notes.length === 0) return [];
  return [
    '',
    'EKS clusters whose node mappings AWS APIs cannot fully show:',
    ...notes.map((note) => `  ${singleLine(clusterNoteText(note))}`),
  ];
}

/** The summary block; also used by the digest. */
export function summaryLines(summary: AuditSummary): string[] {
  const { violations } = summary;
  const rows: [string, string][] = [
    ['Node roles', `${summary.nodeRolesTotal} (of ${summary.rolesScanned} IAM roles)`],
    ['Compliant', `${summary.nodeRolesCompliant} (${summary.compliancePercent.toFixed(1)}%)`],
    [
      'Violations',
      `${violations.total} (critical ${violations.critical}, high ${violations.high}, medium ${violations.medium})`,
    ],
    ['Indeterminate', String(summary.indeterminate)],
    ['Exempt', `${summary.exempt} (${summary.exemptionsExpiringSoon} ending within 14 days)`],
    ['Dangling EKS references', String(summary.danglingReferences)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return ['Summary', ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)];
}
