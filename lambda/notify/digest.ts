// Notify (pure): the scheduled sweep's digest: one plain-text SNS message listing every violation once, with its
// remediation outcome, the open counts and the compliance KPIs, under the SNS subject and size limits.
import { EXEMPT_TAG_KEY, type GuardMode } from '../contract';
import {
  type AuditReport,
  highestSeverity,
  percent,
  type RoleAudit,
  violationsOf,
} from '../domain/audit-report';
import type { EksRegionWarning, RemediationStatus, Severity } from '../domain/types';
import type { UsageHold } from '../domain/usage';
import {
  exemptionPhrase,
  grantSources,
  listWithMore,
  wherePhrase,
  writeActionsPhrase,
} from '../present/describe';
import { andMore, heading, singleLine, truncate, truncateAscii, utf8Bytes } from '../present/text';
import { MESSAGE_BYTE_BUDGET, messageBytes } from './attributes';
import { ownerDigestSections } from './digest-owners';
import { podRoleKpiRows, podRoleSection } from './pod-role-digest';
import { MAX_SUBJECT_LENGTH } from './subject';

/** What the sweep did about one violation in remediate mode (`error`: the remediation threw). */
export interface DigestRemediation {
  /** What the fix did, or the usage hold that kept the sweep from fixing (CloudTrail shows the role pushing...). */
  readonly status: RemediationStatus | UsageHold | 'error';
  readonly error: string | null;
}

export interface DigestInput {
  readonly report: AuditReport;
  readonly mode: GuardMode;
  /** Role name → outcome, for the violations the sweep tried to fix. */
  readonly remediations: ReadonlyMap<string, DigestRemediation>;
  readonly eksWarnings: readonly EksRegionWarning[];
}

/** The state of the account at the end of the sweep (what the KPI metrics report too). */
export interface SweepKpis {
  readonly nodeRolesTotal: number;
  /** Compliant when audited, plus the violations this sweep fixed. */
  readonly nodeRolesCompliant: number;
  /** nodeRolesCompliant / nodeRolesTotal in percent, one decimal (100 with no node role). */
  readonly complianceRatio: number;
  readonly open: Readonly<Record<Severity, number>>;
  readonly openTotal: number;
  readonly fixed: number;
}

export interface Digest {
  readonly subject: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** Violations named in the body; the rest did not fit the SNS size limit. */
  readonly listed: number;
  readonly omitted: number;
}

const INDENT = '  ';
/** Longest untrusted text shown in one line (an exemption reason, an error message). */
const MAX_FIELD = 300;
/** Most entries of each secondary list (indeterminate roles, dangling references...) shown. */
const MAX_SECONDARY = 50;
const FIXED_STATUSES: ReadonlySet<DigestRemediation['status']> = new Set(['applied', 'not-needed']);

const field = (text: string): string => truncate(singleLine(text), MAX_FIELD);
const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** True when this sweep's remediation removed the violation (or found it already gone). */
export function isFixed(remediation: DigestRemediation | undefined): boolean {
  return remediation !== undefined && FIXED_STATUSES.has(remediation.status);
}

/** The violations still open after the sweep's remediation, most severe first. */
export function openViolations(
  report: AuditReport,
  remediations: ReadonlyMap<string, DigestRemediation>,
): RoleAudit[] {
  return violationsOf(report).filter((role) => !isFixed(remediations.get(role.roleName)));
}

export function sweepKpis(
  report: AuditReport,
  remediations: ReadonlyMap<string, DigestRemediation>,
): SweepKpis {
  const open = openViolations(report, remediations);
  const openOf = (severity: Severity): number => open.filter((role) => role.severity === severity).length;
  const fixed = violationsOf(report).length - open.length;
  const total = report.summary.nodeRolesTotal;
  const compliant = report.summary.nodeRolesCompliant + fixed;
  return {
    nodeRolesTotal: total,
    nodeRolesCompliant: compliant,
    complianceRatio: percent(compliant, total),
    open: { critical: openOf('critical'), high: openOf('high'), medium: openOf('medium') },
    openTotal: open.length,
    fixed,
  };
}

/** True when the digest has something for a person: violations (open or fixed) or roles that need a look. */
export function digestNeeded(report: AuditReport): boolean {
  return report.summary.violations.total > 0 || report.summary.indeterminate > 0;
}

