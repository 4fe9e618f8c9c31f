// Report (pure): the IaC check as a table, JSON, or SARIF 2.1.0 whose results carry the file and line of the
// resource, so code scanning annotates the template line. Severity rules are the audit's own (report/sarif).
import { isAbsolute, relative, sep } from 'node:path';
import { TOOL_NAME, TOOL_VERSION } from '../report/json';
import {
  roleFingerprint,
  SARIF_RULES,
  type SarifLevel,
  type SarifRule,
  sarifLog,
  sarifTool,
} from '../report/sarif';
import type { IacFinding, IacReport } from './check';
import type { SourceLocation } from './source';

export const IAC_JSON_FORMAT_VERSION = 1;
export const IAC_FINGERPRINT_KEY = 'eksEcrGuardIacFinding/v1';

/** Unresolvable node roles and policies: a warning rule of their own next to the audit's severity rules. */
export const UNKNOWN_RULE: SarifRule = {
  id: 'EKS-ECR-WRITE-UNKNOWN',
  name: 'NodeRoleEcrWriteUnknown',
  shortDescription: {
    text: 'Whether this EKS node role can write to Amazon ECR cannot be told from the files',
  },
  fullDescription: {
    text:
      'A node role, or one of its policies, comes from a value the files do not give (a parameter, another ' +
      'stack, a value known only after apply, or a managed policy whose document is not bundled).',
  },
  help: {
    text: 'Check the policies this role gets at deploy time, or make them visible in the template or plan.',
    markdown:
      'Check the policies this role gets at deploy time, or make them visible in the template or plan.',
  },
  defaultConfiguration: { level: 'warning' },
  properties: {
    tags: ['security', 'aws', 'eks', 'ecr', 'iam'],
    precision: 'medium',
    'problem.severity': 'warning',
    'security-severity': '4.0',
  },
};

const RULES: readonly SarifRule[] = [...SARIF_RULES, UNKNOWN_RULE];

/** A file path as a SARIF artifact URI: relative to `root` when below it, with forward slashes. */
function artifactUri(file: string, root: string): string {
  const path = isAbsolute(file) ? relative(root, file) : file;
  return (path.startsWith('..') ? file : path).split(sep).join('/');
}

function ruleFor(finding: IacFinding): { rule: SarifRule; index: number } {
  const id =
    finding.verdict === 'violation'
      ? `EKS-ECR-WRITE-${(finding.severity ?? 'medium').toUpperCase()}`
      : UNKNOWN_RULE.id;
  const index = Math.max(
    0,
    RULES.findIndex((rule) => rule.id === id),
  );
  return { rule: RULES[index] ?? UNKNOWN_RULE, index };
}

function physical(location: SourceLocation, root: string) {
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(location.file, root) },
      region: { startLine: location.line, startColumn: location.column },
    },
  };
}

/** One line about a finding: the reason, what grants the write, what uses the role, what is unknown. */
export function findingMessage(finding: IacFinding): string {
  const granted = finding.grantedBy.map((g) => g.policy);
  const by = granted.length > 0 ? ` Granted by ${granted.join(', ')}.` : '';
  const used =
    finding.usedBy.length > 0 ? ` Used by ${finding.usedBy.map((u) => u.resource).join(', ')}.` : '';
  const unknown = finding.unknown.map((u) => `${u.policy}: ${u.reason}`);
  return `${finding.reason}${by}${used}${unknown.length > 0 ? ` Unknown: ${unknown.join('; ')}.` : ''}`;
}

/** SARIF: one result per violation or unknown finding, located at the granting policy (or the role). */
export function iacSarif(report: IacReport, root: string = process.cwd()) {
  const results = report.findings
    .filter((finding) => finding.verdict !== 'compliant')
    .map((finding) => {
      const { rule, index } = ruleFor(finding);
      const level: SarifLevel = rule.defaultConfiguration.level;
      const uri = artifactUri(finding.location.file, root);
      return {
        ruleId: rule.id,
        ruleIndex: index,
        level,
        message: { text: findingMessage(finding) },
        locations: [
          {
            ...physical(finding.location, root),
            logicalLocations: [
              { name: finding.subject, fullyQualifiedName: `${uri}#${finding.subject}`, kind: 'resource' },
            ],
          },
        ],
        relatedLocations: finding.usedBy.map((use, id) => ({
          id,
          ...physical(use.location, root),
          message: { text: use.resource },
        })),
        partialFingerprints: {
          [IAC_FINGERPRINT_KEY]: roleFingerprint(`${uri}#${finding.subject}`, finding.writeActions),
        },
        properties: {
          verdict: finding.verdict,
          severity: finding.severity,
          writeActions: finding.writeActions,
        },
      };
    });
  return sarifLog([
    {
      tool: sarifTool(RULES),
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
      artifacts: report.files.map((file) => ({ location: { uri: artifactUri(file, root) } })),
      results,
      properties: { summary: report.summary },
    },
  ]);
}

export function renderIacSarif(report: IacReport, root?: string): string {
  return `${JSON.stringify(iacSarif(report, root), null, 2)}\n`;
}

export function renderIacJson(report: IacReport): string {
  const json = {
    formatVersion: IAC_JSON_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    files: report.files,
    summary: report.summary,
    findings: report.findings,
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

function where(location: SourceLocation): string {
  return `${location.file}:${location.line}`;
}

/** The table: one line per finding (violations first), the reason and unknowns under it, then the summary. */
export function renderIacTable(report: IacReport): string {
  const lines = [`eks-ecr-guard iac: ${report.files.length} file(s)`, ''];
  if (report.findings.length === 0) lines.push('No EKS node role found in these files.');
  for (const finding of report.findings) {
    lines.push(
      `${finding.verdict.toUpperCase()}${finding.severity === null ? '' : ` ${finding.severity}`}  ${finding.subject}  ${where(finding.location)}`,
    );
    lines.push(`  ${finding.reason}`);
    for (const grant of finding.grantedBy)
      lines.push(`  granted by ${grant.policy} (${where(grant.location)})`);
    for (const note of finding.unknown)
      lines.push(`  unknown: ${note.policy}: ${note.reason} (${where(note.location)})`);
    for (const use of finding.usedBy) lines.push(`  used by ${use.resource} (${where(use.location)})`);
  }
  const { summary } = report;
  const v = summary.violations;
  lines.push(
    '',
    'Summary',
    `  Node roles:  ${summary.nodeRoles}`,
    `  Compliant:   ${summary.compliant}`,
    `  Violations:  ${v.total} (critical ${v.critical}, high ${v.high}, medium ${v.medium})`,
    `  Unknown:     ${summary.unknown}`,
  );
  return `${lines.join('\n')}\n`;
}
