// Gateway (the only AWS Organizations caller): lists the organization's active accounts for `audit --org` and
// `snapshot --org`. Run from the management account or a delegated administrator, with organizations:ListAccounts.
import { type Account, ListAccountsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import type { OrgAccount } from '../domain/org-report';
import { guardedRead } from './aws-errors';
import { collectPages } from './pagination';

/**
 * Whether a listed account is active. `State` is the current field; `Status` is deprecated (Organizations asked
 * callers to move to `State` before 2026-09-09) and is only read when `State` is absent, so both an older and a
 * newer API answer work. SUSPENDED, PENDING_CLOSURE, CLOSED and PENDING_ACTIVATION accounts are left out: their
 * roles cannot be assumed.
 */
export function isActiveAccount(account: Pick<Account, 'State' | 'Status'>): boolean {
  return (account.State ?? account.Status) === 'ACTIVE';
}

export class OrganizationsGateway {
  constructor(private readonly client: OrganizationsClient) {}

  /** Every ACTIVE account of the organization (all pages), in the order listed. */
  async activeAccounts(): Promise<OrgAccount[]> {
    const accounts = await guardedRead('organizations:ListAccounts', 'organization', () =>
      collectPages(async (nextToken) => {
        const output = await this.client.send(new ListAccountsCommand({ NextToken: nextToken }));
        return { items: output.Accounts ?? [], next: output.NextToken };
      }),
    );
    return accounts.flatMap((account) =>
      account.Id !== undefined && isActiveAccount(account)
        ? [
            {
              id: account.Id,
              arn: account.Arn ?? null,
              name: account.Name ?? null,
              email: account.Email ?? null,
            },
          ]
        : [],
    );
  }
}
