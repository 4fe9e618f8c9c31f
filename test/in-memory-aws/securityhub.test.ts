// Tests for the fake AWS's Security Hub, through a real SecurityHubClient and the production gateway: required ASFF
// attributes, own-account default product only, the 100-finding batch limit, "later UpdatedAt wins" updates,
// Workflow set only at creation (and reopened by Security Hub), GetFindings filters and NextToken paging, and
// Security Hub switched off.
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  InvalidInputException,
} from '@aws-sdk/client-securityhub';
import { SecurityHubGateway, toSdkFinding } from '../../lambda/gateways/securityhub-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { type AsffFinding, findingForDecision, GENERATOR_ID } from '../../lambda/report/asff';
import { violationDecision } from '../notify/support';

const TARGET = { accountId: '111122223333', region: 'us-east-1', partition: 'aws' };
const PRODUCT = 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default';

function finding(
  name: string,
  at: string,
  overrides: Partial<Parameters<typeof violationDecision>[0]> = {},
): AsffFinding {
  const built = findingForDecision(
    violationDecision({ role: { name, arn: `arn:aws:iam::111122223333:role/${name}` }, ...overrides }),
    TARGET,
    at,
  );
  if (built === null) throw new Error('no finding');
  return built;
}

function hub() {
  const fake = new FakeAws({ pageSize: 2 });
  return {
    fake,
    gateway: new SecurityHubGateway(fake.securityHubClient()),
    client: fake.securityHubClient(),
  };
}

const T1 = '2026-11-20T10:00:00.000Z';
const T2 = '2026-11-20T11:00:00.000Z';

describe('FakeAws Security Hub BatchImportFindings', () => {
  it('stores a new finding ACTIVE with Workflow NEW', async () => {
    const { fake, gateway } = hub();
    expect(await gateway.importFindings([finding('a', T1)])).toEqual([]);
    expect(fake.securityHubFindings()).toEqual([
      expect.objectContaining({
        Id: finding('a', T1).Id,
        RecordState: 'ACTIVE',
        Workflow: { Status: 'NEW' },
      }),
    ]);
  });

  it('updates on a later UpdatedAt and ignores an equal or earlier one', async () => {
    const { fake, gateway } = hub();
    await gateway.importFindings([finding('a', T2)]);
    const passed = { ...finding('a', T1, { verdict: 'compliant', severity: null }), CreatedAt: T1 };
    await gateway.importFindings([passed]);
    await gateway.importFindings([{ ...passed, UpdatedAt: T2 }]);
    expect(fake.securityHubFindings()[0]).toMatchObject({ Compliance: { Status: 'FAILED' }, UpdatedAt: T2 });
    await gateway.importFindings([{ ...passed, UpdatedAt: '2026-11-20T12:00:00.000Z' }]);
    expect(fake.securityHubFindings()).toHaveLength(1);
    expect(fake.securityHubFindings()[0]).toMatchObject({
      Compliance: { Status: 'PASSED' },
      RecordState: 'ARCHIVED',
    });
  });

  it('keeps Workflow as created (providers may not change it) and reopens it when the finding fails again', async () => {
    const { fake, client } = hub();
    const resolved = {
      ...toSdkFinding(finding('a', T1, { verdict: 'compliant', severity: null })),
      Workflow: { Status: 'RESOLVED' as const },
    };
    await client.send(new BatchImportFindingsCommand({ Findings: [resolved] }));
    await client.send(
      new BatchImportFindingsCommand({
        Findings: [{ ...resolved, UpdatedAt: T2, Workflow: { Status: 'SUPPRESSED' } }],
      }),
    );
    expect(fake.securityHubFindings()[0]).toMatchObject({ Workflow: { Status: 'RESOLVED' } });
    const failing = { ...finding('a', '2026-11-20T12:00:00.000Z'), CreatedAt: T1 };
    await client.send(new BatchImportFindingsCommand({ Findings: [toSdkFinding(failing)] }));
    expect(fake.securityHubFindings()[0]).toMatchObject({
      Workflow: { Status: 'NEW' },
      Compliance: { Status: 'FAILED' },
    });
  });

  it.each([
    ['a missing Title', (f: AwsSecurityFinding): AwsSecurityFinding => ({ ...f, Title: '' }), 'InvalidInput'],
    [
      'no severity label or number',
      (f: AwsSecurityFinding): AwsSecurityFinding => ({ ...f, Severity: {} }),
      'InvalidInput',
    ],
    [
      'no resources',
      (f: AwsSecurityFinding): AwsSecurityFinding => ({ ...f, Resources: [] }),
      'InvalidInput',
    ],
    [
      'another account',
      (f: AwsSecurityFinding): AwsSecurityFinding => ({ ...f, AwsAccountId: '444455556666' }),
      'AccessDeniedException',
    ],
    [
      "another account's product",
      (f: AwsSecurityFinding): AwsSecurityFinding => ({
        ...f,
        ProductArn: PRODUCT.replace('111122223333:product', '444455556666:product'),
      }),
      'AccessDeniedException',
    ],
    [
      'an Id over 512 characters',
      (f: AwsSecurityFinding): AwsSecurityFinding => ({ ...f, Id: 'x'.repeat(513) }),
      'InvalidInput',
    ],
  ])('refuses a finding with %s in FailedFindings, and stores the others', async (_name, spoil, code) => {
    const { fake, client } = hub();
    const bad = spoil(toSdkFinding(finding('bad', T1)));
    const output = await client.send(
      new BatchImportFindingsCommand({ Findings: [bad, toSdkFinding(finding('good', T1))] }),
    );
    expect(output).toMatchObject({ SuccessCount: 1, FailedCount: 1 });
    expect(output.FailedFindings).toEqual([expect.objectContaining({ Id: bad.Id, ErrorCode: code })]);
    expect(fake.securityHubFindings().map((f) => f.Id)).toEqual([finding('good', T1).Id]);
  });

  it('rejects a request of more than 100 findings', async () => {
    const { gateway } = hub();
    const many = Array.from({ length: 101 }, (_, i) => finding(`r${i}`, T1));
    await expect(gateway.importFindings(many)).rejects.toBeInstanceOf(InvalidInputException);
  });

  it('refuses every finding with InvalidAccess when Security Hub is off in the Region', async () => {
    const { fake, gateway } = hub();
    fake.setSecurityHubEnabled(false);
    const refused = await gateway.importFindings([finding('a', T1)]);
    expect(refused).toEqual([expect.objectContaining({ errorCode: 'InvalidAccess' })]);
    await expect(gateway.ownedFindings(PRODUCT, GENERATOR_ID)).rejects.toMatchObject({
      name: 'InvalidAccessException',
    });
    fake.setSecurityHubEnabled(true);
    expect(await gateway.importFindings([finding('a', T1)])).toEqual([]);
  });
});

