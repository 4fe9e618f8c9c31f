// Dev script (benchmark, `npm run bench`): runs each measurement of scripts/bench/ in order (audit on synthetic
// accounts, its 20k/10k growth, AWS calls per sample event, a 1,000-repository ECR region, the Lambda bundles), prints the figures with PASS/FAIL
// per target and writes docs/benchmarks.md. A new measurement is one file in scripts/bench/ and one entry below.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { auditScale } from './bench/audit-scale';
import { bundles } from './bench/bundles';
import { ecrRegion } from './bench/ecr-region';
import { events } from './bench/events';
import { growth } from './bench/growth';
import type { BenchContext, Measurement, MeasurementResult } from './bench/measurement';
import { allTargets, markdown, targetLines } from './bench/report';

const MEASUREMENTS: readonly Measurement[] = [auditScale, growth, events, ecrRegion, bundles];

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const started = performance.now();
  const machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    node: process.version,
    date: new Date().toISOString().slice(0, 10),
  };
  const context: BenchContext = {
    root: ROOT,
    log: (line) => {
      process.stdout.write(`${line}\n`);
    },
  };
  context.log(
    `eks-ecr-guard bench on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}`,
  );
  const results: MeasurementResult[] = [];
  for (const measurement of MEASUREMENTS) {
    results.push(
      await measurement.run(context).catch((error: unknown) => {
        throw new Error(`measurement "${measurement.name}" failed`, { cause: error });
      }),
    );
  }
  for (const line of targetLines(results)) context.log(line);
  const totalSeconds = (performance.now() - started) / 1000;
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), markdown(machine, results, totalSeconds));
  context.log(`wrote docs/benchmarks.md in ${totalSeconds.toFixed(0)} s`);
  process.exitCode = allTargets(results).every((target) => target.pass) ? 0 : 1;
}

/** The error and the chain of its causes (a measurement's failure wraps what went wrong in it). */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const own = error.stack ?? error.message;
  return error.cause === undefined ? own : `${own}\ncaused by: ${errorText(error.cause)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${errorText(error)}\n`);
  process.exitCode = 1;
});
