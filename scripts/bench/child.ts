// Dev script support (benchmark): runs a measurement's worker file in a fresh Node process (with --expose-gc) and
// reads the one line it prints; the worker side of the same exchange.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Starts `node --expose-gc --import tsx <workerFile> ...args` and returns the last line it printed. */
export function runWorker(workerFile: string, args: readonly (string | number)[]): string {
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', workerFile, ...args.map(String)],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`worker ${workerFile} failed: ${child.stderr}`);
  return child.stdout.trim().split('\n').at(-1) ?? '';
}

/** In a worker: the numeric arguments after the script name. */
export function workerArgs(): number[] {
  return process.argv.slice(2).map(Number);
}

/** In a worker: prints what `work` returns as the one line the parent reads, or fails the process. */
export function serveWorker(work: () => Promise<string>): void {
  work().then(
    (line) => {
      process.stdout.write(`${line}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/** In a worker: a full garbage collection when the process was started with --expose-gc, else nothing. */
export function collectGarbage(): void {
  const gc: unknown = Reflect.get(globalThis, 'gc');
  if (typeof gc === 'function') gc();
}
