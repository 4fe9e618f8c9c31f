// CLI account views: an offline snapshot file, or the live account of the default credential chain (read-only).
import { LiveAccountView } from '../account/live';
import { SnapshotAccountView } from '../account/snapshot-view';
import type { AwsClients } from '../composition';
import type { GuardConfig } from '../config';
import { partitionFromArn } from '../domain/arn';
import type { ParsedChange } from '../events/role-change';
import { EksGateway } from '../gateways/eks-gateway';
import { IamGateway } from '../gateways/iam-gateway';
import { RegionsGateway } from '../gateways/regions-gateway';
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

export function snapshotView(path: string): SnapshotAccountView {
  return SnapshotAccountView.fromFile(path);
}

/** A live view for dry runs: reads only; EKS progress and skipped regions go to stderr. */
export function liveView(
  config: GuardConfig,
  clients: AwsClients,
  io: CliIo,
  partition: string,
): LiveAccountView {
  const regionsGateway = new RegionsGateway(clients.account);
  return new LiveAccountView({
    iam: new IamGateway(clients.iam),
    eks: new EksGateway(clients.eksFor),
    regions: config.eksRegions.length > 0 ? config.eksRegions : () => regionsGateway.enabledRegions(),
    accountId: null,
    partition,
    nodeRoleCacheTtlSeconds: config.nodeRoleCacheTtlSeconds,
    eksConcurrency: config.eksConcurrency,
    onEksWarnings: (warnings) => {
      for (const w of warnings) io.stderr.write(`warning: ${JSON.stringify(w)}\n`);
    },
  });
}