describe('FakeAws Security Hub GetFindings', () => {
  it('the gateway reads every owned finding across pages (NextToken), filtered by product and generator', async () => {
    const { fake, gateway, client } = hub();
    const all = Array.from({ length: 230 }, (_, i) => finding(`role-${String(i).padStart(3, '0')}`, T1));
    for (let start = 0; start < all.length; start += 100)
      await gateway.importFindings(all.slice(start, start + 100));
    await client.send(
      new BatchImportFindingsCommand({
        Findings: [{ ...toSdkFinding(finding('other', T1)), GeneratorId: 'someone-else' }],
      }),
    );
    const owned = await gateway.ownedFindings(PRODUCT, GENERATOR_ID);
    expect(owned).toHaveLength(230);
    expect(owned[0]).toEqual({
      id: all[0]?.Id,
      roleArn: 'arn:aws:iam::111122223333:role/role-000',
      createdAt: T1,
      updatedAt: T1,
      complianceStatus: 'FAILED',
      recordState: 'ACTIVE',
    });
    expect(fake.callCount('securityhub', 'GetFindings')).toBe(3);
  });

  it('finds by Id, 20 ids a call', async () => {
    const { fake, gateway } = hub();
    const all = Array.from({ length: 45 }, (_, i) => finding(`r${i}`, T1));
    await gateway.importFindings(all);
    fake.resetCalls();
    const found = await gateway.findingsById(PRODUCT, [...all.map((f) => f.Id), 'missing']);
    expect(found.map((f) => f.id)).toEqual(all.map((f) => f.Id));
    expect(fake.callCount('securityhub', 'GetFindings')).toBe(3);
  });

  it('pages with the default page size when no MaxResults is given', async () => {
    const { gateway, client } = hub();
    await gateway.importFindings([finding('a', T1), finding('b', T1), finding('c', T1)]);
    const first = await client.send(new GetFindingsCommand({}));
    expect(first.Findings).toHaveLength(2);
    const second = await client.send(new GetFindingsCommand({ NextToken: first.NextToken }));
    expect(second.Findings).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
  });
});
