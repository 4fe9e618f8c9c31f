// In-memory AWS: LookupEvents as CloudTrail answers it: per region, one lookup attribute, StartTime/EndTime,
// newest first, at most 50 per page with NextToken, and ThrottlingException beyond 2 requests per second.
import { CloudTrailServiceException, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { ecrCall } from '../support/cloudtrail-events';

const ROLE = 'arn:aws:iam::111122223333:role/ng';

function seeded(count: number, clock?: () => number): FakeAws {
  const fake = new FakeAws(clock === undefined ? {} : { clock });
  for (let i = 0; i < count; i += 1) {
    fake.addCloudTrailEvent(
      'eu-west-1',
      ecrCall({
        id: `e${i}`,
        roleArn: ROLE,
        session: `i-${i}`,
        region: 'eu-west-1',
        time: new Date(Date.UTC(2026, 10, 1 + i)).toISOString(),
        eventName: i % 2 === 0 ? 'PutImage' : 'BatchGetImage',
      }),
    );
  }
  return fake;
}

const byEventSource = [{ AttributeKey: 'EventSource' as const, AttributeValue: 'ecr.amazonaws.com' }];

describe('FakeAws CloudTrail LookupEvents', () => {
  it('filters by one attribute and by time, newest first, in the region of the client', async () => {
    const fake = seeded(6);
    const client = fake.cloudtrailClientFor('eu-west-1');
    const out = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'PutImage' }],
        StartTime: new Date('2026-11-02T00:00:00Z'),
        EndTime: new Date('2026-11-06T00:00:00Z'),
      }),
    );
    expect(out.Events?.map((e) => e.EventId)).toEqual(['e4', 'e2']);
    const other = await fake
      .cloudtrailClientFor('us-east-1')
      .send(new LookupEventsCommand({ LookupAttributes: byEventSource }));
    expect(other.Events).toEqual([]);
    expect(fake.callCount('cloudtrail', 'LookupEvents')).toBe(2);
  });

  it('matches ResourceName and Username', async () => {
    const client = seeded(3).cloudtrailClientFor('eu-west-1');
    const byUser = await client.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'i-1' }] }),
    );
    expect(byUser.Events?.map((e) => e.EventId)).toEqual(['e1']);
    const byResource = await client.send(
      new LookupEventsCommand({
        LookupAttributes: [
          {
            AttributeKey: 'ResourceName',
            AttributeValue: 'arn:aws:ecr:eu-west-1:111122223333:repository/ci/app',
          },
        ],
      }),
    );
    expect(byResource.Events).toHaveLength(3);
  });

  it('pages 50 at a time with NextToken and refuses more than 50 or two attributes', async () => {
    const client = seeded(60).cloudtrailClientFor('eu-west-1');
    const first = await client.send(new LookupEventsCommand({ LookupAttributes: byEventSource }));
    expect(first.Events).toHaveLength(50);
    const second = await client.send(
      new LookupEventsCommand({ LookupAttributes: byEventSource, NextToken: first.NextToken }),
    );
    expect(second.Events).toHaveLength(10);
    expect(second.NextToken).toBeUndefined();
    await expect(client.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
      name: 'InvalidMaxResultsException',
    });
    await expect(
      client.send(
        new LookupEventsCommand({
          LookupAttributes: [...byEventSource, { AttributeKey: 'EventName', AttributeValue: 'PutImage' }],
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
  });

  it('throttles the third request within a second in a region (given a clock), not in another region', async () => {
    let now = 0;
    const fake = seeded(1, () => now);
    const client = fake.cloudtrailClientFor('eu-west-1');
    await client.send(new LookupEventsCommand({}));
    await client.send(new LookupEventsCommand({}));
    const error = await client.send(new LookupEventsCommand({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudTrailServiceException);
    expect(error).toMatchObject({ name: 'ThrottlingException' });
    await fake.cloudtrailClientFor('us-east-1').send(new LookupEventsCommand({}));
    now = 1000;
    await expect(client.send(new LookupEventsCommand({}))).resolves.toBeDefined();
  });

  it('answers injected faults as CloudTrail errors', async () => {
    const fake = seeded(1);
    fake.failOn({ service: 'cloudtrail', command: 'LookupEvents', error: 'AccessDenied', times: 1 });
    await expect(
      fake.cloudtrailClientFor('eu-west-1').send(new LookupEventsCommand({})),
    ).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});
