// Gateway (the only AWS Account API caller): lists the regions enabled for the account, for the EKS inventory, and
// reads the account's name, for the central alerts.
import {
  type AccountClient,
  GetAccountInformationCommand,
  ListRegionsCommand,
} from '@aws-sdk/client-account';
import { guardedRead } from './aws-errors';
import { collectPages } from './pagination';

export class RegionsGateway {
  constructor(private readonly client: AccountClient) {}

  /** Names of the regions with status ENABLED or ENABLED_BY_DEFAULT (all pages). */
  async enabledRegions(): Promise<string[]> {
    return guardedRead('account:ListRegions', 'account', () =>
      collectPages(async (nextToken) => {
        const output = await this.client.send(
          new ListRegionsCommand({
            RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
            NextToken: nextToken,
          }),
        );
        const items = (output.Regions ?? []).flatMap((region) =>
          region.RegionName ? [region.RegionName] : [],
        );
        return { items, next: output.NextToken };
      }),
    );
  }

  /**
   * The account's own name (GetAccountInformation without AccountId: the caller's account); null when the answer
   * has none. Errors propagate (AccessDenied as ReadAccessDeniedError).
   */
  async accountName(): Promise<string | null> {
    return guardedRead('account:GetAccountInformation', 'account', async () => {
      const output = await this.client.send(new GetAccountInformationCommand({}));
      const name = output.AccountName ?? '';
      return name === '' ? null : name;
    });
  }
}
