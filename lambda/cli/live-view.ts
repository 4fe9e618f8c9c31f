// CLI account view of the live account of the default credential chain (read-only), for `evaluate --live`.
import { LiveAccountView } from '../account/live';
import type { AwsClients } from '../composition';
import type { GuardConfig } from '../config';
import { EksGateway } from '../gateways/eks-gateway';
import { IamGateway } from '../gateways/iam-gateway';
import { RegionsGateway } from '../gateways/regions-gateway';
import type { CliIo } from './io';

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
