// Domain: reading a node role's ECR write calls out of CloudTrail records (session issuer = the role), and the
// `used` evidence built from them.
import { roleWriteCall, usedEvidence } from '../../lambda/domain/usage';
import { ecrCall } from '../support/cloudtrail-events';

const ROLE = 'arn:aws:iam::111122223333:role/nodes/ng-1';
const match = {
  roleArn: ROLE,
  eventSource: 'ecr.amazonaws.com',
  writeEventNames: new Set(['PutImage', 'InitiateLayerUpload', 'UploadLayerPart', 'CompleteLayerUpload']),
};
const record = (overrides: Partial<Parameters<typeof ecrCall>[0]> = {}): string =>
  ecrCall({
    id: 'e1',
    roleArn: ROLE,
    session: 'i-0abc',
    region: 'eu-west-1',
    time: '2026-11-19T10:00:00Z',
    ...overrides,
  }).CloudTrailEvent;

describe('roleWriteCall', () => {
  it('reads a push by the role: session (instance id), region, repository, event and time', () => {
    expect(roleWriteCall(record({ repository: 'ci/app' }), match)).toEqual({
      eventName: 'PutImage',
      time: '2026-11-19T10:00:00Z',
      session: 'i-0abc',
      region: 'eu-west-1',
      repository: 'ci/app',
    });
  });

  it.each([
    ['another role', record({ roleArn: 'arn:aws:iam::111122223333:role/ci' })],
    ['the same name without the path', record({ roleArn: 'arn:aws:iam::111122223333:role/ng-1' })],
    ['a pull (not a write event)', record({ eventName: 'BatchGetImage' })],
    ['not JSON', '{not json'],
    ['no record', undefined],
    ['another event source', record().replace('"ecr.amazonaws.com"', '"ecr-public.amazonaws.com"')],
    [
      'a record without userIdentity',
      JSON.stringify({ eventName: 'PutImage', eventSource: 'ecr.amazonaws.com' }),
    ],
  ])('ignores %s', (_name, raw) => {
    expect(roleWriteCall(raw, match)).toBeNull();
  });
});

describe('usedEvidence', () => {
  it('counts the calls and lists sessions, repositories and event names once, sorted, with the last time', () => {
    const search = { windowDays: 14, since: '2026-11-06T00:00:00.000Z', regions: ['eu-west-1'] };
    const call = (session: string, time: string, repository: string | null, eventName = 'PutImage') => ({
      eventName,
      time,
      session,
      region: 'eu-west-1',
      repository,
    });
    expect(
      usedEvidence(
        search,
        [
          call('i-2', '2026-11-18T00:00:00Z', 'b'),
          call('i-1', '2026-11-19T00:00:00Z', 'a', 'UploadLayerPart'),
          call('i-2', '2026-11-17T00:00:00Z', null),
        ],
        false,
      ),
    ).toEqual({
      ...search,
      status: 'used',
      sessions: ['i-1', 'i-2'],
      repositories: ['eu-west-1/a', 'eu-west-1/b'],
      eventNames: ['PutImage', 'UploadLayerPart'],
      calls: 3,
      lastTime: '2026-11-19T00:00:00Z',
      complete: false,
    });
  });
});
