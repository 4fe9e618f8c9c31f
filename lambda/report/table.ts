// Report (pure): the audit as a plain-text table for people (the CLI's default `--format table`).
import { type AuditReport, type AuditSummary, type RoleAudit, violationsOf } from '../domain/audit-report';
import { clusterNoteText } from '../domain/node-roles';
import { groupByOwner, untaggedRoles } from '../domain/owner-report';
import { ownerPhrase } from '../domain/owners';
import { grantReach } from '../domain/resource-policies';
import type { EksRegionWarning } from '../domain/types';
import {
  exemptionPhrase,
  grantSources,
  listWithMore,
  type RenderExtras,
  wherePhrase,
} from '../present/describe';
import { POD_ROLE_HINT } from '../present/pod-role';
import { singleLine, truncate, wrap } from '../present/text';
import { podRoleTableLines } from './pod-roles';
import { DEFAULT_WIDTH } from './width';

export { DEFAULT_WIDTH } from './width';

/** Longest text one cell shows (a long role or cluster list is cut with an ellipsis). */
const MAX_CELL = 64;
const COLUMN_GAP = '  ';

interface Column {
  readonly title: string;
  readonly cell: (role: RoleAudit) => string;
  /** A long, free-text column: its own wrapped line in the narrow layout (see `cards`). */
  readonly wraps: boolean;
}

const COLUMNS: readonly Column[] = [
  { title: 'STATUS', cell: (role) => role.verdict, wraps: false },
  { title: 'SEVERITY', cell: (role) => role.severity ?? '-', wraps: false },
  { title: 'ROLE', cell: (role) => role.roleName, wraps: true },
  { title: 'WRITE', cell: (role) => String(role.writeActions.length), wraps: false },
  { title: 'GRANTED BY', cell: (role) => listWithMore(grantSources(role), 2), wraps: true },
  { title: 'USED BY', cell: (role) => wherePhrase(role, 2), wraps: true },
  { title: 'NOTE', cell: noteFor, wraps: true },
];

export interface TableOptions {
  /** Terminal width in columns: a table wider than this is laid out one block a role (default DEFAULT_WIDTH). */
  readonly width?: number;
}

/** Findings first (violations by severity, then indeterminate, then exempt), then the summary. */
export function renderTable(
  report: AuditReport,
  extras: RenderExtras = {},
  options: TableOptions = {},
): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const findings = [
    ...violationsOf(report),
    ...report.roles.filter((role) => role.verdict === 'indeterminate'),
    ...report.roles.filter((role) => role.verdict === 'exempt'),
  ];
  const lines = [title(report, extras.capturedAt), ''];
  if (findings.length === 0) {
    lines.push(
      report.summary.nodeRolesTotal === 0
        ? 'No EKS node role found.'
        : 'No finding: no EKS node role can write to Amazon ECR.',
    );
  } else {
    lines.push(...table(findings, width));
    if (violationsOf(report).length > 0) lines.push('', `Push access: ${POD_ROLE_HINT}`);
  }
  lines.push(
    ...resourceGrantLines(report),
    ...anyPrincipalLines(report),
    ...danglingLines(report),
    ...warningLines(extras.eksWarnings ?? []),
    ...clusterNoteLines(report),
    ...podRoleTableLines(report),
    ...ownerLines(report),
    ...untaggedLines(report),
    '',
    ...summaryLines(report.summary),
  );
  return `${lines.flatMap((line) => fitLine(line, width)).join('\n')}\n`;
}

function title(report: AuditReport, capturedAt: string | undefined): string {
  const account = report.accountId ?? 'unknown account';
  const when = capturedAt === undefined ? `on ${report.today}` : `as captured ${capturedAt}`;
  return `eks-ecr-guard audit of ${account} (${report.partition}) ${when}`;
}

function table(roles: readonly RoleAudit[], width: number): string[] {
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
  const lines = [line(COLUMNS.map((column) => column.title)), ...rows.map(line)];
  return lines.every((text) => text.length <= width) ? lines : cards(roles, width);
}

/**
 * The narrow layout, when the table is wider than the terminal: one block a role, the short fields on its first
 * line and each long one on its own line, wrapped. The same cells as the table: nothing is dropped.
 */
function cards(roles: readonly RoleAudit[], width: number): string[] {
  const labelled = COLUMNS.filter((column) => column.wraps && column.title !== 'ROLE');
  const label = (title: string): string => `  ${`${title.toLowerCase()}:`.padEnd(12)}`;
  return roles.flatMap((role, index) => {
    const writes = role.writeActions.length;
    const head =
      `${role.verdict.padEnd(13)}  ${(role.severity ?? '-').padEnd(8)}  ${singleLine(role.roleName)}  ` +
      `${writes} ECR write action${writes === 1 ? '' : 's'}`;
    const fields = labelled.flatMap((column) => {
      const value = truncate(singleLine(column.cell(role)), MAX_CELL);
      return value === '' ? [] : wrap(value, width, label(column.title), ' '.repeat(label('').length));
    });
    return [...(index === 0 ? [] : ['']), ...fitLine(head, width), ...fields];
  });
}

