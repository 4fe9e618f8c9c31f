// Development-time check: the differential run of the policy analysis against @cloud-copilot/iam-simulate on
// many random roles (the jest test runs a few hundred); prints the figures quoted in docs/analysis-differential.md.
//
//   node --import tsx scripts/differential.ts [roles] [seed]
import { isWriteAction } from '../lambda/domain/catalogue';
import {
  analyseGrammarRole,
  describeFigures,
  type OurView,
  runDifferential,
} from '../test/support/differential';
import type { GrammarRole } from '../test/support/iam-grammar';

function ourView(role: GrammarRole): OurView {
  const analysis = analyseGrammarRole(role);
  const writes = analysis.allowed.filter(isWriteAction);
  return {
    notUnderstood: analysis.unusablePolicies.length > 0,
    writeActions: writes,
    reaches: (action) => writes.includes(action),
  };
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? '2000');
  const seed = Number(process.argv[3] ?? '20261202');
  const started = Date.now();
  const figures = await runDifferential(count, seed, ourView);
  process.stdout.write(`${describeFigures(figures)}\n(${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  for (const example of figures.falseNegativeExamples) process.stdout.write(`FN ${example}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
