// CLI command `audit`: audits every EKS node role of a snapshot file or of the live account (collected with one
// GetAccountAuthorizationDetails pass and the EKS inventory, then audited in memory) and prints a table, JSON or SARIF.
import { parseArgs } from 'node:util';
import { eksWarningsOf } from '../account/eks-warnings';
import { loadSnapshot } from '../account/snapshot-format';
import { SnapshotAccountView } from '../account/snapshot-view';
import type { AwsClients } from '../composition';
import { type GuardConfig, parseConfig } from '../config';
import { type AuditReport, severityAtLeast } from '../domain/audit-report';
import type { Severity } from '../domain/types';
import { evaluationSettings, todayUtc } from '../evaluation-settings';
import type { RenderExtras } from '../present/describe';
import type { FindingTarget } from '../report/asff';
import { renderJson } from '../report/json';
import { auditAccount } from '../usecases/audit';
import type { CollectedSnapshot, CollectionProgress } from '../usecases/collect-snapshot';
import { ChangeEvaluator } from '../usecases/evaluate-change';
import { type CliIo, isDirectory, readJsonFile, UsageError } from './io';
import type { ClientsFactory } from './live-clients';
import {
  failOnExitCode,
  LIVE_OPTIONS,
  type LiveOptions,
  parseFailOn,
  parseFormat,
  parseLiveOptions,
  rejectLiveOptions,
  terminalWidth,
} from './options';
import type { OrgAuditDeps } from './org-audit-command';
import { ORG_OPTIONS, refuseOrgOnlyFlags } from './org-flags';
import { snapshotView } from './views';

export const AUDIT_FORMATS = ['table', 'json', 'sarif', 'asff'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const AUDIT_USAGE = `Usage: eks-ecr-guard audit (--snapshot S.json | --live) [--format table|json|sarif|asff]
         [--fail-on critical|high|medium] [--config C.json] [--regions r1,r2] [--profile P] [--region R]
       eks-ecr-guard audit (--org --role-name NAME | --snapshot DIR) [--concurrency N] [--external-id ID]
         [--profile P] [--region R] [--format ...] [--fail-on ...] [--config ...] [--regions ...]

Audits every EKS node role (managed node groups, access entries, Auto Mode, Fargate profiles, and roles
that EC2 may assume with a worker-node policy attached) and reports the ones that can write to Amazon ECR.

  --snapshot S.json   audit a snapshot file (see docs/snapshot-format.md); offline
  --snapshot DIR      audit a folder written by "snapshot --org" (one file per account): the organization
                      report
  --live              read the account (read-only): one paginated GetAccountAuthorizationDetails pass
                      and the EKS inventory of every enabled region (or --regions / the config's
                      eksRegions); progress goes to stderr
  --org               audit every ACTIVE account of the organization (from the management or a delegated
                      administrator account): assumes --role-name in each (docs/organizations.md), reads
                      the accounts --concurrency at a time (default 8) and prints one report with the
                      totals and the accounts that could not be read; --external-id for the role
  --format            table (default, for people; fits COLUMNS, default 100), json (for tools),
                      sarif (SARIF 2.1.0, for code scanning)
                      asff (a JSON array of Security Hub findings, one per node role; docs/security-hub.md)
  --fail-on LEVEL     exit 1 when a violation of LEVEL or above is found (critical > high > medium);
                      without it the exit code does not depend on findings
  --config C.json     exemptRoles, extraPullActions, replacementPolicy, eksRegions, eksConcurrency
  --regions r1,r2     with --live or --org: the EKS regions to read (overrides the config)
  --profile P         with --live or --org: a profile of ~/.aws/config (else the default credential chain)
  --region R          with --live or --org: the region of the IAM and Account clients (else AWS_REGION)

Exit codes: 0 done (no violation at or above --fail-on), 1 a violation at or above --fail-on,
2 bad usage or unreadable input, 3 (organization reports) no violation at or above --fail-on but some
accounts not read.`;

/** What the command needs from outside; tests hand in fake clients and a fixed day. */
export interface AuditCommandDeps extends OrgAuditDeps {
  readonly clients?: ClientsFactory;
  readonly today?: () => string;
  /** Milliseconds clock for the ASFF timestamps of a live audit (a snapshot uses its `capturedAt`). */
  readonly now?: () => number;
}

export function loadCliConfig(path: string | undefined): GuardConfig {
  return path === undefined
    ? parseConfig({})
    : parseConfig(readJsonFile(path, 'config'), `config file ${path}`);
}

const REGION_NAME = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** `--regions eu-west-1,us-east-1` → the list; undefined when the flag is absent. */
export function parseRegions(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const regions = value
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region.length > 0);
  const bad = regions.filter((region) => !REGION_NAME.test(region));
  if (regions.length === 0 || bad.length > 0) {
    throw new UsageError(`--regions expects region names separated by commas, got ${JSON.stringify(value)}`);
  }
  return regions;
}

