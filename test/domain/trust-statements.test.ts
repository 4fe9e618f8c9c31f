// Tests for the trust-statement readers shared by the node-role and pod-role classification.
import { coversAction, field, statementsOf, stringList } from '../../lambda/domain/trust-statements';

describe('trust-statement readers', () => {
  it('reads Statement as a list, a single statement or none', () => {
    expect(statementsOf({ Statement: [{ Effect: 'Allow' }, { Effect: 'Deny' }] })).toHaveLength(2);
    expect(statementsOf({ Statement: { Effect: 'Allow' } })).toEqual([{ Effect: 'Allow' }]);
    expect(statementsOf({ Version: '2012-10-17' })).toEqual([]);
    expect(statementsOf(null)).toEqual([]);
  });

  it('reads own fields of objects only', () => {
    expect(field({ Effect: 'Allow' }, 'Effect')).toBe('Allow');
    expect(field(['Effect'], '0')).toBeUndefined();
    expect(field({}, 'toString')).toBeUndefined();
    expect(stringList('sts:AssumeRole')).toEqual(['sts:AssumeRole']);
    expect(stringList(['a', 1, 'b'])).toEqual(['a', 'b']);
    expect(stringList(undefined)).toEqual([]);
  });

  it.each([
    [{ Action: 'sts:AssumeRole' }, true],
    [{ Action: ['sts:TagSession', 'STS:assumerole'] }, true],
    [{ Action: 'sts:*' }, true],
    [{ Action: 'sts:AssumeRoleWithWebIdentity' }, false],
    [{ NotAction: 'sts:TagSession' }, true],
    [{ NotAction: 'sts:Assume*' }, false],
    [{}, false],
  ])('%j covers sts:AssumeRole: %s', (statement, covered) => {
    expect(coversAction(statement, 'sts:AssumeRole')).toBe(covered);
  });
});
