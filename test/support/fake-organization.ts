// Test support for the organization audit: a fake organization of many accounts (Organizations ListAccounts and
// STS AssumeRole answered by aws-sdk-client-mock), each member account an in-memory AWS built from a snapshot.
import {
  ListAccountsCommand,
  type ListAccountsCommandOutput,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient, STSServiceException } from '@aws-sdk/client-sts';
import { type AwsClientStub, mockClient } from 'aws-sdk-client-mock';
import type { OrgClients } from '../../lambda/cli/org';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { ACCOUNT, accountJson, mixedAccountJson } from '../report/support';

export const MANAGEMENT_ACCOUNT = '999988887777';
export const AUDIT_ROLE = 'EksEcrGuardAudit';
export const CALLER_ARN = `arn:aws:sts::${MANAGEMENT_ACCOUNT}:assumed-role/SecurityAuditor/ci-run`;

export const accountId = (index: number): string => `1000000000${String(index).padStart(2, '0')}`;

/** The exact error STS returns when the caller may not assume the role (HTTP 403, awsQuery code AccessDenied). */
export function assumeRoleAccessDenied(roleArn: string): STSServiceException {
  return new STSServiceException({
    name: 'AccessDenied',
    $fault: 'client',
    message: `User: ${CALLER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    $metadata: { httpStatusCode: 403, requestId: 'c0ffee00-0000-4000-8000-000000000001' },
  });
}

/** Every third account (index % 3 === 0) holds the mixed account: critical, high, medium, compliant, exempt, dangling. */
export const isMixed = (index: number): boolean => index % 3 === 0;

function memberJson(index: number): unknown {
  const json = isMixed(index)
    ? mixedAccountJson()
    : accountJson({
        ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] },
        'ok-too': { attached: ['AmazonEC2ContainerRegistryReadOnly'] },
      });
  return JSON.parse(JSON.stringify(json).replaceAll(ACCOUNT, accountId(index)));
}

export interface FakeOrganization {
  readonly ids: readonly string[];
  readonly members: ReadonlyMap<string, FakeAws>;
  readonly organizations: AwsClientStub<OrganizationsClient>;
  readonly sts: AwsClientStub<STSClient>;
  /** The OrgClients the CLI takes: member clients chosen by the assumed role's access key. */
  readonly clients: OrgClients;
  /** Accounts whose role is assumed right now, and the most seen at once. */
  readonly inFlight: { current: number; max: number };
  /** Tells the fake that an account's work is over (the use case's progress callback does it). */
  readonly finished: (accountId: string) => void;
}

/**
 * `size` active accounts listed over two pages, plus a SUSPENDED account (State), a CLOSED one (State wins over
 * an ACTIVE Status) and one answered with the deprecated `Status` only. AssumeRole into `denied` fails as STS does.
 */
export function fakeOrganization(
  size: number,
  options: { readonly denied?: readonly number[]; readonly latencyMs?: number } = {},
): FakeOrganization {
  const ids = Array.from({ length: size }, (_, i) => accountId(i));
  const members = new Map(
    ids.map((id, i) => [
      id,
      FakeAws.fromSnapshot(memberJson(i), { accountId: id, latencyMs: options.latencyMs ?? 0 }),
    ]),
  );
  const listed = ids.map((id, i) => ({
    Id: id,
    Arn: `arn:aws:organizations::${MANAGEMENT_ACCOUNT}:account/o-abcd123456/${id}`,
    Name: `team-${i}`,
    Email: `aws+team-${i}@example.com`,
    // The last listed account answers in the older shape, with the deprecated Status only.
    ...(i === size - 1
      ? { Status: 'ACTIVE' as const }
      : { State: 'ACTIVE' as const, Status: 'ACTIVE' as const }),
  }));
  const inactive = [
    { Id: '200000000001', Name: 'suspended', State: 'SUSPENDED' as const, Status: 'SUSPENDED' as const },
    { Id: '200000000002', Name: 'closed', State: 'CLOSED' as const, Status: 'ACTIVE' as const },
  ];
  const half = Math.ceil(listed.length / 2);
  // Mocked per instance, so several fake organizations can live side by side.
  const organizationsClient = new OrganizationsClient({ region: 'us-east-1' });
  const stsClient = new STSClient({ region: 'us-east-1' });
  const organizations = mockClient(organizationsClient);
  organizations
    .on(ListAccountsCommand, { NextToken: undefined })
    .resolves({
      Accounts: [...listed.slice(0, half), ...inactive],
      NextToken: 'page-2',
    } satisfies Partial<ListAccountsCommandOutput>)
    .on(ListAccountsCommand, { NextToken: 'page-2' })
    .resolves({ Accounts: listed.slice(half) });

  const denied = new Set((options.denied ?? []).map(accountId));
  const inFlight = { current: 0, max: 0 };
  const sts = mockClient(stsClient);
  sts.on(AssumeRoleCommand).callsFake(async (input: { RoleArn?: string }) => {
    const roleArn = input.RoleArn ?? '';
    const id = /^arn:aws:iam::(\d{12}):role\//.exec(roleArn)?.[1] ?? '';
    inFlight.current += 1;
    inFlight.max = Math.max(inFlight.max, inFlight.current);
    await new Promise((resolve) => setTimeout(resolve, options.latencyMs ?? 0));
    if (denied.has(id)) {
      inFlight.current -= 1;
      throw assumeRoleAccessDenied(roleArn);
    }
    return {
      Credentials: {
        AccessKeyId: `ASIA${id}`,
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: new Date('2026-11-22T12:15:00Z'),
      },
    };
  });
  const clients: OrgClients = {
    organizations: organizationsClient,
    sts: stsClient,
    accountClients: (credentials) => {
      const member = members.get(credentials.accessKeyId.replace(/^ASIA/, ''));
      if (member === undefined) throw new Error(`no member account for ${credentials.accessKeyId}`);
      return member.clients();
    },
  };
  return {
    ids,
    members,
    organizations,
    sts,
    clients,
    inFlight,
    finished: (id) => {
      if (!denied.has(id)) inFlight.current -= 1;
    },
  };
}
