// Dev script (benchmark worker, started by audit-scale.ts): builds one synthetic account, times the file load, then
// both audit forms; prints its AuditFigures as one JSON line.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot, readSnapshotFile } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { syntheticSnapshot } from '../synthetic-account';
import {
  type AuditFigures,
  FILE_LOAD_RUNS,
  MAX_AUDIT_RUNS,
  MIN_AUDIT_RUNS,
  MIN_AUDIT_TOTAL_MS,
  MIN_WARM_UP_MS,
  MIN_WARM_UP_RUNS,
  type Timing,
} from './audit-scale';
import { collectGarbage, serveWorker, workerArgs } from './child';
import { median } from './measurement';
import { timedAudit } from './timed-audit';

/**
 * Warms up (module caches, JIT tiers) with untimed audits, then repeats the audit with a GC before each run until
 * MIN_AUDIT_TOTAL_MS of audit time and MIN_AUDIT_RUNS runs (at most MAX_AUDIT_RUNS). A single ~100 ms run is at the
 * mercy of the scheduler, other processes and the GC on a small machine; the minimum over a second of runs is not.
 */
async function repeatedAudit(
  view: SnapshotAccountView,
  afterRun: () => void,
): Promise<{ timing: Timing; violations: number }> {
  let warmUpMs = 0;
  for (let run = 0; run < MIN_WARM_UP_RUNS || warmUpMs < MIN_WARM_UP_MS; run += 1) {
    warmUpMs += (await timedAudit(view)).ms;
  }
  const times: number[] = [];
  let violations = 0;
  let total = 0;
  while (times.length < MAX_AUDIT_RUNS && (times.length < MIN_AUDIT_RUNS || total < MIN_AUDIT_TOTAL_MS)) {
    collectGarbage();
    const run = await timedAudit(view);
    afterRun();
    times.push(run.ms);
    total += run.ms;
    violations = run.violations;
  }
  return { timing: { minMs: Math.min(...times), medianMs: median(times), runs: times.length }, violations };
}

/** The file load (median of FILE_LOAD_RUNS after a warm-up), then both audit forms. */
async function auditWorker(roles: number, nodegroups: number): Promise<AuditFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-bench-'));
  try {
    const { snapshot, stats } = syntheticSnapshot({ roles, nodegroups, documents: 'objects' });
    const file = join(dir, 'snapshot.json');
    writeFileSync(file, JSON.stringify(snapshot));
    const encoded = new SnapshotAccountView(
      loadSnapshot(syntheticSnapshot({ roles, nodegroups, documents: 'encoded' }).snapshot),
    );
    let peakHeap = 0;
    const sampleHeap = (): void => {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    };
    const loads: number[] = [];
    let view: SnapshotAccountView | undefined;
    for (let run = 0; run <= FILE_LOAD_RUNS; run += 1) {
      view = undefined;
      collectGarbage();
      const loadStarted = performance.now();
      view = new SnapshotAccountView(readSnapshotFile(file));
      const loadMs = performance.now() - loadStarted;
      sampleHeap();
      if (run > 0) loads.push(loadMs); // run 0 is the warm-up
    }
    if (view === undefined) throw new Error('no snapshot loaded');
    const fileAudit = await repeatedAudit(view, sampleHeap);
    const encodedAudit = await repeatedAudit(encoded, sampleHeap);
    return {
      roles,
      nodegroups,
      nodeRoles: stats.nodeRoles,
      clusters: stats.clusters,
      fileMiB: statSync(file).size / 1024 / 1024,
      loadMs: median(loads),
      audit: fileAudit.timing,
      auditEncoded: encodedAudit.timing,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      peakHeapUsedBytes: peakHeap,
      violations: fileAudit.violations,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const [roles = 0, nodegroups = 0] = workerArgs();
serveWorker(async () => JSON.stringify(await auditWorker(roles, nodegroups)));
