// In-memory AWS: answers CloudTrail LookupEvents from events seeded per region, with the service's rules: one
// lookup attribute per call, StartTime/EndTime, MaxResults up to 50 with NextToken, newest first, and (given a
// clock) ThrottlingException beyond 2 requests per second per region.
import {
  type ServiceOutputTypes as CloudTrailOutput,
  InvalidLookupAttributesException,
  InvalidMaxResultsException,
  InvalidNextTokenException,
  InvalidTimeRangeException,
  ThrottlingException,
} from '@aws-sdk/client-cloudtrail';
import { pageOf } from './paging';
import { FakeRequest } from './request';

/** One event of Event history, fields as LookupEvents returns them (`CloudTrailEvent` is the record as JSON). */
export interface CloudTrailEventSeed {
  readonly EventId: string;
  readonly EventName: string;
  readonly EventTime: Date;
  readonly EventSource: string;
  readonly Username?: string;
  readonly ReadOnly?: string;
  readonly AccessKeyId?: string;
  readonly Resources?: readonly { readonly ResourceType?: string; readonly ResourceName?: string }[];
  readonly CloudTrailEvent: string;
}

const LOOKUP_KEYS = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
] as const;
type LookupKey = (typeof LOOKUP_KEYS)[number];

const MAX_RESULTS = 50;
const REQUESTS_PER_SECOND = 2;

const meta = (httpStatusCode: number) => ({ httpStatusCode, requestId: 'fake-request-id', attempts: 1 });

const isLookupKey = (key: string): key is LookupKey => LOOKUP_KEYS.some((known) => known === key);

export class FakeCloudTrail {
  /** region → events */
  private readonly events = new Map<string, CloudTrailEventSeed[]>();
  /** region → times (ms) of the calls of the last second, when a clock is given. */
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly clock: (() => number) | null) {}

  addEvent(region: string, event: CloudTrailEventSeed): void {
    const list = this.events.get(region) ?? [];
    list.push(event);
    this.events.set(region, list);
  }

  handle(command: string, input: unknown, region: string): CloudTrailOutput {
    if (command !== 'LookupEvents') throw new Error(`FakeAws: CloudTrail ${command} is not implemented`);
    this.throttle(region);
    return this.lookup(new FakeRequest(input, (message) => invalidAttributes(message)), input, region);
  }

  private throttle(region: string): void {
    if (this.clock === null) return;
    const now = this.clock();
    const calls = (this.recent.get(region) ?? []).filter((at) => now - at < 1000);
    if (calls.length >= REQUESTS_PER_SECOND) {
      this.recent.set(region, calls);
      throw Object.assign(new ThrottlingException({ message: 'Rate exceeded', $metadata: meta(400) }), {
        $retryable: { throttling: true },
      });
    }
    this.recent.set(region, [...calls, now]);
  }

  private lookup(request: FakeRequest, input: unknown, region: string): CloudTrailOutput {
    const fields = request.fields;
    const attributes = Array.isArray(fields.LookupAttributes) ? fields.LookupAttributes : [];
    if (attributes.length > 1) throw invalidAttributes('You can only specify one lookup attribute.');
    const filter = attributes.length === 1 ? attributeFilter(attributes[0]) : () => true;
    const start = timeField(input, 'StartTime');
    const end = timeField(input, 'EndTime');
    if (start !== null && end !== null && start > end) {
      throw new InvalidTimeRangeException({
        message: 'Start time must be before end time.',
        $metadata: meta(400),
      });
    }
    const max = request.optionalNumber('MaxResults');
    const matching = (this.events.get(region) ?? [])
      .filter((event) => filter(event))
      .filter((event) => start === null || event.EventTime.getTime() >= start)
      .filter((event) => end === null || event.EventTime.getTime() <= end)
      .sort((a, b) => b.EventTime.getTime() - a.EventTime.getTime());
    const page = pageOf(
      matching,
      { max, token: request.optionalString('NextToken') },
      { defaultSize: MAX_RESULTS, maxSize: MAX_RESULTS, parameter: 'MaxResults' },
      (message) =>
        message.startsWith('Invalid pagination')
          ? new InvalidNextTokenException({ message, $metadata: meta(400) })
          : new InvalidMaxResultsException({ message, $metadata: meta(400) }),
    );
    return {
      Events: page.items.map((event) => ({
        ...event,
        Resources: event.Resources?.map((resource) => ({ ...resource })),
      })),
      NextToken: page.next,
      $metadata: meta(200),
    };
  }
}

function invalidAttributes(message: string): Error {
  return new InvalidLookupAttributesException({ message, $metadata: meta(400) });
}

function timeField(input: unknown, name: string): number | null {
  if (typeof input !== 'object' || input === null || !(name in input)) return null;
  const value: unknown = Object.getOwnPropertyDescriptor(input, name)?.value;
  if (value === undefined) return null;
  if (!(value instanceof Date)) throw invalidAttributes(`${name} must be a timestamp`);
  return value.getTime();
}

function attributeFilter(raw: unknown): (event: CloudTrailEventSeed) => boolean {
  const attribute = new FakeRequest(raw, invalidAttributes);
  const key = attribute.string('AttributeKey');
  const value = attribute.string('AttributeValue');
  if (!isLookupKey(key)) throw invalidAttributes(`Invalid attribute key: ${key}`);
  return (event) => {
    switch (key) {
      case 'ResourceType':
        return (event.Resources ?? []).some((resource) => resource.ResourceType === value);
      case 'ResourceName':
        return (event.Resources ?? []).some((resource) => resource.ResourceName === value);
      default:
        return event[key] === value;
    }
  };
}
