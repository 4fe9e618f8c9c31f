// Package build (run by `npm pack` / `npm publish` through `prepack`): compiles lib/ and lambda/ to dist/ with type
// declarations, copies the demo data, and prebuilds both Lambda bundles so the installed construct needs no esbuild.
//
//   npm run build      writes dist/ (gitignored); the published tarball holds bin/ and dist/
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EksEcrGuard } from '../lib/eks-ecr-guard';
import { GuardFunction } from '../lib/guard-function';

const ROOT = path.join(__dirname, '..');
const DIST = path.join(ROOT, 'dist');

function compile(): void {
  execFileSync(
    path.join(ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', path.join(ROOT, 'tsconfig.build.json')],
    {
      stdio: 'inherit',
    },
  );
}

/**
 * tsc copies package.json to dist/ because lambda/report/json.ts imports it for the version. A second full
 * manifest inside the package would confuse tools that look for the nearest package.json; keep what the code reads.
 */
function trimCopiedManifest(): void {
  const manifest: unknown = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  if (typeof manifest !== 'object' || manifest === null || !('version' in manifest)) {
    throw new Error('package.json has no version');
  }
  const trimmed = { name: 'eks-ecr-guard', version: manifest.version, type: 'commonjs' };
  writeFileSync(path.join(DIST, 'package.json'), `${JSON.stringify(trimmed, null, 2)}\n`);
}

/**
 * Synthesizes the construct from the TypeScript sources (so NodejsFunction bundles each entry exactly as `cdk synth`
 * does here) and copies every function's staged bundle to dist/bundles/<entry without .ts>/, where the compiled
 * GuardFunction looks first.
 */
function prebuildBundles(): string[] {
  const outdir = mkdtempSync(path.join(tmpdir(), 'eks-ecr-guard-build-'));
  try {
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    new EksEcrGuard(new Stack(app, 'Build', { env: { region: 'us-east-1' } }), 'Guard');
    const assembly = app.synth();
    const functions = app.node.findAll().filter((c): c is GuardFunction => c instanceof GuardFunction);
    return functions.map((fn) => {
      const cfn = fn.function.node.defaultChild;
      if (!(cfn instanceof lambda.CfnFunction)) throw new Error('unexpected Lambda construct shape');
      const staged = path.join(assembly.directory, String(cfn.getMetadata('aws:asset:path')));
      const target = path.join(DIST, 'bundles', fn.entry.replace(/\.ts$/, ''));
      cpSync(staged, target, { recursive: true });
      return path.relative(ROOT, target);
    });
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): void {
  rmSync(DIST, { recursive: true, force: true });
  compile();
  trimCopiedManifest();
  // The demo command reads demo/ next to the compiled CLI (dist/lambda/cli/../../demo).
  cpSync(path.join(ROOT, 'demo'), path.join(DIST, 'demo'), { recursive: true });
  const bundles = prebuildBundles();
  // stderr: `npm pack --json` prints its JSON on stdout after this script.
  process.stderr.write(`built dist/ (compiled lib/ and lambda/, demo/, ${bundles.join(', ')})\n`);
}

main();
