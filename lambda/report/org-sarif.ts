// Report (pure): the organization audit as one SARIF 2.1.0 run (`audit --org --format sarif`): the single-account
// results of every audited account, each carrying its account id, and an error notification per unreadable account.
import type { OrgAuditReport } from '../domain/org-report';
import { unreadableJson } from './org-json';
import {
  auditSarif,
  SARIF_RULES,
  type SarifLog,
  type SarifNotification,
  type SarifResult,
  sarifLog,
  sarifTool,
} from './sarif';

/** One run: the rules once, the results and notifications of every account; unsuccessful when an account was not read. */
export function orgAuditSarif(report: OrgAuditReport): SarifLog {
  const perAccount = report.audited.map(({ account, report: accountReport, eksWarnings }) => {
    const run = auditSarif(accountReport, { eksWarnings }).runs[0];
    const results: SarifResult[] = (run?.results ?? []).map((result) => ({
      ...result,
      properties: { ...result.properties, accountId: account.id, accountName: account.name },
    }));
    const notifications: SarifNotification[] = (run?.invocations[0]?.toolExecutionNotifications ?? []).map(
      (notification) => ({
        ...notification,
        message: { text: `Account ${account.id}: ${notification.message.text}` },
      }),
    );
    return { results, notifications };
  });
  const unreadable: SarifNotification[] = report.unreadable.map(({ account, stage, code, message }) => ({
    level: 'error',
    message: { text: `Account ${account.id} could not be read (${stage}: ${code}): ${message}` },
  }));
  return sarifLog([
    {
      // The single-account driver and rules: the same rules apply in every account.
      tool: sarifTool(SARIF_RULES),
      invocations: [
        {
          executionSuccessful: report.unreadable.length === 0,
          toolExecutionNotifications: [...unreadable, ...perAccount.flatMap((item) => item.notifications)],
        },
      ],
      results: perAccount.flatMap((item) => item.results),
      properties: {
        partition: report.partition,
        date: report.today,
        roleName: report.roleName,
        totals: report.totals,
        accounts: report.audited.map(({ account, report: accountReport }) => ({
          accountId: account.id,
          accountName: account.name,
          summary: accountReport.summary,
        })),
        unreadable: report.unreadable.map(unreadableJson),
      },
    },
  ]);
}

export function renderOrgSarif(report: OrgAuditReport): string {
  return `${JSON.stringify(orgAuditSarif(report), null, 2)}\n`;
}
