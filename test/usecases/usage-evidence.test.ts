// Use case "usage evidence": the CloudTrail lookup before a fix, over a scripted event source and a fake clock:
// regions in order, pagination, the 2-per-second spacing, the time budget, early stop, and errors as `unknown`.
import type { Decision } from '../../lambda/domain/types';
import {
  type EcrEventSource,
  UsageLookup,
  type UsageLookupOptions,
} from '../../lambda/usecases/usage-evidence';
import { ecrCall } from '../support/cloudtrail-events';

const ROLE_ARN = 'arn:aws:iam::111122223333:role/ng';
const NOW = Date.parse('2026-11-20T10:00:00Z');

const decision: Decision = {
  verdict: 'violation',
  reason: 'EKS node role ng can write to ECR.',
  severity: 'high',
  event: { id: 'e', name: 'AttachRolePolicy', time: null, actor: null },
  role: { name: 'ng', arn: ROLE_ARN },
  nodeRole: { evidence: [{ kind: 'managed-nodegroup', region: 'eu-west-1', cluster: 'prod' }] },
  ecrWriteActions: ['ecr:PutImage'],
  grants: [],
  denies: [],
  plan: [],
  unknownPolicies: [],
  exemption: null,
  warnings: [],
};
const asDecision = (value: Partial<Decision>): Decision => ({ ...decision, ...value });

const push = (id: string, region = 'eu-west-1', time = '2026-11-19T10:00:00Z'): string =>
  ecrCall({ id, roleArn: ROLE_ARN, session: `i-${id}`, region, time }).CloudTrailEvent;
const pull = (id: string): string =>
  ecrCall({
    id,
    roleArn: ROLE_ARN,
    session: 'i-x',
    region: 'eu-west-1',
    time: '2026-11-19T10:00:00Z',
    eventName: 'BatchGetImage',
  }).CloudTrailEvent;

/** A source answering pages per region; records each call with the clock's time. */
function scripted(pages: Record<string, string[][]>, fail: Record<string, Error> = {}) {
  const calls: { region: string; token: string | undefined; at: number; start: Date }[] = [];
  let clock = NOW;
  const source: EcrEventSource = {
    async ecrEvents(region, window, token) {
      calls.push({ region, token, at: clock, start: window.start });
      const error = fail[region];
      if (error !== undefined) throw error;
      const list = pages[region] ?? [[]];
      const index = token === undefined ? 0 : Number(token);
      return {
        records: list[index] ?? [],
        nextToken: index + 1 < list.length ? String(index + 1) : undefined,
      };
    },
  };
  const options = (extra: Partial<UsageLookupOptions> = {}): UsageLookupOptions => ({
    source,
    regions: async () => ['us-east-1', 'eu-west-1'],
    windowDays: 14,
    budgetSeconds: 20,
    eventSource: 'ecr.amazonaws.com',
    writeEventNames: new Set(['PutImage']),
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
    ...extra,
  });
  return { calls, options, tick: (ms: number) => (clock += ms) };
}

const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });

describe('UsageLookup', () => {
  it('searches the role’s cluster region first, then the other watched regions, and says not-used', async () => {
    const s = scripted({ 'eu-west-1': [[pull('a')], [pull('b')]], 'us-east-1': [[]] });
    const usage = await new UsageLookup(s.options()).lookup(asDecision({}));
    expect(usage).toEqual({
      status: 'not-used',
      windowDays: 14,
      since: '2026-11-06T10:00:00.000Z',
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(s.calls.map((c) => [c.region, c.token])).toEqual([
      ['eu-west-1', undefined],
      ['eu-west-1', '1'],
      ['us-east-1', undefined],
    ]);
    expect(s.calls[0]?.start.toISOString()).toBe('2026-11-06T10:00:00.000Z');
  });

  it('keeps at most 2 requests per second in a region (500 ms apart)', async () => {
    const s = scripted({ 'eu-west-1': [[], [], [], []] });
    await new UsageLookup(s.options({ regions: async () => [] })).lookup(asDecision({}));
    const times = s.calls.map((c) => c.at - NOW);
    expect(times).toEqual([0, 500, 1000, 1500]);
  });

  it('finds the pushes and stops once the evidence is enough', async () => {
    const s = scripted({ 'eu-west-1': [[push('1'), push('2')], [push('3')]] });
    const usage = await new UsageLookup(s.options({ enoughCalls: 2 })).lookup(asDecision({}));
    expect(usage).toMatchObject({ status: 'used', calls: 2, sessions: ['i-1', 'i-2'], complete: false });
    expect(s.calls).toHaveLength(1);
  });

  it('searches everything when the evidence stays below enough, and says complete', async () => {
    const s = scripted({ 'eu-west-1': [[push('1')]], 'us-east-1': [[push('2', 'us-east-1')]] });
    const usage = await new UsageLookup(s.options()).lookup(asDecision({}));
    expect(usage).toMatchObject({
      status: 'used',
      calls: 2,
      complete: true,
      regions: ['eu-west-1', 'us-east-1'],
    });
  });

  it('says unknown (budget-exhausted) when the budget runs out before the search ends', async () => {
    const s = scripted({ 'eu-west-1': Array.from({ length: 10 }, () => [pull('x')]) });
    const usage = await new UsageLookup(s.options({ budgetSeconds: 2 })).lookup(asDecision({}));
    expect(usage).toMatchObject({ status: 'unknown', reason: 'budget-exhausted', regions: [] });
    expect(s.calls).toHaveLength(4);
  });

  it('keeps what it found when the budget runs out after a push (used, incomplete)', async () => {
    const s = scripted({ 'eu-west-1': [[push('1')], [pull('x')], [pull('y')], [pull('z')], [pull('w')]] });
    const usage = await new UsageLookup(s.options({ budgetSeconds: 1 })).lookup(asDecision({}));
    expect(usage).toMatchObject({ status: 'used', calls: 1, complete: false });
  });

  it.each([
    ['AccessDeniedException', 'access-denied'],
    ['ThrottlingException', 'throttled'],
    ['InternalFailure', 'error'],
  ])('says unknown when CloudTrail answers %s', async (name, reason) => {
    const s = scripted({}, { 'eu-west-1': named(name) });
    const usage = await new UsageLookup(s.options()).lookup(asDecision({}));
    expect(usage).toMatchObject({ status: 'unknown', reason, detail: expect.stringContaining(name) });
  });

  it('makes no lookup for a decision that is not a violation on a known role', async () => {
    const s = scripted({});
    const lookup = new UsageLookup(s.options());
    expect(await lookup.lookup(asDecision({ verdict: 'compliant' }))).toBeNull();
    expect(await lookup.lookup(asDecision({ role: { name: 'ng', arn: null } }))).toBeNull();
    expect(s.calls).toEqual([]);
  });

  it('spaces requests across lookups too (the limit is per account and region)', async () => {
    const s = scripted({ 'eu-west-1': [[]] });
    const lookup = new UsageLookup(s.options({ regions: async () => [] }));
    await lookup.lookup(asDecision({}));
    s.tick(100);
    await lookup.lookup(asDecision({}));
    expect(s.calls.map((c) => c.at - NOW)).toEqual([0, 500]);
  });
});
