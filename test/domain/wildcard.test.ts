// Tests for the single IAM-style wildcard matcher shared by action patterns, ARN patterns and role names.
import { wildcardMatches } from '../../lambda/domain/wildcard';

describe('wildcardMatches', () => {
  it.each([
    ['ecr:*', 'ecr:PutImage', true],
    ['ecr:Put*', 'ecr:PutImage', true],
    ['ecr:*Image', 'ecr:BatchDeleteImage', true],
    ['ecr:*Image', 'ecr:PutImageTagMutability', false],
    ['ecr:?utImage', 'ecr:PutImage', true],
    ['ecr:?utImage', 'ecr:utImage', false],
    ['*:*', 'ecr:PutImage', true],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a*b*c', 'a-b-b-c', true],
    ['a*b*c', 'a-b-b-', false],
    ['arn:aws:iam::*:role/ci/*', 'arn:aws:iam::111122223333:role/ci/push', true],
    ['*?', '', false],
  ])('%j ~ %j = %s', (pattern, text, expected) => {
    expect(wildcardMatches(pattern, text, false)).toBe(expected);
  });

  it('folds ASCII case only when asked', () => {
    expect(wildcardMatches('ECR:put*', 'ecr:PutImage', true)).toBe(true);
    expect(wildcardMatches('ECR:put*', 'ecr:PutImage', false)).toBe(false);
    expect(wildcardMatches('Nodes-*', 'nodes-prod', true)).toBe(true);
  });

  it('treats `*` and `?` in the text as plain characters', () => {
    expect(wildcardMatches('ecr:PutImage', 'ecr:Put*', false)).toBe(false);
    expect(wildcardMatches('a?c', 'a*c', false)).toBe(true);
  });

  it('answers a many-star pattern against a long text without deep recursion', () => {
    const pattern = `${'*a'.repeat(200)}b`;
    expect(wildcardMatches(pattern, 'a'.repeat(5000), false)).toBe(false);
    expect(wildcardMatches(pattern, `${'a'.repeat(5000)}b`, false)).toBe(true);
  });
});
