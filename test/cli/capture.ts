// Test helper for the CLI tests: an in-memory stdout/stderr, and `main` run over it.
import type { CliIo } from '../../lambda/cli/io';
import { main } from '../../lambda/cli/main';

export interface CapturedIo extends CliIo {
  readonly out: () => string;
  readonly err: () => string;
}

/** A CliIo that keeps what is written, for `out()` and `err()`. */
export function capture(): CapturedIo {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    out: () => out,
    err: () => err,
  };
}

/** `eks-ecr-guard ARGS` through the CLI's entry function: its exit code and what it wrote. */
export async function runMain(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const io = capture();
  const code = await main(args, io);
  return { code, stdout: io.out(), stderr: io.err() };
}
