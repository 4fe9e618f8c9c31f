// In-memory AWS: answers the Account API's ListRegions over FakeState's region list, and GetAccountInformation.
import type { ServiceOutputTypes as AccountOutput } from '@aws-sdk/client-account';
import { fakeServiceError } from './errors';
import type { FakeState } from './model';
import { pageOf } from './paging';
import { FakeRequest } from './request';

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

export class FakeAccount {
  constructor(private readonly state: FakeState) {}

  handle(command: string, input: unknown): AccountOutput {
    if (command === 'GetAccountInformation') return this.accountInformation(input);
    if (command !== 'ListRegions') throw new Error(`FakeAws: Account ${command} is not implemented`);
    const invalid = (message: string) => fakeServiceError('account', 'InvalidParameter', message);
    const request = new FakeRequest(input, invalid);
    const wanted = request.optionalStrings('RegionOptStatusContains');
    const regions = [...this.state.regions].filter(
      ([, status]) => wanted === undefined || wanted.includes(status),
    );
    const page = pageOf(
      regions,
      { max: request.optionalNumber('MaxResults'), token: request.optionalString('NextToken') },
      { defaultSize: this.state.pageSize, maxSize: 50, parameter: 'MaxResults' },
      invalid,
    );
    return {
      Regions: page.items.map(([name, status]) => ({ RegionName: name, RegionOptStatus: status })),
      ...(page.next === undefined ? {} : { NextToken: page.next }),
      $metadata: metadata(),
    };
  }

  /**
   * The caller's own account (`AccountId`, `AccountName`, `AccountCreatedDate`). Another account's id needs the
   * organization's management or delegated administrator account: this fake account is neither, so AccessDenied.
   */
  private accountInformation(input: unknown): AccountOutput {
    const request = new FakeRequest(input, (message) =>
      fakeServiceError('account', 'InvalidParameter', message),
    );
    const asked = request.optionalString('AccountId');
    if (asked !== undefined && asked !== this.state.accountId) {
      throw fakeServiceError(
        'account',
        'AccessDenied',
        `User is not authorized to perform: account:GetAccountInformation on account ${asked}`,
      );
    }
    return {
      AccountId: this.state.accountId,
      ...(this.state.accountName === null ? {} : { AccountName: this.state.accountName }),
      AccountCreatedDate: this.state.createDate,
      $metadata: metadata(),
    };
  }
}
