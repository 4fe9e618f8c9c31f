// In-memory AWS: answers the Account API's ListRegions over FakeState's region list.
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
}
