// Gateway (CloudTrail): LookupEvents by ECR's event source, in the region asked, with the window and the page
// token; the records come back as the JSON strings CloudTrail returns.
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudTrailGateway } from '../../lambda/gateways/cloudtrail-gateway';

const window = { start: new Date('2026-11-06T00:00:00Z'), end: new Date('2026-11-20T00:00:00Z') };

describe('CloudTrailGateway', () => {
  it('asks for 50 ECR events of the window in the given region and passes the page token on', async () => {
    const clients = new Map<string, CloudTrailClient>();
    const clientFor = (region: string) => {
      const client = clients.get(region) ?? new CloudTrailClient({ region });
      clients.set(region, client);
      return client;
    };
    const mock = mockClient(clientFor('eu-west-1'));
    mock.on(LookupEventsCommand).resolves({
      Events: [{ EventId: '1', CloudTrailEvent: '{"eventName":"PutImage"}' }, { EventId: '2' }],
      NextToken: 'next',
    });
    const page = await new CloudTrailGateway(clientFor).ecrEvents('eu-west-1', window, 'token-1');
    expect(page).toEqual({ records: ['{"eventName":"PutImage"}'], nextToken: 'next' });
    expect(mock).toHaveReceivedCommandWith(LookupEventsCommand, {
      LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'ecr.amazonaws.com' }],
      StartTime: window.start,
      EndTime: window.end,
      MaxResults: 50,
      NextToken: 'token-1',
    });
  });

  it('sends no NextToken on the first page and reads an empty token as the last page', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    const mock = mockClient(client);
    mock.on(LookupEventsCommand).resolves({ Events: [], NextToken: '' });
    const page = await new CloudTrailGateway(() => client).ecrEvents('us-east-1', window, undefined);
    expect(page).toEqual({ records: [], nextToken: undefined });
    expect(mock.commandCalls(LookupEventsCommand)[0]?.args[0].input).not.toHaveProperty('NextToken');
  });

  it('lets an error through to the use case', async () => {
    const client = new CloudTrailClient({ region: 'us-east-1' });
    mockClient(client)
      .on(LookupEventsCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(
      new CloudTrailGateway(() => client).ecrEvents('us-east-1', window, undefined),
    ).rejects.toThrow('denied');
  });
});