export function formatDigest(input: DigestInput): Digest {
  const { report, remediations } = input;
  const kpis = sweepKpis(report, remediations);
  const highestOpen = highestSeverity(openViolations(report, remediations).map((role) => role.severity));
  const subject = digestSubject(report, kpis, highestOpen);
  const attributes = {
    kind: 'digest',
    alertKind: 'digest',
    severity: highestOpen ?? 'none',
    account: report.accountId ?? 'unknown',
    mode: input.mode,
    openViolations: String(kpis.openTotal),
  };
  const head = headLines(input, kpis);
  const tail = tailLines(input, kpis);
  const violations = violationsOf(report);
  const fixedBytes = messageBytes({ subject, body: [...head, ...tail].join('\n'), attributes });
  const { lines, listed } = fitLines(
    violations.map((role) => violationLine(role, input)),
    MESSAGE_BYTE_BUDGET - fixedBytes,
  );
  const omitted = violations.length - listed;
  const omittedNote =
    omitted === 0
      ? []
      : [
          `${INDENT}${andMore(omitted, 'violations not listed (SNS size limit): run eks-ecr-guard audit --live')}`,
        ];
  const violationSection =
    violations.length === 0
      ? []
      : ['', ...heading(`VIOLATIONS (${violations.length})`), ...lines, ...omittedNote];
  const body = [...head, ...violationSection, ...tail].join('\n');
  return { subject, body: `${body}\n`, attributes, listed, omitted };
}

// ---- subject --------------------------------------------------------------------------------------

function digestSubject(report: AuditReport, kpis: SweepKpis, highestOpen: Severity | null): string {
  const account = report.accountId === null ? '' : ` (${report.accountId})`;
  const roles = (count: number): string => plural(count, 'EKS node role');
  let text: string;
  if (kpis.openTotal > 0) {
    const fixed = kpis.fixed > 0 ? `, ${kpis.fixed} fixed` : '';
    const tag = highestOpen === null ? '[ALERT]' : `[${highestOpen.toUpperCase()}]`;
    text = `${tag} eks-ecr-guard sweep: ${roles(kpis.openTotal)} can write to ECR${fixed}${account}`;
  } else if (kpis.fixed > 0) {
    text = `[FIXED] eks-ecr-guard sweep: ECR write removed from ${roles(kpis.fixed)}${account}`;
  } else if (report.summary.indeterminate > 0) {
    text = `[CHECK] eks-ecr-guard sweep: ${roles(report.summary.indeterminate)} could not be verified${account}`;
  } else {
    text = `[OK] eks-ecr-guard sweep: no EKS node role can write to ECR${account}`;
  }
  return truncateAscii(text, MAX_SUBJECT_LENGTH);
}

// ---- body -----------------------------------------------------------------------------------------

function headLines(input: DigestInput, kpis: SweepKpis): string[] {
  const { report } = input;
  const account = report.accountId ?? 'unknown account';
  const mode =
    input.mode === 'remediate'
      ? 'remediate (violations with a plan were fixed as on the event path)'
      : 'alert only (the guard changes nothing)';
  const state =
    kpis.openTotal === 0
      ? 'No EKS node role can write to Amazon ECR after this sweep.'
      : `${plural(kpis.openTotal, 'EKS node role')} can write to Amazon ECR.`;
  return [
    `eks-ecr-guard scheduled sweep of account ${account} (${report.partition}) on ${report.today}.`,
    state,
    '',
    `${INDENT}Mode:       ${mode}`,
  ];
}

function violationLine(role: RoleAudit, input: DigestInput): string {
  const severity = `[${(role.severity ?? 'unknown').toUpperCase()}]`;
  const sources = listWithMore(grantSources(role), 2);
  const status = statusPhrase(role, input);
  return (
    `${INDENT}${severity} ${field(role.roleName)}: ${writeActionsPhrase(role)} via ${sources}; ` +
    `${wherePhrase(role, 2)}${status === '' ? '' : ` => ${status}`}`
  );
}

