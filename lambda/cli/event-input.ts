// CLI input for `evaluate --event FILE`: reads the file (plain JSON, or gzip as CloudTrail writes its log files),
// parses it and hands back the EventBridge events it holds, one per record (lambda/events/event-input.ts).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { InvalidInputError } from '../domain/errors';
import { eventsFromInput } from '../events/event-input';

/** The first two bytes of every gzip stream (RFC 1952). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** The events of an event file; every failure is an InvalidInputError with a one-line message (exit code 2). */
export function readEventFile(path: string): unknown[] {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new InvalidInputError(`cannot read event file ${path} (${code})`);
  }
  const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  let text: string;
  try {
    text = (gzipped ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`event file ${path} is not a readable gzip file: ${detail}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError(`event file ${path} is not valid JSON: ${detail}`);
  }
  try {
    return eventsFromInput(value);
  } catch (error) {
    if (error instanceof InvalidInputError) {
      throw new InvalidInputError(`event file ${path}: ${error.message}`);
    }
    throw error;
  }
}
