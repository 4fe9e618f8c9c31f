// CLI composition (live commands only): builds the SDK clients of `--live` and `snapshot` for --profile/--region.
import { type AwsClients, createAwsClients } from '../gateways/aws-clients';
import type { LiveOptions } from './options';

/** Builds the live clients; tests hand in a factory over the in-memory fake instead. */
export type ClientsFactory = (options: LiveOptions) => AwsClients | Promise<AwsClients>;

/** `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else us-east-1 (IAM is global; EKS regions are listed). */
export function liveClients(
  options: LiveOptions,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AwsClients {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
  return createAwsClients({ profile: options.profile, region });
}
