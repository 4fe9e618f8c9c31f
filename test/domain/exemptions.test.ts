// Tests for exemptions: the `eks-ecr-guard:exempt` tag (reason, until, expiry, bad input) and the
// exemptRoles config list (names, name patterns, ARN patterns), plus the date helpers.
import fc from 'fast-check';
import { EXEMPT_TAG_KEY as EXEMPTION_TAG_KEY } from '../../lambda/contract';
import { daysUntil, findExemption, isExpiringSoon } from '../../lambda/domain/exemptions';

const TODAY = '2026-11-20';
const ARN = 'arn:aws:iam::111122223333:role/ci-builder';
const role = (tags: Record<string, string> = {}, name = 'ci-builder', arn = ARN) => ({ name, arn, tags });
const noConfig = { exemptRoles: [], tagKey: EXEMPTION_TAG_KEY };
const withTag = (value: string) => findExemption(role({ [EXEMPTION_TAG_KEY]: value }), noConfig, TODAY);

describe('tag exemptions', () => {
  it('a reason without until is an open-ended exemption', () => {
    expect(withTag('image cache warmer')).toEqual({
      exemption: { source: 'tag', reason: 'image cache warmer', until: null },
      expired: null,
      warnings: [],
    });
  });

  it.each([
    ['CI builder migration, until=2026-12-31', 'CI builder migration'],
    ['until=2026-12-31; ticket SEC-42', 'ticket SEC-42'],
    ['image cache warmer, until=2027-03-31; SEC-1234', 'image cache warmer; SEC-1234'],
    ['  spaced out ,  UNTIL = 2026-12-31 ;  ', 'spaced out'],
  ])('reads until anywhere in %j and keeps the rest as the reason', (value, reason) => {
    const result = withTag(value);
    expect(result.exemption).toEqual({
      source: 'tag',
      reason,
      until: expect.stringMatching(/^202[67]-\d\d-\d\d$/),
    });
    expect(result.warnings).toEqual([]);
  });

  it('is still in force on its until day (inclusive)', () => {
    expect(withTag(`reason, until=${TODAY}`).exemption?.until).toBe(TODAY);
  });

  it('an expired tag does not exempt but is reported as expired', () => {
    const result = withTag('old migration, until=2026-11-19');
    expect(result.exemption).toBeNull();
    expect(result.expired).toEqual({ source: 'tag', reason: 'old migration', until: '2026-11-19' });
    expect(result.warnings).toEqual([expect.stringContaining('expired on 2026-11-19')]);
  });

  it.each(['until=2026-13-01', 'until=2026-02-30', 'until=31/12/2026', 'until=tomorrow', 'until='])(
    'a bad date (%s) is not an exemption and warns',
    (until) => {
      const result = withTag(`reason, ${until}`);
      expect(result.exemption).toBeNull();
      expect(result.expired).toBeNull();
      expect(result.warnings).toEqual([expect.stringContaining('not a YYYY-MM-DD date')]);
    },
  );

  it('two until dates are ambiguous: not an exemption, with a warning', () => {
    const result = withTag('a, until=2026-12-01, until=2027-01-01');
    expect(result.exemption).toBeNull();
    expect(result.warnings).toEqual([expect.stringContaining('2 until= dates')]);
  });

  it.each(['', '   ', 'until=2026-12-31', ' ; until=2026-12-31 , '])(
    'an empty reason (%j) is not an exemption',
    (value) => {
      const result = withTag(value);
      expect(result.exemption).toBeNull();
      expect(result.warnings).toEqual([expect.stringContaining('a reason is required')]);
    },
  );

  it('matches the tag key ignoring case', () => {
    const result = findExemption(role({ 'EKS-ECR-Guard:Exempt': 'reason' }), noConfig, TODAY);
    expect(result.exemption?.reason).toBe('reason');
  });

  it('other tags do not exempt', () => {
    expect(findExemption(role({ team: 'build', 'eks-ecr-guard:other': 'x' }), noConfig, TODAY)).toEqual({
      exemption: null,
      expired: null,
      warnings: [],
    });
  });
});

