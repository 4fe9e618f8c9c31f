// Dev script for the CDK layer: bundles both guard functions exactly as `cdk synth` does and prints their sizes.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { loadGuardConfig } from '../lib/config';
import { addGuardStacks } from '../lib/guard-app';

/** Bytes of every file under a directory. */
function sizeOf(directory: string): number {
  return readdirSync(directory, { withFileTypes: true }).reduce((total, entry) => {
    const full = path.join(directory, entry.name);
    return total + (entry.isDirectory() ? sizeOf(full) : statSync(full).size);
  }, 0);
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function main(): void {
  const outdir = mkdtempSync(path.join(tmpdir(), 'eks-ecr-guard-bundle-'));
  try {
    // Asset metadata records where each function's bundle was staged.
    const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true } });
    const { home } = addGuardStacks(
      app,
      loadGuardConfig(() => undefined),
      {
        account: undefined,
        homeRegion: 'us-east-1',
        iamEventRegion: 'us-east-1',
        watchRegions: ['us-east-1'],
      },
    );
    const assembly = app.synth();
    for (const fn of [home.guard.eventFunction, home.guard.sweepFunction]) {
      const cfn = fn.function.node.defaultChild;
      if (!(cfn instanceof lambda.CfnFunction)) throw new Error('unexpected Lambda construct shape');
      const assetPath = cfn.getMetadata('aws:asset:path');
      const directory = path.join(assembly.directory, String(assetPath));
      const files = readdirSync(directory).map(
        (name) => `${name} ${kib(statSync(path.join(directory, name)).size)}`,
      );
      process.stdout.write(`${fn.node.path}: ${kib(sizeOf(directory))} (${files.join(', ')})\n`);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main();
