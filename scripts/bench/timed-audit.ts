// Dev script support (benchmark): one timed audit of a loaded snapshot view, the unit the audit measurements repeat.
import type { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const TODAY = '2026-11-22';

/** `auditAccount` over the view, as `audit --snapshot` runs it after loading; its wall time and violation count. */
export async function timedAudit(view: SnapshotAccountView): Promise<{ ms: number; violations: number }> {
  const started = performance.now();
  const evaluator = new ChangeEvaluator(
    view,
    evaluationSettings(parseConfig({}), view.partition, () => TODAY),
  );
  const report = await auditAccount(view, evaluator, { today: TODAY });
  return { ms: performance.now() - started, violations: report.summary.violations.total };
}
