// Dev script (benchmark measurement): each guard Lambda's bundle, built by esbuild with the construct's own settings
// (GUARD_BUNDLING of lib/guard-function.ts): its size and the time Node takes to load it. No target of its own.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { ENV, RUNTIME_ENVIRONMENT } from '../../lambda/contract';
import { GUARD_BUNDLING, GUARD_ENTRIES, type GuardBundling } from '../../lib/guard-function';
import { kib, type Measurement, median, ms, table, text } from './measurement';

const LOAD_RUNS = 7;

interface BundleFigures {
  readonly entry: string;
  readonly bytes: number;
  readonly mapBytes: number;
  readonly loadMs: number;
  readonly bareMs: number;
}

/** Wall time of `node -e <script>` in `cwd`, median of LOAD_RUNS after one warm-up. */
function nodeStartMs(script: string, cwd: string, env: NodeJS.ProcessEnv): number {
  const times: number[] = [];
  for (let run = 0; run <= LOAD_RUNS; run += 1) {
    const started = performance.now();
    const child = spawnSync(process.execPath, ['-e', script], { cwd, env, encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (child.status !== 0) throw new Error(`node -e ${script} failed: ${child.stderr}`);
    if (run > 0) times.push(elapsed);
  }
  return median(times);
}

/** NodejsFunction's output file name for the format. */
const outputName = (settings: GuardBundling): string =>
  settings.format === 'esm' ? 'index.mjs' : 'index.js';

/** Bundles `entry` (relative to `root`) as the CDK stack's NodejsFunction does, then loads it. */
async function bundleFigures(root: string, entry: string, dir: string): Promise<BundleFigures> {
  const outfile = join(dir, basename(entry, '.ts'), outputName(GUARD_BUNDLING));
  await build({
    ...GUARD_BUNDLING,
    external: [...GUARD_BUNDLING.external],
    entryPoints: [join(root, entry)],
    bundle: true,
    outfile,
    logLevel: 'error',
  });
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: 'us-east-1',
    [ENV.alertTopicArn]: 'arn:aws:sns:us-east-1:111122223333:eks-ecr-guard-alerts',
    [ENV.idempotencyTableName]: 'eks-ecr-guard-idempotency',
    ...RUNTIME_ENVIRONMENT,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const cwd = join(outfile, '..');
  return {
    entry,
    bytes: statSync(outfile).size,
    mapBytes: statSync(`${outfile}.map`).size,
    loadMs: nodeStartMs(`require('./${basename(outfile)}')`, cwd, env),
    bareMs: nodeStartMs('0', cwd, env),
  };
}

/** The settings in words, for the report, in two parts (`platform node, target node24,`, `minified CJS, ...`). */
function describe(settings: GuardBundling): readonly [string, string] {
  const map = settings.sourcemap
    ? `source map ${settings.sourcesContent ? 'with' : 'without'} sources`
    : 'no source map';
  const external =
    settings.external.length === 0
      ? 'nothing external (`bundleAwsSDK: true`)'
      : `external: ${settings.external.join(', ')}`;
  return [
    `platform ${settings.platform}, target ${settings.target},`,
    `${settings.minify ? 'minified ' : ''}${settings.format.toUpperCase()}, ${map}, ${external}`,
  ];
}

export const bundles: Measurement = {
  name: 'Lambda bundle',
  run: async ({ root, log }) => {
    const dir = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-bundle-'));
    const figures: BundleFigures[] = [];
    try {
      for (const entry of Object.values(GUARD_ENTRIES)) {
        const bundle = await bundleFigures(root, entry, dir);
        figures.push(bundle);
        log(
          `bundle ${entry}: ${kib(bundle.bytes)} (+ ${kib(bundle.mapBytes)} map), load ${ms(bundle.loadMs)} vs bare ${ms(bundle.bareMs)}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const [settingsStart, settingsEnd] = describe(GUARD_BUNDLING);
    return {
      targets: [],
      notes: [],
      sections: [
        {
          heading: 'Lambda bundle',
          level: 2,
          blocks: [
            text(
              `Built with esbuild as the CDK stack's NodejsFunction does (lib/guard-function.ts): ${settingsStart}`,
              `${settingsEnd}. Load time: wall time of`,
              `\`node -e "require('./index.js')"\` against a bare \`node -e 0\`, median of ${LOAD_RUNS} runs after a warm-up.`,
            ),
            table(
              [
                ['entry', 'left'],
                ['index.js', 'right'],
                ['index.js.map', 'right'],
                ['load', 'right'],
                ['bare node', 'right'],
                ['load − bare', 'right'],
              ],
              figures.map((b) => [
                b.entry,
                kib(b.bytes),
                kib(b.mapBytes),
                ms(b.loadMs),
                ms(b.bareMs),
                ms(b.loadMs - b.bareMs),
              ]),
            ),
          ],
        },
      ],
    };
  },
};
