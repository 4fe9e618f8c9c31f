// Use case "audit an organization": lists the active accounts, assumes the read-only audit role in each, collects
// the account into the snapshot format and audits it in memory, a few accounts at a time (`audit --org`); the same
// fan-out writes one snapshot per account (`snapshot --org`), and a folder of snapshots is audited offline alike.
import { eksWarningsOf } from '../account/eks-warnings';
import { loadSnapshot } from '../account/snapshot-format';
import { SnapshotAccountView } from '../account/snapshot-view';
import { partitionFromArn } from '../domain/arn';
import { ReadAccessDeniedError } from '../domain/errors';
import {
  type AuditedAccount,
  memberRoleArn,
  type OrgAccount,
  type OrgAuditReport,
  orgAuditReport,
  type UnreadableAccount,
  type UnreadableStage,
} from '../domain/org-report';
import { awsErrorName } from '../gateways/aws-errors';
import { mapWithConcurrency } from '../gateways/concurrency';
import type { OrganizationsGateway } from '../gateways/organizations-gateway';
import type { StsGateway, TemporaryCredentials } from '../gateways/sts-gateway';
import { auditAccount } from './audit';
import { type CollectedSnapshot, type CollectionSources, collectSnapshot } from './collect-snapshot';
import { ChangeEvaluator, type EvaluationSettings } from './evaluate-change';

/** Accounts read at once unless told otherwise. */
export const DEFAULT_ORG_CONCURRENCY = 8;

/** What the organization is read through (the production gateways satisfy it; tests and the bench fake it). */
export interface OrgSources {
  readonly organization: Pick<OrganizationsGateway, 'activeAccounts'>;
  readonly sts: Pick<StsGateway, 'assumeRole'>;
  /** How to read one account with the credentials of its audit role (SDK clients built with them). */
  readonly accountSources: (credentials: TemporaryCredentials, account: OrgAccount) => CollectionSources;
}

export type OrgProgress =
  | { readonly stage: 'accounts'; readonly total: number }
  | {
      readonly stage: 'account';
      readonly account: OrgAccount;
      readonly status: 'audited' | 'unreadable';
      readonly done: number;
      readonly total: number;
    };

export interface OrgReadOptions {
  /** The audit role's name (or `path/name`) in every member account. */
  readonly roleName: string;
  /** `sts:ExternalId` when the role's trust policy requires one. */
  readonly externalId?: string;
  /** Accounts read at once. @default 8 */
  readonly concurrency?: number;
  /** Regions of one account read at once. */
  readonly eksConcurrency: number;
  readonly onProgress?: (progress: OrgProgress) => void;
  readonly now?: () => Date;
}

export interface OrgAuditOptions extends OrgReadOptions {
  /** YYYY-MM-DD (UTC). */
  readonly today: string;
  /** The evaluation settings for an account of the given partition. */
  readonly settingsFor: (partition: string) => EvaluationSettings;
}

/** A collected account, or why it could not be read. */
export type AccountRead =
  | { readonly ok: true; readonly account: OrgAccount; readonly snapshot: CollectedSnapshot }
  | { readonly ok: false; readonly unreadable: UnreadableAccount };

/**
 * Lists the active accounts (a refused or failing ListAccounts fails the whole run: there is no organization to
 * report on) and hands each one, read or unreadable, to `handle`, at most `concurrency` accounts in flight. An
 * account never stops the others: every failure is kept with its stage, code and message.
 */
export async function forEachAccount<T>(
  sources: OrgSources,
  options: OrgReadOptions,
  handle: (read: AccountRead) => Promise<T>,
): Promise<T[]> {
  const accounts = await sources.organization.activeAccounts();
  options.onProgress?.({ stage: 'accounts', total: accounts.length });
  let done = 0;
  return mapWithConcurrency(accounts, options.concurrency ?? DEFAULT_ORG_CONCURRENCY, async (account) => {
    const read = await readAccount(sources, options, account);
    const result = await handle(read);
    done += 1;
    options.onProgress?.({
      stage: 'account',
      account,
      status: read.ok ? 'audited' : 'unreadable',
      done,
      total: accounts.length,
    });
    return result;
  });
}

