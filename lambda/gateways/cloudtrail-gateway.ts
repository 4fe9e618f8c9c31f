// Gateway (CloudTrail): reads one page of a region's Event history of ECR calls (LookupEvents by event source) for
// the usage-evidence use case; the only code that calls CloudTrail. Errors propagate to the use case.
import { type CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { ECR_SERVICE_ENDPOINT } from '../contract';

/** One page of ECR events: the CloudTrail records as JSON strings, and the token of the next page. */
export interface EcrEventPage {
  readonly records: readonly string[];
  readonly nextToken: string | undefined;
}

/** LookupEvents returns at most 50 events per call. */
const PAGE_SIZE = 50;

export class CloudTrailGateway {
  /** `clientFor` builds (or reuses) the client of a region: Event history is per region. */
  constructor(private readonly clientFor: (region: string) => CloudTrailClient) {}

  async ecrEvents(
    region: string,
    window: { readonly start: Date; readonly end: Date },
    nextToken: string | undefined,
  ): Promise<EcrEventPage> {
    const output = await this.clientFor(region).send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: ECR_SERVICE_ENDPOINT }],
        StartTime: window.start,
        EndTime: window.end,
        MaxResults: PAGE_SIZE,
        ...(nextToken === undefined ? {} : { NextToken: nextToken }),
      }),
    );
    return {
      records: (output.Events ?? []).flatMap((event) =>
        event.CloudTrailEvent === undefined ? [] : [event.CloudTrailEvent],
      ),
      nextToken: output.NextToken === undefined || output.NextToken === '' ? undefined : output.NextToken,
    };
  }
}
