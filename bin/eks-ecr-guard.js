#!/usr/bin/env node
// Command-line entry point: runs the CLI in lambda/cli, from the TypeScript sources through the tsx loader in a
// source checkout, else compiled (dist/, the installed package, built by `npm run build`).
const { existsSync } = require('node:fs');
const path = require('node:path');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const source = path.join(__dirname, '..', 'lambda', 'cli', 'main.ts');
// A checkout always runs its sources, never a dist/ left over from an earlier build.
const fromSource = existsSync(source);
if (fromSource) require('tsx/cjs/api').register();
// Node >= 22.1 can keep the compiled code of the modules between runs (in the OS temp folder), for a faster start
// of the installed CLI; older Node (20 has no such API) compiles them on every run.
else require('node:module').enableCompileCache?.();
const { main } = require(fromSource ? source : '../dist/lambda/cli/main.js');

main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`eks-ecr-guard: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  },
);
