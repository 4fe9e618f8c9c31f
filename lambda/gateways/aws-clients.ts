// Gateway inputs: the AWS SDK clients the gateways are built over, made once per container by the composition
// root (or handed in by the tests, the demo and the CLI).
import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';

/** Temporary credentials handed in (an assumed role's, for `audit --org`). */
export interface GivenCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Where the clients take their credentials and home region from (SDK client config `profile`, `credentials`). */
export interface ClientTarget {
  /** A profile of the shared config and credentials files; undefined = the default credential chain. */
  readonly profile?: string | undefined;
  /** Credentials to use instead of any chain. */
  readonly credentials?: GivenCredentials | undefined;
  readonly region: string;
}

/** The SDK clients the guard uses; built once per container (or handed in by tests and the demo). */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly eksFor: (region: string) => EKSClient;
  readonly sns: SNSClient;
  /**
   * SNS clients per Region, for a topic outside the home Region (the organization's central alert topic).
   * @default - every publish through `sns`
   */
  readonly snsFor?: (region: string) => SNSClient;
  readonly account: AccountClient;
  /**
   * ECR clients per region (repository/registry policies for the snapshot and the sweep).
   * @default - no ECR reads: the snapshot has no `ecr` section
   */
  readonly ecrFor?: (region: string) => ECRClient;
  /** CloudTrail per region, for the usage evidence looked up before a fix. */
  readonly cloudtrailFor: (region: string) => CloudTrailClient;
  /** Only used with `securityHub` on; absent means no findings are imported. */
  readonly securityHub?: SecurityHubClient;
}

/** One client per Region, made on first use and kept (SDK clients are meant to be reused). */
export function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region) => {
    let client = clients.get(region);
    if (client === undefined) {
      client = make(region);
      clients.set(region, client);
    }
    return client;
  };
}

/**
 * The clients for a target: standard SDK retries in adaptive mode, the profile (when given) from the shared config
 * and credentials files, one EKS, one ECR and one CloudTrail client per region, made on first use.
 */
export function createAwsClients(target: ClientTarget): AwsClients {
  const common = {
    retryMode: 'adaptive',
    maxAttempts: 5,
    ...(target.profile === undefined ? {} : { profile: target.profile }),
    ...(target.credentials === undefined ? {} : { credentials: target.credentials }),
  } as const;
  return {
    iam: new IAMClient({ ...common, region: target.region }),
    eksFor: perRegion((region) => new EKSClient({ ...common, region })),
    sns: new SNSClient({ ...common, region: target.region }),
    snsFor: perRegion((region) => new SNSClient({ ...common, region })),
    account: new AccountClient({ ...common, region: target.region }),
    securityHub: new SecurityHubClient({ ...common, region: target.region }),
    ecrFor: perRegion((region) => new ECRClient({ ...common, region })),
    // LookupEvents allows 2 requests per second: the use case spaces its calls, so fewer SDK retries.
    cloudtrailFor: perRegion((region) => new CloudTrailClient({ ...common, maxAttempts: 3, region })),
  };
}