/** Progress of a live collection, one line per step, on stderr. */
export function progressPrinter(io: CliIo): (progress: CollectionProgress) => void {
  return (progress) => {
    switch (progress.stage) {
      case 'iam':
        io.stderr.write(`IAM: GetAccountAuthorizationDetails page ${progress.pages} read\n`);
        return;
      case 'regions':
        io.stderr.write(`EKS: reading ${progress.regions.length} regions\n`);
        return;
      case 'eks': {
        const clusters = progress.clusters === null ? 'not reachable' : `${progress.clusters} clusters`;
        io.stderr.write(
          `EKS: ${progress.region}: ${clusters} (${progress.done}/${progress.total} regions)\n`,
        );
        return;
      }
    }
  };
}

/** Collects the live account with progress on stderr; unreadable regions are reported there too. */
export async function collectLive(
  config: GuardConfig,
  regions: readonly string[] | undefined,
  clients: AwsClients,
  io: CliIo,
): Promise<CollectedSnapshot> {
  // Loaded when a live read runs, not at start-up: the live sources import the SDK clients (see main.ts).
  const collect: typeof import('../usecases/collect-snapshot') = require('../usecases/collect-snapshot');
  const sources = collect.liveCollectionSources(clients, regions ?? config.eksRegions);
  const collected = await collect.collectSnapshot(sources, {
    eksConcurrency: config.eksConcurrency,
    onProgress: progressPrinter(io),
  });
  for (const warning of collected.eksWarnings ?? []) {
    io.stderr.write(
      `warning: EKS in ${warning.region} could not be read (${warning.code}): ${warning.message}\n`,
    );
  }
  return collected;
}

/** The SDK clients of `--live`, loaded when a live audit runs. */
function liveClientsFactory(): ClientsFactory {
  const live: typeof import('./live-clients') = require('./live-clients');
  return live.liveClients;
}

export function createAuditCommand(deps: AuditCommandDeps = {}) {
  return {
    usage: AUDIT_USAGE,
    async run(args: string[], io: CliIo): Promise<number> {
      const { values } = parseArgs({
        args,
        options: {
          snapshot: { type: 'string' },
          live: { type: 'boolean', default: false },
          format: { type: 'string', default: 'table' },
          'fail-on': { type: 'string' },
          config: { type: 'string' },
          regions: { type: 'string' },
          ...LIVE_OPTIONS,
          ...ORG_OPTIONS,
        },
        strict: true,
        allowPositionals: false,
      });
      const sources = [values.snapshot !== undefined, values.live, values.org].filter(Boolean).length;
      if (sources !== 1) throw new UsageError('give exactly one of --snapshot or --live (or --org)');
      const format = parseFormat(values.format, AUDIT_FORMATS, 'table');
      const failOn = parseFailOn(values['fail-on']);
      const regions = parseRegions(values.regions);
      const live = parseLiveOptions(values);
      const config = loadCliConfig(values.config);
      if (values.org || (values.snapshot !== undefined && isDirectory(values.snapshot))) {
        if (regions !== undefined && !values.org)
          throw new UsageError('--regions only applies with --live or --org');
        // --region also names the Region ASFF findings are addressed to.
        if (!values.org)
          rejectLiveOptions(asffRegionAllowed(live, format), 'with --live or --org (or --format asff)');
        const today = (deps.today ?? (() => todayUtc()))();
        // The organization code (Organizations, STS and the SDK clients) loads only on these paths.
        const org: typeof import('./org-audit-command') = require('./org-audit-command');
        return org.runOrgAudit(values, { format, failOn, regions, config, today }, deps, io);
      }
      refuseOrgOnlyFlags(values);
      if (!values.live) {
        if (regions !== undefined) throw new UsageError('--regions only applies with --live or --org');
        rejectLiveOptions(asffRegionAllowed(live, format), 'with --live or --org (or --format asff)');
      }

      let view: SnapshotAccountView;
      if (values.snapshot !== undefined) {
        view = snapshotView(values.snapshot, io);
      } else {
        const clients = await (deps.clients ?? liveClientsFactory())(live);
        view = new SnapshotAccountView(
          loadSnapshot(await collectLive(config, regions, clients, io), 'live collection'),
        );
      }
      const today = (deps.today ?? (() => todayUtc()))();
      const evaluator = new ChangeEvaluator(
        view,
        evaluationSettings(config, view.partition, () => today),
      );
      const report = await auditAccount(view, evaluator, { today });
      const capturedAt = values.snapshot === undefined ? undefined : view.snapshot.capturedAt;
      const extras: RenderExtras = {
        eksWarnings: eksWarningsOf(view.snapshot),
        ...(capturedAt === undefined ? {} : { capturedAt }),
      };
      const asff = (defaultRegion: string) =>
        asffTarget(view, report, live.region, (deps.now ?? Date.now)(), defaultRegion);
      io.stdout.write(render(format, report, extras, terminalWidth(io), asff));
      return failOnExitCode(failOn, report.roles);
    },
  };
}

