// Report (pure): the audit as SARIF 2.1.0 (`--format sarif`) for code-scanning dashboards: one rule per severity
// class, one result per violating node role, located by the role's ARN (a logical location, no source file).
import { createHash } from 'node:crypto';
import { EXEMPT_TAG_KEY } from '../contract';
import type { AuditReport, RoleAudit } from '../domain/audit-report';
import { violationsOf } from '../domain/audit-report';
import { clusterNoteText } from '../domain/node-roles';
import { untaggedRoles } from '../domain/owner-report';
import { ownerLabel } from '../domain/owners';
import type { Severity } from '../domain/types';
import type { RenderExtras } from '../present/describe';
import { grantSources, listWithMore, wherePhrase, writeActionsPhrase } from '../present/describe';
import { POD_ROLE_HINT } from '../present/pod-role';
import { TOOL_NAME, TOOL_VERSION } from './json';

export const SARIF_SCHEMA =
  'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
export const SARIF_VERSION = '2.1.0';
/** Where people read about the tool; set to the published repository's README. */
export const INFORMATION_URI = 'https://github.com/eks-ecr-guard/eks-ecr-guard#readme';
/** The partialFingerprints key: bump the suffix if what it hashes ever changes. */
export const FINGERPRINT_KEY = 'eksEcrGuardRoleWriteActions/v1';

export type SarifLevel = 'error' | 'warning' | 'note';

/** A SARIF log of these runs (a run may carry more than `SarifLog`'s, e.g. the IaC check's artifacts). */
export function sarifLog<Run>(runs: readonly Run[]): {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly Run[];
} {
  return { $schema: SARIF_SCHEMA, version: SARIF_VERSION, runs };
}

/** The run's tool: this package as the driver, with the rules its results use. */
export function sarifTool(rules: readonly SarifRule[]): SarifLog['runs'][number]['tool'] {
  return { driver: { name: TOOL_NAME, version: TOOL_VERSION, informationUri: INFORMATION_URI, rules } };
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string; readonly markdown: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: {
    readonly tags: readonly string[];
    readonly precision: string;
    readonly 'problem.severity': string;
    /** GitHub code scanning's 0-10 score (critical ≥ 9, high ≥ 7, medium ≥ 4). */
    readonly 'security-severity': string;
  };
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly logicalLocations: readonly {
      readonly name: string;
      readonly fullyQualifiedName: string;
      readonly kind: string;
    }[];
  }[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly properties: Readonly<Record<string, unknown>>;
}

export interface SarifNotification {
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
}

export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly {
    readonly tool: {
      readonly driver: {
        readonly name: string;
        readonly version: string;
        readonly informationUri: string;
        readonly rules: readonly SarifRule[];
      };
    };
    readonly invocations: readonly {
      readonly executionSuccessful: boolean;
      readonly toolExecutionNotifications: readonly SarifNotification[];
    }[];
    readonly results: readonly SarifResult[];
    readonly properties: Readonly<Record<string, unknown>>;
  }[];
}

const TAGS = ['security', 'CIS EKS 5.1.3', 'aws', 'eks', 'ecr', 'iam', 'least-privilege'] as const;

const HELP_TEXT =
  'An EKS node role is shared by every pod on its nodes (through the instance metadata service), so ECR write ' +
  'access on it lets any pod push, overwrite or delete images (CIS Amazon EKS Benchmark 5.1.3: limit ' +
  'container registry access to read-only). Give nodes AmazonEC2ContainerRegistryPullOnly (or ReadOnly) and ' +
  'move push rights to the one workload that needs them, with EKS Pod Identity or IRSA. To accept the risk for ' +
  `a while, tag the role ${EXEMPT_TAG_KEY} with a reason and until=YYYY-MM-DD.`;

interface RuleSpec {
  readonly id: string;
  readonly name: string;
  readonly short: string;
  readonly full: string;
  readonly level: SarifLevel;
  readonly score: string;
}

const RULE_SPECS: Readonly<Record<Severity, RuleSpec>> = {
  critical: {
    id: 'EKS-ECR-WRITE-CRITICAL',
    name: 'NodeRoleAllowsEveryAction',
    short: 'EKS node role can write to Amazon ECR through a grant of every action',
    full:
      'A policy on the EKS node role allows every action of every service (AdministratorAccess, "*", or a broad ' +
      'NotAction), which includes writing to Amazon ECR.',
    level: 'error',
    score: '9.5',
  },
  high: {
    id: 'EKS-ECR-WRITE-HIGH',
    name: 'NodeRoleAllowsEcrWrite',
    short: 'EKS node role can write to Amazon ECR on every repository',
    full:
      'A policy on the EKS node role allows a whole ECR service (ecr:* or ecr-public:*) or ECR write actions on ' +
      'every resource without a condition (e.g. AmazonEC2ContainerRegistryPowerUser or FullAccess).',
    level: 'error',
    score: '8.0',
  },
  medium: {
    id: 'EKS-ECR-WRITE-MEDIUM',
    name: 'NodeRoleAllowsScopedEcrWrite',
    short: 'EKS node role can write to some Amazon ECR repositories',
    full: 'A policy on the EKS node role allows ECR write actions, but only on some resources or under a condition.',
    level: 'warning',
    score: '5.5',
  },
};

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium'];

