// Dev script (benchmark worker, started by growth.ts): one synthetic account, one view, warm-up audits, then
// GROWTH_RUNS timed audits with a GC before each; prints their median in ms.
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { syntheticSnapshot } from '../synthetic-account';
import { collectGarbage, serveWorker, workerArgs } from './child';
import { GROWTH_RUNS, GROWTH_WARM_UP_RUNS } from './growth';
import { median } from './measurement';
import { timedAudit } from './timed-audit';

async function growthWorker(roles: number, nodegroups: number): Promise<number> {
  const { snapshot } = syntheticSnapshot({ roles, nodegroups, documents: 'objects' });
  // What reading the snapshot file gives: JSON text parsed and validated.
  const view = new SnapshotAccountView(loadSnapshot(JSON.parse(JSON.stringify(snapshot))));
  for (let run = 0; run < GROWTH_WARM_UP_RUNS; run += 1) await timedAudit(view);
  const times: number[] = [];
  for (let run = 0; run < GROWTH_RUNS; run += 1) {
    collectGarbage();
    times.push((await timedAudit(view)).ms);
  }
  return median(times);
}

const [roles = 0, nodegroups = 0] = workerArgs();
serveWorker(async () => String(await growthWorker(roles, nodegroups)));
