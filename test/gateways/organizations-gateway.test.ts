// Tests for the Organizations gateway: pagination, ACTIVE accounts by State (Status only when State is absent),
// AccessDenied mapping.
import {
  AccessDeniedException,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { isActiveAccount, OrganizationsGateway } from '../../lambda/gateways/organizations-gateway';

const client = new OrganizationsClient({ region: 'us-east-1' });
const mock = mockClient(client);
beforeEach(() => mock.reset());
afterAll(() => mock.restore());

describe('isActiveAccount', () => {
  it.each([
    [{ State: 'ACTIVE', Status: 'ACTIVE' }, true],
    [{ State: 'ACTIVE' }, true],
    [{ Status: 'ACTIVE' }, true],
    [{ State: 'CLOSED', Status: 'ACTIVE' }, false],
    [{ State: 'PENDING_ACTIVATION' }, false],
    [{ State: 'SUSPENDED', Status: 'SUSPENDED' }, false],
    [{ Status: 'PENDING_CLOSURE' }, false],
    [{}, false],
  ] as const)('%j → %s', (account, active) => {
    expect(isActiveAccount(account)).toBe(active);
  });
});

describe('OrganizationsGateway.activeAccounts', () => {
  it('follows NextToken and keeps the active accounts with their id, ARN, name and email', async () => {
    mock
      .on(ListAccountsCommand, { NextToken: undefined })
      .resolves({
        Accounts: [
          {
            Id: '111111111111',
            Arn: 'arn:aws:organizations::999988887777:account/o-x/111111111111',
            Name: 'a',
            Email: 'a@example.com',
            State: 'ACTIVE',
          },
          { Id: '222222222222', Name: 'gone', State: 'SUSPENDED' },
        ],
        NextToken: 't2',
      })
      .on(ListAccountsCommand, { NextToken: 't2' })
      .resolves({ Accounts: [{ Id: '333333333333', Status: 'ACTIVE' }] });
    await expect(new OrganizationsGateway(client).activeAccounts()).resolves.toEqual([
      {
        id: '111111111111',
        arn: 'arn:aws:organizations::999988887777:account/o-x/111111111111',
        name: 'a',
        email: 'a@example.com',
      },
      { id: '333333333333', arn: null, name: null, email: null },
    ]);
    expect(mock).toHaveReceivedCommandTimes(ListAccountsCommand, 2);
  });

  it('maps AccessDeniedException to ReadAccessDeniedError naming organizations:ListAccounts', async () => {
    mock
      .on(ListAccountsCommand)
      .rejects(new AccessDeniedException({ message: 'not the management account', $metadata: {} }));
    const failure = new OrganizationsGateway(client).activeAccounts();
    await expect(failure).rejects.toBeInstanceOf(ReadAccessDeniedError);
    await expect(failure).rejects.toThrow('organizations:ListAccounts on organization was denied');
  });
});
