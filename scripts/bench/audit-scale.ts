// Dev script (benchmark measurement): the audit of synthetic accounts of 1k, 10k and 20k roles, each size in its
// own process (audit-scale-worker.ts) so peak memory is per size; target: 10k roles audited in under 2 s.
import { join } from 'node:path';
import { runWorker } from './child';
import { type Measurement, mib, ms, ratioOf, table, text } from './measurement';

/** Untimed audits first, until this much time and at least MIN_WARM_UP_RUNS: the JIT keeps improving for a while. */
export const MIN_WARM_UP_MS = 500;
export const MIN_WARM_UP_RUNS = 2;
/** Then timed audits until this much audit time has run, and at least MIN_AUDIT_RUNS times. */
export const MIN_AUDIT_TOTAL_MS = 1_000;
export const MIN_AUDIT_RUNS = 5;
/** Keeps the small sizes from running hundreds of times. */
export const MAX_AUDIT_RUNS = 40;
export const FILE_LOAD_RUNS = 3;
const AUDIT_SIZES = [
  { roles: 1_000, nodegroups: 50 },
  { roles: 10_000, nodegroups: 500 },
  { roles: 20_000, nodegroups: 1_000 },
] as const;

/** Repeated timings of one audit form: the minimum is the figure compared across sizes (least disturbed run). */
export interface Timing {
  readonly minMs: number;
  readonly medianMs: number;
  readonly runs: number;
}

export interface AuditFigures {
  readonly roles: number;
  readonly nodegroups: number;
  readonly nodeRoles: number;
  readonly clusters: number;
  readonly fileMiB: number;
  /** Read + JSON.parse + validation of the snapshot file (documents as JSON objects, as `snapshot` writes). */
  readonly loadMs: number;
  /** The audit over the loaded view (file form). */
  readonly audit: Timing;
  /** The audit over URL-encoded documents (the in-memory form of `audit --live` and the sweep). */
  readonly auditEncoded: Timing;
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  readonly violations: number;
}

function auditInChild(roles: number, nodegroups: number): AuditFigures {
  const figures: AuditFigures = JSON.parse(
    runWorker(join(__dirname, 'audit-scale-worker.ts'), [roles, nodegroups]),
  );
  return figures;
}

export const auditScale: Measurement = {
  name: 'audit of synthetic accounts',
  run: async ({ log }) => {
    const audits: AuditFigures[] = [];
    for (const size of AUDIT_SIZES) {
      const figures = auditInChild(size.roles, size.nodegroups);
      audits.push(figures);
      log(
        `audit ${figures.roles} roles / ${figures.nodegroups} node groups: load ${ms(figures.loadMs)}, ` +
          `audit min ${ms(figures.audit.minMs)} / median ${ms(figures.audit.medianMs)} (${figures.audit.runs} runs), ` +
          `encoded min ${ms(figures.auditEncoded.minMs)} / median ${ms(figures.auditEncoded.medianMs)} ` +
          `(${figures.auditEncoded.runs} runs), peak RSS ${mib(figures.peakRssBytes)}, heap ${mib(figures.peakHeapUsedBytes)}`,
      );
    }
    const tenK = audits.find((a) => a.roles === 10_000);
    const twentyK = audits.find((a) => a.roles === 20_000);
    return {
      targets: [
        {
          name: 'audit of 10k roles < 2 s',
          pass: tenK !== undefined && tenK.audit.medianMs < 2000,
          detail:
            tenK === undefined
              ? 'not measured'
              : `median ${ms(tenK.audit.medianMs)} of ${tenK.audit.runs} runs (load ${ms(tenK.loadMs)})`,
        },
      ],
      notes: [],
      sections: [
        {
          heading: 'Audit of synthetic accounts',
          level: 2,
          blocks: [
            text(
              `Synthetic accounts (scripts/synthetic-account.ts) over 17 regions, 10 node groups per cluster, one node role per`,
              'node group plus a Karpenter role per cluster, Fargate and Auto Mode roles, 1% self-managed (heuristic) node',
              'roles, and workload roles for the rest; 300 shared customer managed policies. Each size runs in a fresh',
              `process. Load: median of ${FILE_LOAD_RUNS} loads after a warm-up. Audit: untimed warm-up runs (at least ` +
                `${MIN_WARM_UP_RUNS} and ${MIN_WARM_UP_MS} ms),`,
              `then timed runs with a GC before each until ${MIN_AUDIT_TOTAL_MS} ms of audit time and at least ${MIN_AUDIT_RUNS} runs ` +
                `(at most ${MAX_AUDIT_RUNS});`,
              'minimum and median per run. The 10k target checks the median; the growth target has its own measurement below.',
            ),
            text(
              '- load: read + JSON.parse + validation of the snapshot file (documents as JSON objects, as `snapshot` writes);',
              '- audit: `auditAccount` over the loaded view (what `audit --snapshot` spends after loading);',
              '- audit (encoded): the same account with URL-encoded documents, as the live collection holds it in memory',
              '  (`audit --live`, the sweep).',
            ),
            table(
              [
                ['roles', 'right'],
                ['node groups', 'right'],
                ['node roles', 'right'],
                ['clusters', 'right'],
                ['file', 'right'],
                ['load', 'right'],
                ['audit min', 'right'],
                ['audit median (runs)', 'right'],
                ['audit (encoded) min', 'right'],
                ['audit (encoded) median (runs)', 'right'],
                ['violations', 'right'],
                ['peak RSS', 'right'],
                ['peak heap used', 'right'],
              ],
              audits.map((a) => [
                String(a.roles),
                String(a.nodegroups),
                String(a.nodeRoles),
                String(a.clusters),
                `${a.fileMiB.toFixed(1)} MiB`,
                ms(a.loadMs),
                ms(a.audit.minMs),
                `${ms(a.audit.medianMs)} (${a.audit.runs})`,
                ms(a.auditEncoded.minMs),
                `${ms(a.auditEncoded.medianMs)} (${a.auditEncoded.runs})`,
                String(a.violations),
                mib(a.peakRssBytes),
                mib(a.peakHeapUsedBytes),
              ]),
            ),
            text(
              tenK && twentyK
                ? `Growth 20k/10k from the table (sizes measured one after the other, so a slow spell of the machine can land on ` +
                    `either): audit ${ratioOf(twentyK.audit.medianMs, tenK.audit.medianMs)} (medians), ` +
                    `${ratioOf(twentyK.audit.minMs, tenK.audit.minMs)} (minimums); audit (encoded) ` +
                    `${ratioOf(twentyK.auditEncoded.medianMs, tenK.auditEncoded.medianMs)} (medians); load ${ratioOf(twentyK.loadMs, tenK.loadMs)}.`
                : '',
            ),
          ],
        },
      ],
    };
  },
};
