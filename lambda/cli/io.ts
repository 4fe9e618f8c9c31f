// CLI plumbing: output streams, file reading with one-line errors, and the usage error type.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InvalidInputError } from '../domain/errors';

export interface CliIo {
  /** `isTTY` is true at a terminal (process.stdout has it); tests leave it out, as a pipe does. */
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** The environment (`COLUMNS`); absent = empty. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Wrong flags or arguments: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** True for an existing folder (`audit --snapshot DIR` reads an organization folder, see org-folder.ts). */
export const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

/** Reads and parses a JSON file; every failure becomes an InvalidInputError with a one-line message. */
export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new InvalidInputError(`cannot read ${what} file ${path} (${code})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`${what} file ${path} is not valid JSON: ${detail}`);
  }
}
