// Report (pure): the organization audit as JSON for tools (`audit --org --format json`): totals, one entry per
// audited account holding its single-account audit JSON, and the accounts that could not be read with why.
import type { OrgAuditReport, UnreadableAccount } from '../domain/org-report';
import { AUDIT_JSON_FORMAT_VERSION, auditJson, TOOL_NAME, TOOL_VERSION } from './json';

export function orgAuditJson(report: OrgAuditReport) {
  return {
    formatVersion: AUDIT_JSON_FORMAT_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    kind: 'organization' as const,
    partition: report.partition,
    date: report.today,
    roleName: report.roleName,
    totals: report.totals,
    accounts: report.audited.map(({ account, report: accountReport, eksWarnings }) => ({
      accountId: account.id,
      accountName: account.name,
      summary: accountReport.summary,
      eksWarnings,
      audit: auditJson(accountReport, { eksWarnings }),
    })),
    unreadable: report.unreadable.map(unreadableJson),
  };
}

export function unreadableJson({ account, stage, code, message }: UnreadableAccount) {
  return { accountId: account.id, accountName: account.name, stage, code, message };
}

export function renderOrgJson(report: OrgAuditReport): string {
  return `${JSON.stringify(orgAuditJson(report), null, 2)}\n`;
}
