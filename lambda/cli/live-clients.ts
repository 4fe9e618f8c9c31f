// CLI composition (live commands only): builds the SDK clients for --profile/--region. The SDK is loaded here, on
// first use, so the offline commands (audit --snapshot, evaluate --snapshot, demo) never pay for loading it.
import type { AwsClients } from '../gateways/aws-clients';
import type { LiveOptions } from './options';

/** Builds the live clients; tests hand in a factory over the in-memory fake instead. */
export type ClientsFactory = (options: LiveOptions) => AwsClients | Promise<AwsClients>;

/** `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 (IAM is global; EKS regions are listed). */
export async function liveClients(
  options: LiveOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<AwsClients> {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  const { createAwsClients } = await import('../gateways/aws-clients.js');
  return createAwsClients({ profile: options.profile, region });
}
