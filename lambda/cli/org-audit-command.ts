// CLI command `audit`, organization paths: `--org` (every active account through an assumed read-only role) and
// `--snapshot DIR` (a folder written by `snapshot --org`), both printing one organization report.

import { evaluationSettings } from '../composition';
import type { GuardConfig } from '../config';
import type { OrgAuditReport } from '../domain/org-report';
import type { Severity } from '../domain/types';
import { ASFF_DEFAULT_REGION, auditFindings } from '../report/asff';
import { renderOrgJson } from '../report/org-json';
import { renderOrgSarif } from '../report/org-sarif';
import { renderOrgTable } from '../report/org-table';
import { auditOrganization, auditSnapshot, orgReport, unreadable } from '../usecases/org-audit';
import type { AuditFormat } from './audit-command';
import { type CliIo, readJsonFile } from './io';
import {
  defaultOrgClients,
  type OrgClientOptions,
  type OrgClients,
  orgExitCode,
  orgProgressPrinter,
  orgSources,
  parseOrgFlags,
  refuseOrgOnlyFlags,
} from './org';
import { readOrgFolder } from './org-folder';

/** What the org paths need from outside; tests hand in mocked Organizations/STS and in-memory member accounts. */
export interface OrgAuditDeps {
  readonly orgClients?: (options: OrgClientOptions) => OrgClients;
}

export interface OrgAuditSettings {
  readonly format: AuditFormat;
  readonly failOn: Severity | undefined;
  readonly regions: readonly string[] | undefined;
  readonly config: GuardConfig;
  readonly today: string;
}

type OrgValues = Readonly<Record<string, string | boolean | undefined>>;

const text = (values: OrgValues, key: string): string | undefined => {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
};

export async function runOrgAudit(
  values: OrgValues,
  settings: OrgAuditSettings,
  deps: OrgAuditDeps,
  io: CliIo,
): Promise<number> {
  const settingsFor = (partition: string) =>
    evaluationSettings(settings.config, partition, () => settings.today);
  let report: OrgAuditReport;
  const snapshot = text(values, 'snapshot');
  if (snapshot !== undefined) {
    refuseOrgOnlyFlags(values);
    report = await auditFolder(snapshot, settings.today, settingsFor);
  } else {
    const flags = parseOrgFlags({
      'role-name': text(values, 'role-name'),
      'external-id': text(values, 'external-id'),
      concurrency: text(values, 'concurrency'),
      profile: text(values, 'profile'),
      region: text(values, 'region'),
    });
    const clients = (deps.orgClients ?? defaultOrgClients)(flags.clientOptions);
    report = await auditOrganization(orgSources(clients, settings.regions ?? settings.config.eksRegions), {
      roleName: flags.roleName,
      ...(flags.externalId === undefined ? {} : { externalId: flags.externalId }),
      concurrency: flags.concurrency,
      eksConcurrency: settings.config.eksConcurrency,
      onProgress: orgProgressPrinter(io, 'audit'),
      today: settings.today,
      settingsFor,
    });
  }
  io.stdout.write(
    renderOrg(settings.format, report, {
      region: text(values, 'region') ?? ASFF_DEFAULT_REGION,
      now: new Date().toISOString(),
    }),
  );
  for (const item of report.unreadable) {
    io.stderr.write(
      `warning: account ${item.account.id} not read (${item.stage}: ${item.code}): ${item.message}\n`,
    );
  }
  return orgExitCode(report, settings.failOn);
}

/** Every account file of the folder audited as `audit --snapshot` audits one; a bad file is an unreadable account. */
async function auditFolder(
  dir: string,
  today: string,
  settingsFor: Parameters<typeof auditSnapshot>[2]['settingsFor'],
): Promise<OrgAuditReport> {
  const folder = readOrgFolder(dir);
  const outcomes = [];
  for (const { account, file } of folder.accounts) {
    let json: unknown;
    try {
      json = readJsonFile(file, `snapshot of account ${account.id}`);
    } catch (error) {
      outcomes.push({ ok: false as const, unreadable: unreadable(account, 'snapshot-file', error) });
      continue;
    }
    outcomes.push(await auditSnapshot(account, json, { today, settingsFor }));
  }
  const known = folder.unreadable.map((item) => ({ ok: false as const, unreadable: item }));
  return orgReport([...outcomes, ...known], { today }, folder.roleName);
}

/** Where `--format asff` addresses an organization's findings: each account's own, in one Region, at one time. */
export interface OrgAsffTarget {
  readonly region: string;
  readonly now: string;
}

export function renderOrg(format: AuditFormat, report: OrgAuditReport, asff: OrgAsffTarget): string {
  switch (format) {
    case 'asff': {
      // Each account imports its own findings (BatchImportFindings takes only the caller's account): one array,
      // each finding addressed to its account's default product.
      const findings = report.audited.flatMap(({ account, report: audit }) =>
        auditFindings(
          audit,
          { accountId: account.id, partition: report.partition, region: asff.region },
          asff.now,
        ),
      );
      return `${JSON.stringify(findings, null, 2)}\n`;
    }
    case 'table':
      return renderOrgTable(report);
    case 'json':
      return renderOrgJson(report);
    case 'sarif':
      return renderOrgSarif(report);
  }
}
