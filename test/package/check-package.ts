// Packaging check (`npm run test:package`, ~1-2 min, needs the npm registry or its cache): packs the tarball,
// installs it in an empty folder and runs the CLI there, then synthesizes the fixture CDK app against it.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

let failures = 0;

function check(what: string, ok: boolean, detail = ''): void {
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}${!ok && detail ? `\n     ${detail}` : ''}\n`);
  if (!ok) failures += 1;
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function readVersion(): string {
  const manifest: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (typeof manifest === 'object' && manifest !== null && 'version' in manifest) {
    return String(manifest.version);
  }
  throw new Error('package.json has no version');
}

/** `npm pack` runs prepack (the build); returns the tarball path and its file list. */
function pack(destination: string): { tarball: string; files: string[] } {
  const started = Date.now();
  const output = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const parsed: unknown = JSON.parse(output);
  const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
  if (typeof first !== 'object' || first === null || !('filename' in first) || !('files' in first)) {
    throw new Error(`unexpected npm pack output: ${output.slice(0, 200)}`);
  }
  const files = Array.isArray(first.files)
    ? first.files.map((f: unknown) =>
        typeof f === 'object' && f !== null && 'path' in f ? String(f.path) : '',
      )
    : [];
  process.stdout.write(
    `packed ${String(first.filename)} (${files.length} files) in ${Date.now() - started} ms\n`,
  );
  return { tarball: path.join(destination, String(first.filename)), files };
}

function checkTarball(files: readonly string[]): void {
  for (const required of [
    'package.json',
    'LICENSE',
    'README.md',
    'bin/eks-ecr-guard.js',
    'dist/lib/eks-ecr-guard.js',
    'dist/lib/eks-ecr-guard.d.ts',
    'dist/lambda/cli/main.js',
    'dist/demo/sample-account.json',
    'dist/bundles/lambda/handler/index.js',
    'dist/bundles/lambda/sweep-handler/index.js',
  ]) {
    check(`tarball holds ${required}`, files.includes(required));
  }
  const stray = files.filter(
    (f) => /^(lib|lambda|test|scripts)\//.test(f) || (f.endsWith('.ts') && !f.endsWith('.d.ts')),
  );
  check('tarball holds no sources or tests', stray.length === 0, stray.slice(0, 5).join(', '));
}

function checkCli(tarball: string, workdir: string, version: string): void {
  run('npm', ['init', '-y'], workdir);
  const install = run('npm', ['install', tarball, ...NPM_FLAGS], workdir);
  check('installs in an empty folder', install.code === 0, install.stderr);
  check('pulls no aws-cdk-lib for the CLI', !existsSync(path.join(workdir, 'node_modules', 'aws-cdk-lib')));
  check('pulls no tsx', !existsSync(path.join(workdir, 'node_modules', 'tsx')));

  const versionRun = run('npx', ['eks-ecr-guard', '--version'], workdir);
  check(
    `npx eks-ecr-guard --version prints ${version}`,
    versionRun.stdout.trim() === version,
    versionRun.stderr,
  );
  const help = run('npx', ['eks-ecr-guard', '--help'], workdir);
  check(
    'npx eks-ecr-guard --help lists the commands',
    help.code === 0 && help.stdout.includes('audit'),
    help.stderr,
  );

  copyFileSync(path.join(ROOT, 'demo', 'sample-account.json'), path.join(workdir, 'account.json'));
  const started = Date.now();
  const audit = run(
    'npx',
    ['eks-ecr-guard', 'audit', '--snapshot', 'account.json', '--fail-on', 'high'],
    workdir,
  );
  check(
    `npx eks-ecr-guard audit --snapshot (${Date.now() - started} ms) reports the sample violation, exit 1`,
    audit.code === 1 && audit.stdout.includes('prod-gpu-nodes'),
    `exit ${audit.code}: ${audit.stderr}`,
  );
  const demo = run('npx', ['eks-ecr-guard', 'demo', '--mode', 'alert'], workdir);
  check('npx eks-ecr-guard demo runs from the package', demo.code === 0, demo.stderr.slice(0, 500));
}

function checkFixtureApp(tarball: string, workdir: string): void {
  cpSync(path.join(__dirname, 'fixture-app'), workdir, { recursive: true });
  const install = run('npm', ['install', tarball, ...NPM_FLAGS], workdir);
  check('fixture app installs the tarball', install.code === 0, install.stderr);
  check(
    'fixture app has no esbuild (the bundles are prebuilt)',
    !existsSync(path.join(workdir, 'node_modules', 'esbuild')),
  );

  const compile = run(path.join('node_modules', '.bin', 'tsc'), ['-p', '.'], workdir);
  check(
    'fixture app typechecks against the declarations',
    compile.code === 0,
    compile.stdout + compile.stderr,
  );

  const outdir = path.join(workdir, 'cdk.out');
  const synth = run('node', [path.join('out', 'app.js')], workdir, { CDK_OUTDIR: outdir });
  check('fixture app synthesizes', synth.code === 0, synth.stderr.slice(0, 2000));
  if (synth.code !== 0) return;

  const template: unknown = JSON.parse(readFileSync(path.join(outdir, 'FixtureGuard.template.json'), 'utf8'));
  const resources =
    typeof template === 'object' && template !== null && 'Resources' in template ? template.Resources : {};
  const functions = Object.values(
    typeof resources === 'object' && resources !== null ? resources : {},
  ).filter(
    (r: unknown) => typeof r === 'object' && r !== null && 'Type' in r && r.Type === 'AWS::Lambda::Function',
  );
  check(
    'fixture template holds the two guard functions',
    functions.length === 2,
    `found ${functions.length}`,
  );
  const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
  const bundled = assets.filter((name) => existsSync(path.join(outdir, name, 'index.js')));
  check('each function asset is a prebuilt index.js', bundled.length >= 2, `assets: ${assets.join(', ')}`);
}

function main(): void {
  const version = readVersion();
  const scratch = mkdtempSync(path.join(tmpdir(), 'eks-ecr-guard-package-'));
  try {
    const { tarball, files } = pack(scratch);
    checkTarball(files);
    const cliDir = path.join(scratch, 'empty');
    const appDir = path.join(scratch, 'fixture-app');
    mkdirSync(cliDir);
    checkCli(tarball, cliDir, version);
    checkFixtureApp(tarball, appDir);
  } finally {
    if (process.env.KEEP_PACKAGE_CHECK === undefined) rmSync(scratch, { recursive: true, force: true });
    else process.stdout.write(`kept ${scratch}\n`);
  }
  process.stdout.write(failures === 0 ? 'package check passed\n' : `package check: ${failures} failure(s)\n`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main();
