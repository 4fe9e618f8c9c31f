// Tests for the Security Hub gateway with aws-sdk-client-mock: the commands it sends (BatchImportFindings with the
// findings as built, GetFindings filtered on product + generator and followed through NextToken), FailedFindings
// mapped, stored findings read back, errors propagated to the use case.
import {
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidAccessException,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { SecurityHubGateway } from '../../lambda/gateways/securityhub-gateway';
import { findingForDecision, GENERATOR_ID } from '../../lambda/report/asff';
import { violationDecision } from '../notify/support';

const hubMock = mockClient(SecurityHubClient);
const gateway = () => new SecurityHubGateway(new SecurityHubClient({ region: 'eu-west-1' }));
const TARGET = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const PRODUCT = 'arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default';
const built = findingForDecision(violationDecision(), TARGET, '2026-11-20T10:00:00.000Z');

beforeEach(() => hubMock.reset());

const stored = (id: string) => ({
  SchemaVersion: '2018-10-08',
  Id: id,
  ProductArn: PRODUCT,
  GeneratorId: GENERATOR_ID,
  AwsAccountId: '111122223333',
  CreatedAt: '2026-11-01T00:00:00.000Z',
  UpdatedAt: '2026-11-02T00:00:00.000Z',
  Title: 't',
  Description: 'd',
  Types: [],
  Severity: { Label: 'HIGH' as const },
  Resources: [{ Type: 'AwsIamRole', Id: `arn:aws:iam::111122223333:role/${id}` }],
  Compliance: { Status: 'FAILED' as const },
  RecordState: 'ACTIVE' as const,
});

describe('SecurityHubGateway.importFindings', () => {
  it('sends the findings as built and maps FailedFindings', async () => {
    if (built === null) throw new Error('no finding');
    hubMock.on(BatchImportFindingsCommand).resolves({
      SuccessCount: 0,
      FailedCount: 1,
      FailedFindings: [{ Id: built.Id, ErrorCode: 'InvalidAccess', ErrorMessage: 'not subscribed' }],
    });
    const refused = await gateway().importFindings([built]);
    expect(refused).toEqual([{ id: built.Id, errorCode: 'InvalidAccess', errorMessage: 'not subscribed' }]);
    expect(hubMock).toHaveReceivedCommandTimes(BatchImportFindingsCommand, 1);
    const input = hubMock.commandCalls(BatchImportFindingsCommand)[0]?.args[0].input;
    expect(input?.Findings).toEqual([JSON.parse(JSON.stringify(built))]);
  });

  it('propagates a failed call (the use case retries and reports)', async () => {
    if (built === null) throw new Error('no finding');
    hubMock
      .on(BatchImportFindingsCommand)
      .rejects(new InvalidAccessException({ message: 'not subscribed', $metadata: {} }));
    await expect(gateway().importFindings([built])).rejects.toBeInstanceOf(InvalidAccessException);
  });
});

describe('SecurityHubGateway.ownedFindings', () => {
  it('filters on product and generator and follows NextToken to the last page', async () => {
    hubMock
      .on(GetFindingsCommand)
      .resolvesOnce({ Findings: [stored('a')], NextToken: 'page-2' })
      .resolvesOnce({ Findings: [stored('b')] });
    const owned = await gateway().ownedFindings(PRODUCT, GENERATOR_ID);
    expect(owned.map((f) => f.id)).toEqual(['a', 'b']);
    expect(owned[0]).toEqual({
      id: 'a',
      roleArn: 'arn:aws:iam::111122223333:role/a',
      createdAt: '2026-11-01T00:00:00.000Z',
      updatedAt: '2026-11-02T00:00:00.000Z',
      complianceStatus: 'FAILED',
      recordState: 'ACTIVE',
    });
    expect(hubMock).toHaveReceivedNthCommandWith(1, GetFindingsCommand, {
      Filters: {
        ProductArn: [{ Value: PRODUCT, Comparison: 'EQUALS' }],
        GeneratorId: [{ Value: GENERATOR_ID, Comparison: 'EQUALS' }],
      },
      MaxResults: 100,
    });
    expect(hubMock).toHaveReceivedNthCommandWith(2, GetFindingsCommand, { NextToken: 'page-2' });
  });

  it('skips a stored finding without a role resource', async () => {
    hubMock.on(GetFindingsCommand).resolves({ Findings: [{ ...stored('x'), Resources: [] }] });
    expect(await gateway().ownedFindings(PRODUCT, GENERATOR_ID)).toEqual([]);
  });
});
