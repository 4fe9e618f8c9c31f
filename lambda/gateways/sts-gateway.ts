// Gateway (the only AWS STS caller): assumes the read-only audit role in a member account for `audit --org` and
// `snapshot --org`, and hands back the temporary credentials the per-account SDK clients are built with.
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';

/** The role session name CloudTrail shows in the member account: says which tool read it. */
export const AUDIT_SESSION_NAME = 'eks-ecr-guard-org-audit';
/** The shortest session STS grants (15 minutes): one account's read takes seconds. */
export const AUDIT_SESSION_SECONDS = 900;

/** Temporary credentials in the shape SDK v3 clients take (`credentials`). */
export interface TemporaryCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date | undefined;
}

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly externalId?: string;
  /** @default AUDIT_SESSION_NAME */
  readonly sessionName?: string;
  /** @default AUDIT_SESSION_SECONDS */
  readonly durationSeconds?: number;
}

/** STS answered without credentials (never seen; kept so a malformed answer is not a silent gap). */
export class MissingCredentialsError extends Error {
  override readonly name = 'MissingCredentialsError';
}

export class StsGateway {
  constructor(private readonly client: STSClient) {}

  /** `sts:AssumeRole`; errors (AccessDenied, RegionDisabledException, Throttling...) are passed on unchanged. */
  async assumeRole(request: AssumeRoleRequest): Promise<TemporaryCredentials> {
    const output = await this.client.send(
      new AssumeRoleCommand({
        RoleArn: request.roleArn,
        RoleSessionName: request.sessionName ?? AUDIT_SESSION_NAME,
        DurationSeconds: request.durationSeconds ?? AUDIT_SESSION_SECONDS,
        ...(request.externalId === undefined ? {} : { ExternalId: request.externalId }),
      }),
    );
    const credentials = output.Credentials;
    if (
      credentials?.AccessKeyId === undefined ||
      credentials.SecretAccessKey === undefined ||
      credentials.SessionToken === undefined
    ) {
      throw new MissingCredentialsError(`AssumeRole of ${request.roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
      expiration: credentials.Expiration,
    };
  }
}