function statusPhrase(role: RoleAudit, input: DigestInput): string {
  if (input.mode !== 'remediate') return '';
  const remediation = input.remediations.get(role.roleName);
  if (remediation === undefined) {
    const expired = role.decision.expiredExemption ?? null;
    return expired === null
      ? 'not fixed automatically (no applicable plan): fix by hand'
      : `not fixed automatically: its ${EXEMPT_TAG_KEY} tag expired on ${expired.until ?? '?'} and still blocks the guard's writes; remove the tag or renew it`;
  }
  const error = remediation.error === null ? '' : `: ${field(remediation.error)}`;
  switch (remediation.status) {
    case 'applied':
      return 'FIXED by this sweep';
    case 'not-needed':
      return 'already fixed, no change';
    case 'failed-safe':
      return `FIX NOT FINISHED (pulls still work), finish by hand${error}`;
    case 'failed-pulls-at-risk':
      return `FIX FAILED AND IMAGE PULLS MAY BE BROKEN, needs a human now${error}`;
    case 'error':
      return `FIX ERROR, check the role${error}`;
    case 'escalated-in-use':
      return `NOT FIXED: CloudTrail shows the role pushing to ECR, move the push to a pod role first${error}`;
    case 'held-usage-unknown':
      return `NOT FIXED: its ECR usage could not be looked up${error}`;
  }
}

function tailLines(input: DigestInput, kpis: SweepKpis): string[] {
  const { report } = input;
  return [
    ...listSection(
      'NEEDS A LOOK (could not be verified)',
      report.roles.filter((role) => role.verdict === 'indeterminate'),
      (role) => `${INDENT}${field(role.roleName)}: ${field(role.reason)}`,
    ),
    ...listSection(
      'EXEMPTIONS ENDING WITHIN 14 DAYS',
      report.roles.filter((role) => role.verdict === 'exempt' && role.exemptionExpiringSoon),
      (role) =>
        `${INDENT}${field(role.roleName)}: ${exemptionPhrase(role)}, ${field(role.exemption?.reason ?? '')}`,
    ),
    ...listSection(
      'EKS REFERENCES TO ROLES THAT DO NOT EXIST',
      report.dangling,
      (ref) =>
        `${INDENT}${field(ref.roleArn ?? ref.roleName)}: ${ref.kind} in ${ref.region ?? '?'}/${ref.cluster ?? '?'}`,
    ),
    ...listSection(
      'EKS REGIONS NOT READ (their node roles are not in this sweep)',
      input.eksWarnings,
      (w) => `${INDENT}${w.region}: ${field(`${w.code}: ${w.message}`)}`,
    ),
    ...podRoleSection(report),
    ...ownerDigestSections(report, (role) => !isFixed(input.remediations.get(role.roleName))),
    '',
    ...heading('SUMMARY'),
    ...kpiLines(input, kpis),
  ];
}

function listSection<T>(title: string, items: readonly T[], line: (item: T) => string): string[] {
  if (items.length === 0) return [];
  const shown = items.slice(0, MAX_SECONDARY).map(line);
  const more = items.length - shown.length;
  return [
    '',
    ...heading(`${title} (${items.length})`),
    ...shown,
    ...(more > 0 ? [`${INDENT}${andMore(more, '')}`] : []),
  ];
}

function kpiLines(input: DigestInput, kpis: SweepKpis): string[] {
  const { summary } = input.report;
  const rows: [string, string][] = [
    ['Node roles', `${kpis.nodeRolesTotal} (of ${summary.rolesScanned} IAM roles)`],
    ['Compliant', `${kpis.nodeRolesCompliant} (${kpis.complianceRatio.toFixed(1)}%)`],
    [
      'Open violations',
      `${kpis.openTotal} (critical ${kpis.open.critical}, high ${kpis.open.high}, medium ${kpis.open.medium})`,
    ],
    ['Indeterminate', String(summary.indeterminate)],
    ['Exempt', `${summary.exempt} (${summary.exemptionsExpiringSoon} ending within 14 days)`],
    ...podRoleKpiRows(input.report),
    ...(summary.untaggedNodeRoles === undefined
      ? []
      : [
          ['Untagged', `${summary.untaggedNodeRoles} (node roles with no owner tag, low)`] as [
            string,
            string,
          ],
        ]),
  ];
  if (input.mode === 'remediate') rows.splice(3, 0, ['Fixed by this sweep', String(kpis.fixed)]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${INDENT}${`${label}:`.padEnd(width)} ${value}`);
}

/** As many lines as fit in `budget` bytes (each costs its bytes plus a line break), in order. */
function fitLines(lines: readonly string[], budget: number): { lines: string[]; listed: number } {
  // Room for the "… and N more" note, which replaces whatever does not fit.
  let remaining = budget - 200;
  const kept: string[] = [];
  for (const line of lines) {
    const cost = utf8Bytes(line) + 1;
    if (cost > remaining) break;
    kept.push(line);
    remaining -= cost;
  }
  return { lines: kept, listed: kept.length };
}
