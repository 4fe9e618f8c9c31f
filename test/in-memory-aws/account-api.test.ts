// Tests for the fake AWS's Account API through a real AccountClient: GetAccountInformation's fields (as the real
// response names them) for the caller's own account, and AccessDenied for another account's id.
import {
  AccessDeniedException,
  GetAccountInformationCommand,
  ListRegionsCommand,
} from '@aws-sdk/client-account';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

describe('FakeAws Account API', () => {
  it('answers GetAccountInformation with AccountId, AccountName and AccountCreatedDate', async () => {
    const fake = new FakeAws({ accountId: '444455556666', accountName: 'prod-payments' });
    const output = await fake.accountClient().send(new GetAccountInformationCommand({}));
    expect(output.AccountId).toBe('444455556666');
    expect(output.AccountName).toBe('prod-payments');
    expect(output.AccountCreatedDate).toBeInstanceOf(Date);
    const sameAccount = await fake
      .accountClient()
      .send(new GetAccountInformationCommand({ AccountId: '444455556666' }));
    expect(sameAccount.AccountName).toBe('prod-payments');
  });

  it('leaves out AccountName when the fake account has none', async () => {
    const output = await new FakeAws().accountClient().send(new GetAccountInformationCommand({}));
    expect(output.AccountId).toBe('111122223333');
    expect(output).not.toHaveProperty('AccountName');
  });

  it("refuses another account's id (only a management or delegated administrator account may ask)", async () => {
    const fake = new FakeAws();
    await expect(
      fake.accountClient().send(new GetAccountInformationCommand({ AccountId: '999988887777' })),
    ).rejects.toBeInstanceOf(AccessDeniedException);
  });

  it('still answers ListRegions', async () => {
    const output = await new FakeAws({ regions: ['us-east-1'] })
      .accountClient()
      .send(new ListRegionsCommand({}));
    expect(output.Regions?.map((region) => region.RegionName)).toEqual(['us-east-1']);
  });
});
