// Edge tests for the offline event input: every accepted shape gives the EventBridge events the parser reads (a
// bare record wrapped as EventBridge delivers it), and JSON that is none of them is refused, saying what is expected.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidInputError } from '../../lambda/domain/errors';
import { EXPECTED_EVENT_INPUT, eventsFromInput, wrapRecord } from '../../lambda/events/event-input';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';

const FIXTURES = join(__dirname, 'fixtures');
const readFixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));
const envelope = (name: string) => readFixture(name);
const record = (name: string): Record<string, unknown> => {
  const detail = envelope(name).detail;
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('no detail');
  return { ...detail };
};

describe('eventsFromInput: accepted shapes', () => {
  it('an EventBridge event is kept as it is', () => {
    const event = envelope('iam-AttachRolePolicy.json');
    expect(eventsFromInput(event)).toEqual([event]);
  });

  it.each([
    'iam-AttachRolePolicy.json',
    'iam-PutRolePolicy.json',
    'iam-DetachRolePolicy.json',
    'iam-CreatePolicyVersion.json',
    'eks-CreateNodegroup.json',
  ])('a bare CloudTrail record of %s is wrapped exactly as EventBridge delivered it', (name) => {
    const delivered = envelope(name);
    const [wrapped] = eventsFromInput(record(name));
    // Same routing fields as the real envelope (id differs: EventBridge's own id vs the record's eventID).
    expect(wrapped).toMatchObject({
      'detail-type': delivered['detail-type'],
      source: delivered.source,
      account: delivered.account,
      region: delivered.region,
      time: delivered.time,
      resources: [],
      detail: delivered.detail,
    });
    expect(parseRoleChangeEvent(wrapped)).toEqual(parseRoleChangeEvent(delivered));
  });

  it('an array mixes events and records, in order', () => {
    const events = eventsFromInput([envelope('iam-AttachRolePolicy.json'), record('iam-PutRolePolicy.json')]);
    expect(events.map((e) => parseRoleChangeEvent(e).kind)).toEqual([
      'role-policy-attached',
      'role-policy-put',
    ]);
  });

  it('a CloudTrail log file gives one event per record, in order', () => {
    const log = {
      Records: [
        record('iam-AttachRolePolicy.json'),
        record('iam-SetDefaultPolicyVersion.json'),
        record('iam-DetachRolePolicy.json'),
      ],
    };
    expect(eventsFromInput(log).map((e) => parseRoleChangeEvent(e).event.name)).toEqual([
      'AttachRolePolicy',
      'SetDefaultPolicyVersion',
      'DetachRolePolicy',
    ]);
  });

  it('an empty log file or array holds no event', () => {
    expect(eventsFromInput({ Records: [] })).toEqual([]);
    expect(eventsFromInput([])).toEqual([]);
  });

  it('a record without recipientAccountId takes the caller account; missing fields stay missing for the parser', () => {
    const { recipientAccountId: _dropped, awsRegion: _region, ...bare } = record('iam-AttachRolePolicy.json');
    const wrapped = wrapRecord(bare);
    expect(wrapped.account).toBe('111122223333');
    const change = parseRoleChangeEvent(wrapped);
    expect(change.kind).toBe('ignored');
    if (change.kind === 'ignored') expect(change.reason).toMatch(/region/);
  });
});

describe('eventsFromInput: JSON that is not an event is refused, saying what is expected', () => {
  it.each([
    ['{}', {}, /the file is an empty object, neither an EventBridge event nor a CloudTrail record/],
    ['a number', 42, /the file is a number/],
    ['a string', 'AttachRolePolicy', /the file is a string/],
    ['null', null, /the file is null/],
    ['an array of junk', [1, 2], /item \[0\] is a number/],
    ['an array with one bad item', [{ eventName: 'x' }], /item \[0\] is an object/],
    ['Records not an array', { Records: { eventName: 'x' } }, /"Records" is object, not an array/],
    [
      'Records with junk',
      { Records: [{ eventSource: 'iam.amazonaws.com' }] },
      /Records\[0\] is not a CloudTrail record/,
    ],
  ])('%s', (_label, value, message) => {
    expect(() => eventsFromInput(value)).toThrow(InvalidInputError);
    expect(() => eventsFromInput(value)).toThrow(message);
    expect(() => eventsFromInput(value)).toThrow(EXPECTED_EVENT_INPUT);
  });
});
