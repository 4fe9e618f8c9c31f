// CLI command `snapshot`: writes the live account (read-only) in the snapshot format, from one paginated
// GetAccountAuthorizationDetails pass and the EKS inventory of every region (bounded concurrency).
import { accessSync, constants, type Stats, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadSnapshot } from '../account/snapshot-format';
import { InvalidInputError } from '../domain/errors';
import { withReadableDocuments } from '../usecases/collect-snapshot';
import { forEachAccount } from '../usecases/org-audit';
import { collectLive, loadCliConfig, parseRegions } from './audit-command';
import { type CliIo, UsageError } from './io';
import { type ClientsFactory, liveClients } from './live-clients';
import { LIVE_OPTIONS, parseLiveOptions } from './options';
import {
  defaultOrgClients,
  EXIT_UNREADABLE_ACCOUNTS,
  ORG_OPTIONS,
  type OrgClientOptions,
  type OrgClients,
  orgProgressPrinter,
  orgSources,
  parseOrgFlags,
  refuseOrgOnlyFlags,
} from './org';
import { prepareFolder, writeAccountSnapshot, writeManifest } from './org-folder';

export const SNAPSHOT_USAGE = `Usage: eks-ecr-guard snapshot --out S.json [--force] [--regions r1,r2] [--config C.json]
         [--profile P] [--region R]
       eks-ecr-guard snapshot --org --role-name NAME --out DIR [--concurrency N] [--external-id ID]
         [--profile P] [--region R] [--regions r1,r2] [--config C.json]

Reads the account (read-only) and writes it in the snapshot format (docs/snapshot-format.md), for offline
audits and evaluations: IAM with one paginated GetAccountAuthorizationDetails pass (roles and managed
policies, no per-role calls), EKS clusters, node groups, access entries, Fargate profiles and Auto Mode
node roles of every enabled region (or --regions / the config's eksRegions), a few regions at a time (the
config's eksConcurrency, default 4). Progress goes to stderr.

  --out S.json        the file to write ("-" for stdout); checked before the account is read
  --force             overwrite --out if it exists (without it, an existing file is refused)
  --regions r1,r2     the EKS regions to read
  --config C.json     eksRegions and eksConcurrency
  --profile P         a profile of ~/.aws/config (else the default credential chain)
  --region R          the region of the IAM and Account clients (else AWS_REGION)
  --org               every ACTIVE account of the organization, through --role-name assumed in each
                      (docs/organizations.md): writes DIR/<accountId>.json per account and
                      DIR/organization.json (the accounts, and the ones not read with why), which
                      "audit --snapshot DIR" reads

Policy documents are written as JSON objects, as the AWS CLI prints them. Regions whose EKS API cannot be
reached are listed under "eksWarnings" in the file. Exit codes: 0 written, 2 bad usage or unreadable input,
3 (--org) written, but some accounts could not be read.`;

export interface SnapshotCommandDeps {
  readonly clients?: ClientsFactory;
  readonly orgClients?: (options: OrgClientOptions) => OrgClients;
}

export function createSnapshotCommand(deps: SnapshotCommandDeps = {}) {
  return {
    usage: SNAPSHOT_USAGE,
    async run(args: string[], io: CliIo): Promise<number> {
      const { values } = parseArgs({
        args,
        options: {
          out: { type: 'string' },
          regions: { type: 'string' },
          config: { type: 'string' },
          force: { type: 'boolean', default: false },
          ...LIVE_OPTIONS,
          ...ORG_OPTIONS,
        },
        strict: true,
        allowPositionals: false,
      });
      if (values.out === undefined || values.out === '') throw new UsageError('--out is required');
      const regions = parseRegions(values.regions);
      const live = parseLiveOptions(values);
      const config = loadCliConfig(values.config);
      if (values.org) {
        if (values.out === '-') throw new UsageError('--org writes a folder: give --out DIR');
        const flags = parseOrgFlags(values);
        const out = values.out;
        prepareFolder(out);
        const clients = (deps.orgClients ?? defaultOrgClients)(flags.clientOptions);
        const capturedAt = new Date().toISOString();
        const results = await forEachAccount(
          orgSources(clients, regions ?? config.eksRegions),
          {
            roleName: flags.roleName,
            ...(flags.externalId === undefined ? {} : { externalId: flags.externalId }),
            concurrency: flags.concurrency,
            eksConcurrency: config.eksConcurrency,
            onProgress: orgProgressPrinter(io, 'read'),
          },
          async (read) => {
            if (read.ok) writeAccountSnapshot(out, read.account, read.snapshot);
            return read;
          },
        );
        const written = results.flatMap((read) => (read.ok ? [read.account] : []));
        const unreadable = results.flatMap((read) => (read.ok ? [] : [read.unreadable]));
        writeManifest(out, { capturedAt, roleName: flags.roleName, written, unreadable });
        for (const item of unreadable) {
          io.stderr.write(
            `warning: account ${item.account.id} not read (${item.stage}: ${item.code}): ${item.message}\n`,
          );
        }
        io.stderr.write(
          `wrote ${out}: ${written.length} account snapshots, ${unreadable.length} accounts not read\n`,
        );
        return unreadable.length > 0 ? EXIT_UNREADABLE_ACCOUNTS : 0;
      }
      refuseOrgOnlyFlags(values);
      // A bad --out is found now, not after minutes of reading the account.
      if (values.out !== '-') checkOutput(values.out, values.force);
      const clients = await (deps.clients ?? liveClients)(live);
      const collected = await collectLive(config, regions, clients, io);
      // What is written must load: the same validation `--snapshot` applies.
      loadSnapshot(collected, 'collected snapshot');
      const text = `${JSON.stringify(withReadableDocuments(collected), null, 2)}\n`;
      writeOutput(values.out, text, io);
      const clusters = Object.values(collected.eks).reduce(
        (total, region) => total + region.clusters.length,
        0,
      );
      io.stderr.write(
        `wrote ${values.out === '-' ? 'stdout' : values.out}: ${collected.iam.RoleDetailList.length} roles, ` +
          `${collected.iam.Policies.length} managed policies, ${clusters} EKS clusters in ` +
          `${Object.keys(collected.eks).length} regions\n`,
      );
      return 0;
    },
  };
}

export const snapshotCommand = createSnapshotCommand();

/** The output file must be new (or --force given), not a folder, in a folder that exists and is writable. */
export function checkOutput(path: string, force: boolean): void {
  const existing = statOrNull(path);
  if (existing?.isDirectory() === true) {
    throw new InvalidInputError(`--out ${path} is a folder: give a file name such as ${path}/snapshot.json`);
  }
  if (existing !== null && !force) {
    throw new InvalidInputError(`--out ${path} exists: add --force to overwrite it, or choose another file`);
  }
  const folder = dirname(path);
  if (statOrNull(folder)?.isDirectory() !== true) {
    throw new InvalidInputError(`cannot write snapshot file ${path}: folder ${folder} does not exist`);
  }
  try {
    accessSync(existing === null ? folder : path, constants.W_OK);
  } catch {
    throw new InvalidInputError(
      `cannot write snapshot file ${path}: ${existing === null ? `folder ${folder}` : 'the file'} is not writable`,
    );
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function writeOutput(path: string, text: string, io: CliIo): void {
  if (path === '-') {
    io.stdout.write(text);
    return;
  }
  try {
    writeFileSync(path, text, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unwritable';
    throw new InvalidInputError(`cannot write snapshot file ${path} (${code})`);
  }
}
