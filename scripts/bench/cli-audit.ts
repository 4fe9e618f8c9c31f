// Dev script (benchmark measurement): the CLI end to end, `audit --snapshot` of the 10k-role synthetic account
// from process start to report written, installed (bin/eks-ecr-guard.js over dist/, compiled as `npm run build`
// compiles it) and from the sources through tsx (a checkout), next to the engine's own load + audit time.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { syntheticSnapshot } from '../synthetic-account';
import { type Measurement, median, ms, ratioOf, table, text } from './measurement';
import { timedAudit } from './timed-audit';

const ROLES = 10_000;
const NODEGROUPS = 500;
const RUNS = 5;
/** The target: the installed CLI, process start to report written. */
export const CLI_TARGET_MS = 1_000;

/**
 * The package as npm installs it, in `dir`: bin/eks-ecr-guard.js and dist/ compiled by tsc with
 * tsconfig.build.json (the compile step of scripts/build-package.ts; the prebuilt Lambda bundles it adds are not
 * the CLI's), and the dependencies beside it (a link to this checkout's node_modules). With no lambda/ sources
 * next to bin/, the entry runs dist/lambda/cli/main.js, as in an installed package. Returns the entry's path.
 */
function installedPackage(root: string, dir: string): string {
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    ['-p', join(root, 'tsconfig.build.json'), '--outDir', join(dir, 'dist'), '--declaration', 'false'],
    { stdio: 'inherit' },
  );
  mkdirSync(join(dir, 'bin'));
  const entry = join(dir, 'bin', 'eks-ecr-guard.js');
  copyFileSync(join(root, 'bin', 'eks-ecr-guard.js'), entry);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'eks-ecr-guard', type: 'commonjs' }));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return entry;
}

/** Wall time of one CLI run, stdout to a file; fails on a non-zero exit. */
function timedRun(command: readonly string[], out: string, cwd: string): number {
  const fd = openSync(out, 'w');
  const started = performance.now();
  const [file = process.execPath, ...args] = command;
  const child = spawnSync(file, args, {
    cwd,
    stdio: ['ignore', fd, 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const elapsed = performance.now() - started;
  closeSync(fd);
  if (child.status !== 0) throw new Error(`${command.join(' ')} exited ${child.status}: ${child.stderr}`);
  return elapsed;
}

function medianOf(runs: number, once: () => number): { median: number; min: number } {
  const times = Array.from({ length: runs }, once);
  return { median: median(times), min: Math.min(...times) };
}

export const cliAudit: Measurement = {
  name: 'CLI audit end to end',
  run: async ({ root, log }) => {
    const dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-cli-bench-'));
    try {
      const snapshotFile = join(dir, 'snapshot.json');
      writeFileSync(
        snapshotFile,
        JSON.stringify(
          syntheticSnapshot({ roles: ROLES, nodegroups: NODEGROUPS, documents: 'objects' }).snapshot,
        ),
      );
      const installed = installedPackage(root, join(dir, 'package'));
      const report = join(dir, 'report.json');
      const audit = ['audit', '--snapshot', snapshotFile, '--format', 'json'];
      const loadBefore = loadavg()[0] ?? 0;
      // Engine: the same load + audit inside this process, after one warm-up run (the work without start-up).
      const engineRun = async (): Promise<number> => {
        const started = performance.now();
        await timedAudit(SnapshotAccountView.fromFile(snapshotFile));
        return performance.now() - started;
      };
      await engineRun();
      const engineTimes: number[] = [];
      for (let run = 0; run < RUNS; run += 1) engineTimes.push(await engineRun());
      const engine = { median: median(engineTimes), min: Math.min(...engineTimes) };
      const installedRun = medianOf(RUNS, () =>
        timedRun([process.execPath, installed, ...audit], report, dir),
      );
      const startup = medianOf(RUNS, () =>
        timedRun([process.execPath, installed, '--version'], join(dir, 'v'), dir),
      );
      const tsx = medianOf(RUNS, () =>
        timedRun([process.execPath, join(root, 'bin', 'eks-ecr-guard.js'), ...audit], report, root),
      );
      const loadAfter = loadavg()[0] ?? 0;
      log(
        `CLI audit ${ROLES} roles: end to end (installed) ${ms(installedRun.median)} (min ${ms(installedRun.min)}), ` +
          `engine load + audit ${ms(engine.median)}, end to end/engine ${ratioOf(installedRun.median, engine.median)}; ` +
          `start-up (--version) ${ms(startup.median)}; tsx ${ms(tsx.median)} (min ${ms(tsx.min)}), tsx/engine ` +
          `${ratioOf(tsx.median, engine.median)}; load average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)}`,
      );
      return {
        targets: [
          {
            name: `CLI audit --snapshot of 10k roles <= ${CLI_TARGET_MS / 1000} s (installed, end to end)`,
            pass: installedRun.median <= CLI_TARGET_MS,
            detail:
              `median ${ms(installedRun.median)} of ${RUNS} runs; engine ${ms(engine.median)}, ratio ` +
              `${ratioOf(installedRun.median, engine.median)}; start-up (--version) ${ms(startup.median)}; ` +
              `tsx ${ms(tsx.median)}`,
          },
        ],
        notes: [],
        sections: [
          {
            heading: 'CLI audit end to end',
            level: 2,
            blocks: [
              text(
                `\`eks-ecr-guard audit --snapshot S.json --format json\` of the ${ROLES}-role synthetic account ` +
                  `(${(statSync(snapshotFile).size / 1024 / 1024).toFixed(1)} MiB), process start to report`,
                `written (stdout to a file), median of ${RUNS} runs each. Installed: bin/eks-ecr-guard.js over dist/ ` +
                  '(tsc with tsconfig.build.json, as `npm run build`),',
                'in a package folder with the dependencies beside it, as `npm install` lays it out; tsx:',
                'bin/eks-ecr-guard.js in this checkout (the TypeScript sources through the tsx loader). Start-up:',
                '`--version` of the installed CLI. Engine: the same snapshot load and audit inside the bench',
                `process after a warm-up (what the CLI spends on the work itself). Load average during the runs: ` +
                  `${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after. Reproduce: \`npm run bench -- cli-audit\`.`,
              ),
              table(
                [
                  ['form', 'left'],
                  ['median', 'right'],
                  ['min', 'right'],
                  ['/ engine', 'right'],
                ],
                [
                  [
                    'installed CLI, end to end',
                    ms(installedRun.median),
                    ms(installedRun.min),
                    ratioOf(installedRun.median, engine.median),
                  ],
                  ['tsx CLI (checkout)', ms(tsx.median), ms(tsx.min), ratioOf(tsx.median, engine.median)],
                  ['installed start-up only (--version)', ms(startup.median), ms(startup.min), '-'],
                  ['engine: load + audit in process', ms(engine.median), ms(engine.min), '1.00'],
                ],
              ),
            ],
          },
        ],
      };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