/** `audit --org`: every active account audited, one report with the totals and the unreadable accounts. */
export async function auditOrganization(
  sources: OrgSources,
  options: OrgAuditOptions,
): Promise<OrgAuditReport> {
  const outcomes = await forEachAccount(sources, options, async (read) =>
    read.ok ? auditSnapshot(read.account, read.snapshot, options) : read,
  );
  return orgReport(outcomes, options, options.roleName);
}

/** The org report from per-account outcomes (live or from a folder of snapshots). */
export function orgReport(
  outcomes: readonly (AuditedOutcome | { readonly ok: false; readonly unreadable: UnreadableAccount })[],
  options: { readonly today: string },
  roleName: string | null,
): OrgAuditReport {
  const audited = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.audited] : []));
  const unreadable = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.unreadable]));
  const first = audited[0]?.report.partition ?? partitionOf(unreadable[0]?.account);
  return orgAuditReport({ partition: first, today: options.today, roleName, audited, unreadable });
}

export type AuditedOutcome = { readonly ok: true; readonly audited: AuditedAccount };

/**
 * Audits one account's snapshot (collected, or read from a file) exactly as `audit --snapshot` does. A snapshot that
 * does not load is an unreadable account (stage `snapshot-file`), not a failed run.
 */
export async function auditSnapshot(
  account: OrgAccount,
  json: unknown,
  options: Pick<OrgAuditOptions, 'today' | 'settingsFor'>,
): Promise<AuditedOutcome | { readonly ok: false; readonly unreadable: UnreadableAccount }> {
  let view: SnapshotAccountView;
  try {
    view = new SnapshotAccountView(loadSnapshot(json, `snapshot of account ${account.id}`));
  } catch (error) {
    return { ok: false, unreadable: unreadable(account, 'snapshot-file', error) };
  }
  const evaluator = new ChangeEvaluator(view, options.settingsFor(view.partition));
  const report = await auditAccount(view, evaluator, { today: options.today });
  return { ok: true, audited: { account, report, eksWarnings: eksWarningsOf(json) } };
}

async function readAccount(
  sources: OrgSources,
  options: OrgReadOptions,
  account: OrgAccount,
): Promise<AccountRead> {
  const partition = partitionOf(account);
  let credentials: TemporaryCredentials;
  try {
    credentials = await sources.sts.assumeRole({
      roleArn: memberRoleArn(partition, account.id, options.roleName),
      ...(options.externalId === undefined ? {} : { externalId: options.externalId }),
    });
  } catch (error) {
    return { ok: false, unreadable: unreadable(account, 'assume-role', error) };
  }
  try {
    const snapshot = await collectSnapshot(sources.accountSources(credentials, account), {
      eksConcurrency: options.eksConcurrency,
      accountId: account.id,
      partition,
      ...(options.now === undefined ? {} : { now: options.now }),
    });
    return { ok: true, account, snapshot };
  } catch (error) {
    return { ok: false, unreadable: unreadable(account, 'read', error) };
  }
}

/** The unreadable account with the error's AWS code and message as the service returned them. */
export function unreadable(account: OrgAccount, stage: UnreadableStage, error: unknown): UnreadableAccount {
  if (error instanceof ReadAccessDeniedError) {
    return { account, stage, code: awsErrorName(error.cause) ?? 'AccessDenied', message: error.message };
  }
  return {
    account,
    stage,
    code: awsErrorName(error) ?? 'Error',
    message: error instanceof Error ? error.message : String(error),
  };
}

function partitionOf(account: OrgAccount | undefined): string {
  const arn = account?.arn ?? null;
  return (arn === null ? null : partitionFromArn(arn)) ?? 'aws';
}
