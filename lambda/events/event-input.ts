// Edge of the offline event path (`evaluate --event`): turns what a file holds (an EventBridge event, a bare
// CloudTrail record, an array of either, a CloudTrail log file `{"Records": [...]}`) into the EventBridge events the
// event parser reads, one per record, in file order. Pure; anything else is an InvalidInputError saying what is
// expected.
import { CLOUDTRAIL_DETAIL_TYPE } from '../contract';
import { InvalidInputError } from '../domain/errors';
import { describeValueType } from './validation-message';

/** What the error message says a file may hold. */
export const EXPECTED_EVENT_INPUT =
  'an EventBridge "AWS API Call via CloudTrail" event, a CloudTrail record, an array of either, ' +
  'or a CloudTrail log file ({"Records": [...]})';

/**
 * The EventBridge events in `value`, one per record. An EventBridge envelope is kept as it is (the event parser
 * judges its content and says why it ignores one); a CloudTrail record is wrapped as EventBridge would deliver it.
 */
export function eventsFromInput(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.map((item, index) => eventFromItem(item, `item [${index}]`));
  if (isPlainObject(value) && Object.hasOwn(value, 'Records')) {
    const records = value.Records;
    if (!Array.isArray(records)) {
      throw new InvalidInputError(
        `"Records" is ${describeValueType(records)}, not an array of CloudTrail records; expected ${EXPECTED_EVENT_INPUT}`,
      );
    }
    return records.map((record, index) => {
      if (!isCloudTrailRecord(record)) {
        throw new InvalidInputError(
          `Records[${index}] is not a CloudTrail record (no eventSource and eventName); expected ${EXPECTED_EVENT_INPUT}`,
        );
      }
      return wrapRecord(record);
    });
  }
  return [eventFromItem(value, 'the file')];
}

function eventFromItem(item: unknown, where: string): unknown {
  if (isEventBridgeEnvelope(item)) return item;
  if (isCloudTrailRecord(item)) return wrapRecord(item);
  throw new InvalidInputError(
    `${where} is ${describeShape(item)}, neither an EventBridge event nor a CloudTrail record; expected ${EXPECTED_EVENT_INPUT}`,
  );
}

/**
 * The EventBridge envelope CloudTrail's delivery puts around a record: `source` from `eventSource`
 * (`iam.amazonaws.com` → `aws.iam`), `account` from `recipientAccountId` (else the caller's account), `region`
 * from `awsRegion`, `time` from `eventTime`, `id` from `eventID`. A missing field stays missing, and the event
 * parser then says which one.
 */
export function wrapRecord(record: Record<string, unknown>): Record<string, unknown> {
  const eventSource = stringField(record, 'eventSource');
  const service = eventSource?.endsWith('.amazonaws.com')
    ? eventSource.slice(0, -'.amazonaws.com'.length)
    : eventSource;
  const identity = record.userIdentity;
  const account =
    stringField(record, 'recipientAccountId') ??
    (isPlainObject(identity) ? stringField(identity, 'accountId') : undefined);
  return {
    version: '0',
    id: stringField(record, 'eventID') ?? '',
    'detail-type': CLOUDTRAIL_DETAIL_TYPE,
    source: service === undefined ? undefined : `aws.${service}`,
    account,
    time: stringField(record, 'eventTime'),
    region: stringField(record, 'awsRegion'),
    resources: [],
    detail: record,
  };
}

function isEventBridgeEnvelope(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && Object.hasOwn(value, 'detail-type') && Object.hasOwn(value, 'detail');
}

function isCloudTrailRecord(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && typeof value.eventSource === 'string' && typeof value.eventName === 'string';
}

function describeShape(value: unknown): string {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : 'an object';
  }
  const type = describeValueType(value);
  if (type === 'null') return 'null';
  return type === 'array' ? 'an array' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`;
}

function stringField(value: Record<string, unknown>, key: string): string | undefined {
  const found = Object.hasOwn(value, key) ? value[key] : undefined;
  return typeof found === 'string' && found !== '' ? found : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