/** A cell in lines of at most `width`: broken at spaces, commas or slashes, else mid-word; nothing is dropped. */
function wrapCell(cell: string, width: number): string[] {
  if (cell.length <= width) return [cell];
  const lines: string[] = [];
  let rest = cell;
  while (rest.length > width) {
    const window = rest.slice(0, width + 1);
    const breakAt = Math.max(
      window.lastIndexOf(' '),
      window.lastIndexOf(',') + 1,
      window.lastIndexOf('/') + 1,
    );
    const cut = breakAt > 0 && breakAt <= width ? breakAt : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) lines.push(rest);
  return lines;
}

/** A line longer than the terminal (a long ARN, a warning) continues on indented lines; nothing is dropped. */
function fitLine(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const indent = (/^ */.exec(line)?.[0] ?? '').length + 4;
  const [first = ''] = wrapCell(line, width);
  const rest = line.slice(first.length).trimStart();
  return [first, ...wrapCell(rest, width - indent).map((part) => `${' '.repeat(indent)}${part}`)];
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

/** Per node role, the ECR resource policies that grant it write directly (the guard never edits them). */
function resourceGrantLines(report: AuditReport): string[] {
  const roles = report.roles.filter((role) => (role.resourceGrants ?? []).length > 0);
  if (roles.length === 0) return [];
  return [
    '',
    'ECR resource policies that grant node roles write directly (fix them by hand; the guard does not edit them):',
    ...roles.flatMap((role) =>
      (role.resourceGrants ?? []).map((grant) => {
        const condition = grant.conditional ? ', with a condition' : '';
        return `  ${role.roleName}: ${grantReach(grant)}, statement ${grant.statement}${condition}: ${listWithMore(grant.actions, 3)}`;
      }),
    ),
  ];
}

/** Resource-policy statements that grant ECR write to `*`, whoever uses them. */
function anyPrincipalLines(report: AuditReport): string[] {
  const found = report.anyPrincipalWrites ?? [];
  if (found.length === 0) return [];
  return [
    '',
    'ECR resource policies that grant write to any principal ("*"):',
    ...found.map((item) => {
      const how = item.principal === 'not-principal' ? ' (NotPrincipal)' : '';
      const condition = item.conditional ? ', with a condition' : '';
      return `  ${grantReach(item)}, statement ${item.statement}${how}${condition}: ${listWithMore(item.actions, 3)}`;
    }),
  ];
}

/** Most owners listed by the table (the JSON lists every role's owner). */
const MAX_OWNERS_SHOWN = 50;

/** Node roles per owner (tag value, `untagged`, `unknown`), naming the violating ones; when owners were resolved. */
function ownerLines(report: AuditReport): string[] {
  if (report.summary.untaggedNodeRoles === undefined || report.roles.length === 0) return [];
  const groups = groupByOwner(report.roles);
  const shown = groups.slice(0, MAX_OWNERS_SHOWN).map((group) => {
    const violating = group.roles.filter((role) => role.verdict === 'violation').map((role) => role.roleName);
    const names =
      violating.length === 0 ? '' : `, ${violating.length} violating (${listWithMore(violating, 3)})`;
    return singleLine(
      `${group.owner}: ${group.nodeRoles} node role${group.nodeRoles === 1 ? '' : 's'}${names}`,
    );
  });
  const more = groups.length - shown.length;
  return [
    '',
    'Node roles by owner:',
    ...shown.map((text) => `  ${text}`),
    ...(more > 0 ? [`  … and ${more} more owners`] : []),
  ];
}

/** The low-severity untagged-node-role finding, one line a role: where no owner tag was found. */
function untaggedLines(report: AuditReport): string[] {
  const roles = untaggedRoles(report.roles);
  if (roles.length === 0) return [];
  return [
    '',
    'Node roles with no owner tag (low; tag the role, its node group or its cluster):',
    ...roles.map(
      (role) =>
        `  ${singleLine(`${role.roleName}: ${role.decision.owner === undefined ? '' : ownerPhrase(role.decision.owner)}`)}`,
    ),
  ];
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
    ...(summary.untaggedNodeRoles === undefined
      ? []
      : [['Untagged node roles', `${summary.untaggedNodeRoles} (no owner tag, low)`] as [string, string]]),
    ...(summary.anyPrincipalWrites === undefined
      ? []
      : [['ECR "*" write policies', String(summary.anyPrincipalWrites)] as [string, string]]),
  ];
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return ['Summary', ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)];
}
