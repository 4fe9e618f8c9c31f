// CLI support for the organization paths (`audit --org`, `snapshot --org`, `audit --snapshot DIR`): the flags they
// share, the Organizations/STS clients and the per-account clients built from an assumed role, the progress bar
// on stderr and the exit code of a partial result.
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import { type AwsClients, type ClientCredentials, defaultClients } from '../composition';
import { highestSeverity, severityAtLeast } from '../domain/audit-report';
import type { OrgAuditReport } from '../domain/org-report';
import type { Severity } from '../domain/types';
import { OrganizationsGateway } from '../gateways/organizations-gateway';
import { StsGateway, type TemporaryCredentials } from '../gateways/sts-gateway';
import { liveCollectionSources } from '../usecases/collect-snapshot';
import { DEFAULT_ORG_CONCURRENCY, type OrgProgress, type OrgSources } from '../usecases/org-audit';
import { type CliIo, UsageError } from './io';

export { ORG_OPTIONS, refuseOrgOnlyFlags } from './org-flags';

/** Exit code when the report is complete but some accounts could not be read (and no violation set 1). */
export const EXIT_UNREADABLE_ACCOUNTS = 3;

/** The clients of the organization paths: the caller's Organizations and STS, and a member account's clients. */
export interface OrgClients {
  readonly organizations: OrganizationsClient;
  readonly sts: STSClient;
  readonly accountClients: (credentials: TemporaryCredentials) => AwsClients;
}

export interface OrgClientOptions {
  readonly profile?: string;
  readonly region?: string;
}

/** The caller's credentials (default chain or `--profile`) for Organizations and STS; member clients from AssumeRole. */
export function defaultOrgClients(options: OrgClientOptions): OrgClients {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const caller = {
    region,
    retryMode: 'adaptive',
    maxAttempts: 5,
    ...(options.profile === undefined ? {} : { profile: options.profile }),
  } as const;
  return {
    organizations: new OrganizationsClient(caller),
    sts: new STSClient(caller),
    accountClients: (credentials) => defaultClients(region, { credentials: sdkCredentials(credentials) }),
  };
}

function sdkCredentials(credentials: TemporaryCredentials): NonNullable<ClientCredentials['credentials']> {
  return {
    accessKeyId: credentials.accessKeyId,
    secretAccessKey: credentials.secretAccessKey,
    sessionToken: credentials.sessionToken,
    ...(credentials.expiration === undefined ? {} : { expiration: credentials.expiration }),
  };
}

/** The production sources of the org fan-out; `regions` empty means each account's enabled regions. */
export function orgSources(clients: OrgClients, regions: readonly string[]): OrgSources {
  return {
    organization: new OrganizationsGateway(clients.organizations),
    sts: new StsGateway(clients.sts),
    accountSources: (credentials) => liveCollectionSources(clients.accountClients(credentials), regions),
  };
}

/** The flags `audit --org` and `snapshot --org` share, parsed and checked. */
export interface OrgFlags {
  readonly roleName: string;
  readonly externalId?: string;
  readonly concurrency: number;
  readonly clientOptions: OrgClientOptions;
}

const ROLE_NAME = /^[\w+=,.@/-]{1,512}$/;

export function parseOrgFlags(values: {
  readonly 'role-name'?: string | undefined;
  readonly 'external-id'?: string | undefined;
  readonly concurrency?: string | undefined;
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
}): OrgFlags {
  const roleName = values['role-name'];
  if (roleName === undefined || roleName === '') throw new UsageError('--org needs --role-name NAME');
  const trimmed = roleName.replace(/^\/+|\/+$/g, '');
  if (!ROLE_NAME.test(trimmed) || trimmed === '') {
    throw new UsageError(
      `--role-name must be an IAM role name (or path/name), got ${JSON.stringify(roleName)}`,
    );
  }
  return {
    roleName: trimmed,
    ...(values['external-id'] === undefined ? {} : { externalId: values['external-id'] }),
    concurrency: parseConcurrency(values.concurrency),
    clientOptions: {
      ...(values.profile === undefined ? {} : { profile: values.profile }),
      ...(values.region === undefined ? {} : { region: values.region }),
    },
  };
}

function parseConcurrency(value: string | undefined): number {
  if (value === undefined) return DEFAULT_ORG_CONCURRENCY;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 64) {
    throw new UsageError(`--concurrency must be a whole number from 1 to 64, got ${JSON.stringify(value)}`);
  }
  return number;
}

const BAR_WIDTH = 30;

/**
 * Progress of the fan-out on stderr. On a terminal, one bar redrawn in place (`\r`), ended by a newline; when
 * stderr is a file or a CI log, one line per account, so the log is readable and nothing is overwritten.
 */
export function orgProgressPrinter(io: CliIo, verb: string): (progress: OrgProgress) => void {
  const tty = Reflect.get(io.stderr, 'isTTY') === true;
  let unreadable = 0;
  return (progress) => {
    if (progress.stage === 'accounts') {
      io.stderr.write(`Organizations: ${progress.total} active accounts to ${verb}\n`);
      return;
    }
    if (progress.status === 'unreadable') unreadable += 1;
    const counts = `${progress.done}/${progress.total} accounts${unreadable > 0 ? `, ${unreadable} not read` : ''}`;
    if (!tty) {
      io.stderr.write(
        `account ${progress.account.id}: ${progress.status === 'audited' ? 'read' : 'NOT READ'} (${counts})\n`,
      );
      return;
    }
    const filled =
      progress.total === 0 ? BAR_WIDTH : Math.round((progress.done / progress.total) * BAR_WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
    io.stderr.write(`\r${bar} ${counts}${progress.done === progress.total ? '\n' : ''}`);
  };
}

/** 1 when a violation at or above `failOn` was found in any account; else 3 when an account was not read; else 0. */
export function orgExitCode(report: OrgAuditReport, failOn: Severity | undefined): number {
  if (failOn !== undefined) {
    const worst = highestSeverity(
      report.audited.flatMap(({ report: accountReport }) =>
        accountReport.roles.filter((role) => role.verdict === 'violation').map((role) => role.severity),
      ),
    );
    if (severityAtLeast(worst, failOn)) return 1;
  }
  return report.unreadable.length > 0 ? EXIT_UNREADABLE_ACCOUNTS : 0;
}
