// Report (pure): the audit as JSON for tools (`--format json`): every node role, the summary, dangling references.
import packageJson from '../../package.json';
import type { AuditReport, RoleAudit } from '../domain/audit-report';
import { clusterNoteText } from '../domain/node-roles';
import type { RenderExtras } from '../present/describe';
import { podRolePathFor } from '../present/pod-role';
import { podRolesJson } from './pod-roles';

export const TOOL_NAME = 'eks-ecr-guard';
export const TOOL_VERSION: string = packageJson.version;
/** Bumped when a field changes meaning or disappears; new fields may appear without a bump. */
export const AUDIT_JSON_FORMAT_VERSION = 1;

/** The JSON document: stable field names, no internal objects (the full decision stays out). */
export function auditJson(report: AuditReport, extras: RenderExtras = {}) {
  return {
    formatVersion: AUDIT_JSON_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    accountId: report.accountId,
    partition: report.partition,
    date: report.today,
    summary: report.summary,
    roles: report.roles.map((role) => roleJson(role, report)),
    dangling: report.dangling,
    eksWarnings: extras.eksWarnings ?? [],
    clusterNotes: (report.clusterNotes ?? []).map((note) => ({ ...note, message: clusterNoteText(note) })),
    ...(report.anyPrincipalWrites === undefined ? {} : { anyPrincipalWrites: report.anyPrincipalWrites }),
    // Pod roles with ECR push per cluster (additive field).
    ...podRolesJson(report),
  };
}

export function renderJson(report: AuditReport, extras: RenderExtras = {}): string {
  return `${JSON.stringify(auditJson(report, extras), null, 2)}\n`;
}

function roleJson(role: RoleAudit, report: AuditReport) {
  const { decision } = role;
  const podRole = podRolePathFor(decision, report);
  return {
    roleName: role.roleName,
    roleArn: role.roleArn,
    verdict: role.verdict,
    severity: role.severity,
    reason: role.reason,
    writeActions: role.writeActions,
    grants: role.grants,
    resourceGrants: role.resourceGrants ?? [],
    denies: decision.denies,
    clusters: role.clusters,
    nodegroups: role.nodegroups,
    evidence: decision.nodeRole.evidence,
    exemption: role.exemption,
    exemptionEndsInDays: role.exemptionEndsInDays,
    exemptionExpiringSoon: role.exemptionExpiringSoon,
    unknownPolicies: decision.unknownPolicies,
    plan: decision.plan,
    warnings: decision.warnings,
    /** Who owns the role (tag value, where it was found) or why nobody does; null when owners were not resolved. */
    owner: decision.owner ?? null,
    /** CloudTrail usage evidence, when it was looked up; null otherwise. */
    usage: decision.usage ?? null,
    /** Where push access belongs (EKS Pod Identity role) and the commands, for violations; null otherwise. */
    podRole:
      podRole === null
        ? null
        : {
            roleName: podRole.roleName,
            roleArn: podRole.roleArn,
            trustPolicy: podRole.trustPolicy,
            pushPolicyName: podRole.pushPolicyName,
            pushPolicy: podRole.pushPolicy,
            commands: podRole.commands,
            placeholders: podRole.placeholders,
          },
  };
}
