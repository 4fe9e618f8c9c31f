// Gateway inputs: the AWS SDK clients the gateways are built over, made once per container by the composition
// root (or handed in by the tests, the demo and the CLI).
import type { AccountClient } from '@aws-sdk/client-account';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { SNSClient } from '@aws-sdk/client-sns';

/** The SDK clients the guard uses; built once per container (or handed in by tests and the demo). */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly eksFor: (region: string) => EKSClient;
  readonly sns: SNSClient;
  readonly account: AccountClient;
  /** Only used with `securityHub` on; absent means no findings are imported. */
  readonly securityHub?: SecurityHubClient;
}
