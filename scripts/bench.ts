// Dev script (benchmark, `npm run bench`): runs each measurement of scripts/bench/ in order (audit on synthetic
// accounts, its 20k/10k growth, AWS calls per sample event, a 1,000-repository ECR region, the Lambda bundles), prints the figures with PASS/FAIL
// per target and writes docs/benchmarks.md. `npm run bench -- events` (names below) runs only those measurements
// and prints them, leaving docs/benchmarks.md as it is. A new measurement is one file in scripts/bench/ and one entry
// below.
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { auditScale } from './bench/audit-scale';
import { bundles } from './bench/bundles';
import { cliAudit } from './bench/cli-audit';
import { ecrRegion } from './bench/ecr-region';
import { events } from './bench/events';
import { growth } from './bench/growth';
import type { BenchContext, Measurement, MeasurementResult } from './bench/measurement';
import { orgAudit } from './bench/org-audit';
import { allTargets, markdown, targetLines } from './bench/report';

/** Every measurement by the name `npm run bench -- <name>...` selects it with, in the order they run. */
const MEASUREMENTS: Readonly<Record<string, Measurement>> = {
  'audit-scale': auditScale,
  growth,
  events,
  'ecr-region': ecrRegion,
  bundles,
  'cli-audit': cliAudit,
  organization: orgAudit,
};

/** The measurements the command line names (all when none); an unknown name is an error that lists the names. */
function selectMeasurements(names: readonly string[]): Measurement[] {
  const known = Object.keys(MEASUREMENTS);
  const unknown = names.filter((name) => !Object.hasOwn(MEASUREMENTS, name));
  if (unknown.length > 0) {
    throw new Error(`unknown measurement ${unknown.join(', ')} (known: ${known.join(', ')})`);
  }
  const chosen = names.length === 0 ? known : known.filter((name) => names.includes(name));
  return chosen.flatMap((name) => MEASUREMENTS[name] ?? []);
}

const ROOT = join(__dirname, '..');

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const names = process.argv.slice(2);
  const measurements = selectMeasurements(names);
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
  for (const measurement of measurements) {
    results.push(
      await measurement.run(context).catch((error: unknown) => {
        throw new Error(`measurement "${measurement.name}" failed`, { cause: error });
      }),
    );
  }
  for (const line of targetLines(results)) context.log(line);
  const totalSeconds = (performance.now() - started) / 1000;
  if (names.length === 0) {
    writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), markdown(machine, results, totalSeconds));
    context.log(`wrote docs/benchmarks.md in ${totalSeconds.toFixed(0)} s`);
  } else {
    // A partial run would drop the other measurements' figures from the report: it is printed only.
    context.log(`ran ${names.join(', ')} in ${totalSeconds.toFixed(0)} s; docs/benchmarks.md left as it is`);
  }
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