describe('config exemptions', () => {
  const config = (...exemptRoles: string[]) => ({ exemptRoles, tagKey: EXEMPTION_TAG_KEY });

  it('an exact role name exempts with an open-ended, attributed reason', () => {
    expect(findExemption(role(), config('other', 'ci-builder'), TODAY).exemption).toEqual({
      source: 'config',
      reason: 'listed in exemptRoles (ci-builder)',
      until: null,
    });
  });

  it('a name matches ignoring case', () => {
    expect(findExemption(role(), config('CI-Builder'), TODAY).exemption?.source).toBe('config');
  });

  it.each([
    ['ci-*', true],
    ['*-builder', true],
    ['c*b*r', true],
    ['ci-', false],
    ['ci-builder-*', false],
    ['builder', false],
  ])('name pattern %s → %s', (entry, exempt) => {
    expect(findExemption(role(), config(entry), TODAY).exemption !== null).toBe(exempt);
  });

  it.each([
    ['arn:aws:iam::*:role/ci-*', ARN, true],
    ['arn:aws:iam::111122223333:role/ci-builder', ARN, true],
    ['arn:aws:iam::*:role/*', 'arn:aws:iam::111122223333:role/team/ci-builder', true],
    ['arn:aws:iam::*:role/ci-*', 'arn:aws:iam::111122223333:role/team/ci-builder', false],
    ['arn:aws:iam::444455556666:role/ci-*', ARN, false],
    ['arn:aws-cn:iam::*:role/ci-*', ARN, false],
    ['arn:aws:iam::*:role/CI-*', ARN, false],
  ])('ARN pattern %s against %s → %s', (entry, arn, exempt) => {
    expect(findExemption(role({}, 'ci-builder', arn), config(entry), TODAY).exemption !== null).toBe(exempt);
  });

  it('skips blank entries', () => {
    expect(findExemption(role(), config('', '   '), TODAY).exemption).toBeNull();
  });

  it('a valid tag wins over the config list; an expired tag falls back to it and is still reported', () => {
    const tagged = findExemption(
      role({ [EXEMPTION_TAG_KEY]: 'warmer, until=2027-01-01' }),
      config('ci-*'),
      TODAY,
    );
    expect(tagged.exemption?.source).toBe('tag');
    const expired = findExemption(
      role({ [EXEMPTION_TAG_KEY]: 'warmer, until=2026-01-01' }),
      config('ci-*'),
      TODAY,
    );
    expect(expired.exemption?.source).toBe('config');
    expect(expired.expired?.until).toBe('2026-01-01');
  });
});

describe('daysUntil and isExpiringSoon', () => {
  it.each([
    ['2026-11-20', 0],
    ['2026-11-21', 1],
    ['2026-12-04', 14],
    ['2026-11-19', -1],
    ['2027-11-20', 365],
    ['2028-03-01', 467],
  ])('daysUntil(%s, 2026-11-20) = %i', (until, days) => {
    expect(daysUntil(until, TODAY)).toBe(days);
  });

  it('is null for dates that are not YYYY-MM-DD calendar dates', () => {
    expect(daysUntil('2026-02-29', TODAY)).toBeNull();
    expect(daysUntil('2026-11-20', 'today')).toBeNull();
  });

  it('counts across a DST change as whole days', () => {
    expect(daysUntil('2026-04-01', '2026-03-01')).toBe(31);
  });

  it('flags exemptions ending within 14 days, not open-ended or past ones', () => {
    const ending = (until: string | null) => ({ source: 'tag' as const, reason: 'r', until });
    expect(isExpiringSoon(ending('2026-12-04'), TODAY)).toBe(true);
    expect(isExpiringSoon(ending('2026-12-05'), TODAY)).toBe(false);
    expect(isExpiringSoon(ending('2026-11-19'), TODAY)).toBe(false);
    expect(isExpiringSoon(ending(null), TODAY)).toBe(false);
  });

  it('agrees with date arithmetic for any pair of dates', () => {
    const day = fc.date({
      min: new Date('2000-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(day, fc.integer({ min: -1000, max: 1000 }), (start, offset) => {
        const from = start.toISOString().slice(0, 10);
        const to = new Date(Date.parse(from) + offset * 86_400_000).toISOString().slice(0, 10);
        expect(daysUntil(to, from)).toBe(offset);
      }),
    );
  });
});