export const auditCommand = createAuditCommand();

/** --region is the caller's Region for live reads, and with --format asff the Region findings are addressed to. */
function asffRegionAllowed(live: LiveOptions, format: AuditFormat): LiveOptions {
  return format === 'asff' ? { ...live, region: undefined } : live;
}

export function hasViolationAtLeast(report: AuditReport, threshold: Severity): boolean {
  return report.roles.some(
    (role) => role.verdict === 'violation' && severityAtLeast(role.severity, threshold),
  );
}

/** Where `--format asff` addresses its findings, and their time (the snapshot's capture time when it has one). */
interface AsffTarget {
  readonly target: FindingTarget;
  readonly time: string;
}

function asffTarget(
  view: SnapshotAccountView,
  report: AuditReport,
  region: string | undefined,
  nowMs: number,
  /** Where findings go when neither --region nor a single-Region snapshot says (the ASFF writer's default). */
  defaultRegion: string,
): AsffTarget {
  if (region !== undefined && !REGION_NAME.test(region)) {
    throw new UsageError(`--region expects a region name, got ${JSON.stringify(region)}`);
  }
  const accountId = report.accountId;
  if (accountId === null) {
    throw new UsageError('--format asff needs the account id: the snapshot has no accountId and no role ARN');
  }
  const snapshotRegions = Object.keys(view.snapshot.eks ?? {});
  const [only] = snapshotRegions;
  const captured: unknown = Reflect.get(view.snapshot, 'capturedAt');
  const capturedMs = typeof captured === 'string' ? Date.parse(captured) : Number.NaN;
  return {
    target: {
      accountId,
      partition: report.partition,
      region: region ?? (snapshotRegions.length === 1 && only !== undefined ? only : defaultRegion),
    },
    time: new Date(Number.isFinite(capturedMs) ? capturedMs : nowMs).toISOString(),
  };
}

function render(
  format: AuditFormat,
  report: AuditReport,
  extras: RenderExtras,
  width: number,
  asff: (defaultRegion: string) => AsffTarget,
): string {
  switch (format) {
    // The table, SARIF and ASFF writers load only for their format (`--format json`, what tools read, needs none).
    case 'table': {
      const table: typeof import('../report/table') = require('../report/table');
      return table.renderTable(report, extras, { width });
    }
    case 'json':
      return renderJson(report, extras);
    case 'sarif': {
      const sarif: typeof import('../report/sarif') = require('../report/sarif');
      return sarif.renderSarif(report, extras);
    }
    case 'asff': {
      const asffWriter: typeof import('../report/asff') = require('../report/asff');
      const { target, time } = asff(asffWriter.ASFF_DEFAULT_REGION);
      return asffWriter.renderAsff(report, target, time);
    }
  }
}
