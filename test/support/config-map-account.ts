// Test support: the demo sample account plus a CONFIG_MAP cluster (eu-west-1/legacy) and a cluster whose access
// entries EKS refused (us-east-2/drifted), as a snapshot file would hold them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const MODE_ERROR =
  "The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.";

const SAMPLE = join(__dirname, '..', '..', 'demo', 'sample-account.json');

interface SnapshotJson {
  readonly eks: Record<string, { clusters: Record<string, unknown>[] }>;
}

/** The sample with `legacy` (CONFIG_MAP) in eu-west-1; with `unreadable`, also `drifted` in us-east-2. */
export function configMapAccount(options: { unreadable?: boolean } = {}): SnapshotJson {
  const snapshot: SnapshotJson = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  snapshot.eks['eu-west-1']?.clusters.push({
    name: 'legacy',
    accessConfig: { authenticationMode: 'CONFIG_MAP' },
    nodegroups: [],
    accessEntries: [],
    fargateProfiles: [],
  });
  if (options.unreadable === true) {
    snapshot.eks['us-east-2']?.clusters.push({
      name: 'drifted',
      accessEntriesError: { code: 'InvalidRequestException', message: MODE_ERROR },
    });
  }
  return snapshot;
}
