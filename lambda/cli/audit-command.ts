// CLI command `audit`: audits every EKS node role of a snapshot file or of the live account (collected with one
// GetAccountAuthorizationDetails pass and the EKS inventory, then audited in memory) and prints a table, JSON or SARIF.
import { parseArgs } from 'node:util';
import { loadSnapshot } from '../account/snapshot-format';
import { SnapshotAccountView } from '../account/snapshot-view';
import { type AwsClients, defaultClients, evaluationSettings, todayUtc } from '../composition';
import { type GuardConfig, parseConfig } from '../config';
import { type AuditReport, SEVERITIES, severityAtLeast } from '../domain/audit-report';
import type { EksRegionWarning, Severity } from '../domain/types';
import type { RenderExtras } from '../present/describe';
import { type FindingTarget, renderAsff } from '../report/asff';
import { renderJson } from '../report/json';
import { renderSarif } from '../report/sarif';
import { renderTable } from '../report/table';
import { auditAccount } from '../usecases/audit';
import {
  type CollectedSnapshot,
  type CollectionProgress,
  collectSnapshot,
  liveCollectionSources,
} from '../usecases/collect-snapshot';
import { ChangeEvaluator } from '../usecases/evaluate-change';
import { type CliIo, readJsonFile, UsageError } from './io';
import { snapshotView } from './views';

export const AUDIT_FORMATS = ['table', 'json', 'sarif', 'asff'] as const;
export type AuditFormat = (typeof AUDIT_FORMATS)[number];

export const AUDIT_USAGE = `Usage: eks-ecr-guard audit (--snapshot S.json | --live) [--format table|json|sarif|asff]
                           [--fail-on critical|high|medium] [--config C.json] [--regions r1,r2]
                           [--region REGION]

Audits every EKS node role (managed node groups, access entries, Auto Mode, Fargate profiles, and roles that EC2
may assume with a worker-node policy attached) and reports the ones that can write to Amazon ECR.

  --snapshot S.json   audit a snapshot file (see docs/snapshot-format.md); offline
  --live              read the account of the default credential chain (read-only): one paginated
                      GetAccountAuthorizationDetails pass and the EKS inventory of every enabled region
                      (or --regions / the config's eksRegions); progress goes to stderr
  --format            table (default, for people), json (for tools), sarif (SARIF 2.1.0, for code scanning),
                      asff (a JSON array of Security Hub findings, one per node role; docs/security-hub.md)
  --region REGION     with --format asff: the Security Hub Region the findings are addressed to (default: the
                      snapshot's one EKS Region, else us-east-1)
  --fail-on LEVEL     exit 1 when a violation of LEVEL or above is found (critical > high > medium);
                      without it the exit code does not depend on findings
  --config C.json     exemptRoles, extraPullActions, replacementPolicy, eksRegions, eksConcurrency
  --regions r1,r2     with --live: the EKS regions to read (overrides the config)

Exit codes: 0 done (no violation at or above --fail-on), 1 a violation at or above --fail-on, 2 bad usage or
unreadable input.`;

/** What the command needs from outside; tests hand in fake clients and a fixed day. */
export interface AuditCommandDeps {
  readonly clients?: () => AwsClients;
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
  const collected = await collectSnapshot(liveCollectionSources(clients, regions ?? config.eksRegions), {
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

export function createAuditCommand(deps: AuditCommandDeps = {}) {
  return {
    summary: 'audit every EKS node role of a snapshot file or the live account (table, JSON or SARIF)',
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
          region: { type: 'string' },
        },
        strict: true,
        allowPositionals: false,
      });
      if ((values.snapshot === undefined) === !values.live) {
        throw new UsageError('give exactly one of --snapshot or --live');
      }
      const format = parseFormat(values.format);
      const failOn = parseFailOn(values['fail-on']);
      const regions = parseRegions(values.regions);
      if (regions !== undefined && !values.live) throw new UsageError('--regions only applies with --live');
      const config = loadCliConfig(values.config);

      let view: SnapshotAccountView;
      if (values.snapshot !== undefined) {
        view = snapshotView(values.snapshot);
      } else {
        const clients = (deps.clients ?? (() => defaultClients()))();
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
      const asff = () => asffTarget(view, report, values.region, (deps.now ?? Date.now)());
      io.stdout.write(render(format, report, { eksWarnings: eksWarningsOf(view.snapshot) }, asff));
      return failOn !== undefined && hasViolationAtLeast(report, failOn) ? 1 : 0;
    },
  };
}

export const auditCommand = createAuditCommand();

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

/** The ASFF default for the findings' Region when neither --region nor a single-Region snapshot says. */
export const ASFF_DEFAULT_REGION = 'us-east-1';

function asffTarget(
  view: SnapshotAccountView,
  report: AuditReport,
  region: string | undefined,
  nowMs: number,
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
      region: region ?? (snapshotRegions.length === 1 && only !== undefined ? only : ASFF_DEFAULT_REGION),
    },
    time: new Date(Number.isFinite(capturedMs) ? capturedMs : nowMs).toISOString(),
  };
}

function render(
  format: AuditFormat,
  report: AuditReport,
  extras: RenderExtras,
  asff: () => AsffTarget,
): string {
  switch (format) {
    case 'table':
      return renderTable(report, extras);
    case 'json':
      return renderJson(report, extras);
    case 'sarif':
      return renderSarif(report, extras);
    case 'asff': {
      const { target, time } = asff();
      return renderAsff(report, target, time);
    }
  }
}

function parseFormat(value: string | undefined): AuditFormat {
  const format = AUDIT_FORMATS.find((candidate) => candidate === value);
  if (format === undefined) throw new UsageError(`--format must be one of ${AUDIT_FORMATS.join(', ')}`);
  return format;
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const severity = SEVERITIES.find((candidate) => candidate === value);
  if (severity === undefined) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  return severity;
}

/** The `eksWarnings` a snapshot written by `eks-ecr-guard snapshot` carries (an additive, optional key). */
function eksWarningsOf(snapshot: object): EksRegionWarning[] {
  const warnings: unknown = Reflect.get(snapshot, 'eksWarnings');
  if (!Array.isArray(warnings)) return [];
  return warnings.flatMap((item: unknown) => {
    if (typeof item !== 'object' || item === null) return [];
    const region: unknown = Reflect.get(item, 'region');
    const code: unknown = Reflect.get(item, 'code');
    const message: unknown = Reflect.get(item, 'message');
    return typeof region === 'string' && typeof code === 'string' && typeof message === 'string'
      ? [{ region, code, message }]
      : [];
  });
}
