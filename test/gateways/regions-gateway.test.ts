// Tests for the regions gateway: status filter, pagination, AccessDenied mapping.
import { AccessDeniedException, AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { mockClient } from 'aws-sdk-client-mock';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { RegionsGateway } from '../../lambda/gateways/regions-gateway';

const accountMock = mockClient(AccountClient);
const gateway = () => new RegionsGateway(new AccountClient({ region: 'us-east-1' }));

beforeEach(() => accountMock.reset());

describe('RegionsGateway.enabledRegions', () => {
  it('asks for ENABLED and ENABLED_BY_DEFAULT regions and follows NextToken', async () => {
    accountMock
      .on(ListRegionsCommand, { NextToken: undefined })
      .resolves({
        Regions: [
          { RegionName: 'us-east-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' },
          { RegionName: 'eu-south-1', RegionOptStatus: 'ENABLED' },
        ],
        NextToken: 't2',
      })
      .on(ListRegionsCommand, { NextToken: 't2' })
      .resolves({ Regions: [{ RegionName: 'eu-west-1', RegionOptStatus: 'ENABLED_BY_DEFAULT' }] });

    await expect(gateway().enabledRegions()).resolves.toEqual(['us-east-1', 'eu-south-1', 'eu-west-1']);
    expect(accountMock).toHaveReceivedCommandWith(ListRegionsCommand, {
      RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
    });
    expect(accountMock).toHaveReceivedNthCommandWith(2, ListRegionsCommand, { NextToken: 't2' });
  });

  it('maps AccessDenied to ReadAccessDeniedError', async () => {
    accountMock.on(ListRegionsCommand).rejects(new AccessDeniedException({ message: 'no', $metadata: {} }));
    await expect(gateway().enabledRegions()).rejects.toBeInstanceOf(ReadAccessDeniedError);
  });
});
