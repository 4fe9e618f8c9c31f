// Tests for the regions gateway: status filter, pagination, AccessDenied mapping; the account name read.
import {
  AccessDeniedException,
  AccountClient,
  GetAccountInformationCommand,
  ListRegionsCommand,
} from '@aws-sdk/client-account';
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

describe('RegionsGateway.accountName', () => {
  it("reads the caller's own account (no AccountId) and returns its AccountName", async () => {
    accountMock.on(GetAccountInformationCommand).resolves({
      AccountId: '111122223333',
      AccountName: 'prod-payments',
      AccountCreatedDate: new Date('2020-01-01T00:00:00Z'),
    });
    await expect(gateway().accountName()).resolves.toBe('prod-payments');
    expect(accountMock.commandCalls(GetAccountInformationCommand)[0]?.args[0].input).toEqual({});
  });

  it('answers null when the answer has no name', async () => {
    accountMock.on(GetAccountInformationCommand).resolves({ AccountId: '111122223333' });
    await expect(gateway().accountName()).resolves.toBeNull();
  });

  it('maps AccessDenied to ReadAccessDeniedError', async () => {
    accountMock
      .on(GetAccountInformationCommand)
      .rejects(new AccessDeniedException({ message: 'denied', $metadata: {} }));
    await expect(gateway().accountName()).rejects.toBeInstanceOf(ReadAccessDeniedError);
  });
});