export const SARIF_RULES: readonly SarifRule[] = SEVERITY_ORDER.map((severity) =>
  toRule(RULE_SPECS[severity]),
);

function toRule(spec: RuleSpec): SarifRule {
  return {
    id: spec.id,
    name: spec.name,
    shortDescription: { text: spec.short },
    fullDescription: { text: spec.full },
    help: { text: HELP_TEXT, markdown: HELP_TEXT },
    defaultConfiguration: { level: spec.level },
    properties: {
      tags: TAGS,
      precision: 'high',
      'problem.severity': spec.level === 'error' ? 'error' : 'warning',
      'security-severity': spec.score,
    },
  };
}

/** The SARIF log: exactly one result per violation; indeterminate roles and unread regions as notifications. */
export function auditSarif(report: AuditReport, extras: RenderExtras = {}): SarifLog {
  return sarifLog([
    {
      tool: sarifTool(SARIF_RULES),
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications(report, extras) }],
      results: violationsOf(report).map(toResult),
      properties: {
        accountId: report.accountId,
        partition: report.partition,
        date: report.today,
        summary: report.summary,
      },
    },
  ]);
}

export function renderSarif(report: AuditReport, extras: RenderExtras = {}): string {
  return `${JSON.stringify(auditSarif(report, extras), null, 2)}\n`;
}

/** Stable per role and write actions: the same finding keeps its identity across runs; a change opens a new one. */
export function roleFingerprint(roleArn: string, writeActions: readonly string[]): string {
  const actions = [...writeActions].sort().join(',');
  return createHash('sha256').update(`${roleArn}\n${actions}`).digest('hex');
}

function toResult(role: RoleAudit): SarifResult {
  // A violation always has a severity; `medium` is the conservative fallback for a malformed decision.
  const severity = role.severity ?? 'medium';
  const spec = RULE_SPECS[severity];
  const sources = grantSources(role);
  const message =
    `EKS node role ${role.roleName} can write to Amazon ECR: ${writeActionsPhrase(role)}, ` +
    `granted by ${listWithMore(sources, 3)}. Used by ${wherePhrase(role)}. ${POD_ROLE_HINT}`;
  return {
    ruleId: spec.id,
    ruleIndex: SEVERITY_ORDER.indexOf(severity),
    level: spec.level,
    message: { text: message },
    locations: [
      {
        logicalLocations: [{ name: role.roleName, fullyQualifiedName: role.roleArn, kind: 'resource' }],
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: roleFingerprint(role.roleArn, role.writeActions) },
    properties: {
      severity,
      writeActions: role.writeActions,
      grantedBy: sources,
      clusters: role.clusters,
      nodegroups: role.nodegroups,
      plan: role.decision.plan,
      ...(role.decision.owner === undefined ? {} : { owner: ownerLabel(role.decision.owner) }),
    },
  };
}

function notifications(report: AuditReport, extras: RenderExtras): SarifNotification[] {
  const indeterminate = report.roles
    .filter((role) => role.verdict === 'indeterminate')
    .map((role) => ({ level: 'warning' as const, message: { text: role.reason } }));
  const regions = (extras.eksWarnings ?? []).map((w) => ({
    level: 'warning' as const,
    message: { text: `EKS in ${w.region} could not be read (${w.code}): ${w.message}` },
  }));
  const dangling = report.dangling.map((ref) => ({
    level: 'note' as const,
    message: {
      text: `EKS ${ref.kind} in ${ref.region ?? '?'}/${ref.cluster ?? '?'} names role ${ref.roleArn ?? ref.roleName}, which does not exist in IAM.`,
    },
  }));
  const clusters = (report.clusterNotes ?? []).map((note) => ({
    level: 'warning' as const,
    message: { text: clusterNoteText(note) },
  }));
  // The low-severity untagged-node-role finding: a note, not a result (results are the ECR-write violations).
  const untagged = untaggedRoles(report.roles).map((role) => ({
    level: 'note' as const,
    message: {
      text: `EKS node role ${role.roleName} has no owner tag (untagged-node-role, low): ${role.decision.owner?.reason ?? ''}.`,
    },
  }));
  return [...indeterminate, ...regions, ...clusters, ...dangling, ...untagged];
}
