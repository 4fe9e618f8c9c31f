// CLI account views: an offline snapshot file (the live account's view is in live-view.ts, apart, so that reading
// a snapshot loads no SDK client).
import { statSync } from 'node:fs';
import { SnapshotAccountView } from '../account/snapshot-view';
import { partitionFromArn } from '../domain/arn';
import type { ParsedChange } from '../events/role-change';
import type { CliIo } from './io';

/** The partition of the account an event came from (`aws-cn`, `aws-us-gov`...), read off its ARNs; else `aws`. */
export function partitionOfChange(change: ParsedChange): string {
  const arns = [change.event.actor, change.event.policy?.arn ?? null];
  for (const arn of arns) {
    const partition = arn === null ? null : partitionFromArn(arn);
    if (partition !== null) return partition;
  }
  return 'aws';
}

/** Snapshot files from this size on report their loading on stderr (a 10k-role account is about 9 MB). */
export const PROGRESS_BYTES = 4 * 1024 * 1024;

/**
 * The view of a snapshot file. A big file says on stderr that it is being read and how long that took, when
 * stderr is a terminal (a person waits); CI logs and pipes stay clean.
 */
export function snapshotView(path: string, io?: CliIo): SnapshotAccountView {
  const bytes = io?.stderr.isTTY === true ? fileSize(path) : 0;
  if (io === undefined || bytes < PROGRESS_BYTES) return SnapshotAccountView.fromFile(path);
  io.stderr.write(`reading snapshot ${path} (${(bytes / 1024 / 1024).toFixed(0)} MB)...\n`);
  const started = performance.now();
  const view = SnapshotAccountView.fromFile(path);
  io.stderr.write(`parsed in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return view;
}

/** The size of a file, 0 when it cannot be read (reading it then reports the error). */
function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
