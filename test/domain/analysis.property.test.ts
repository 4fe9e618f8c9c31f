// Property test for the policy analysis: random role policy sets compared with a brute-force IAM
// evaluator written here (per action, per statement, naive wildcard→regex matching).
import fc from 'fast-check';
import { analyseRolePolicies } from '../../lambda/domain/analysis';
import { ECR_CATALOGUE, pullAllowance } from '../../lambda/domain/catalogue';
import type { PolicyAnalysis, PolicyRef } from '../../lambda/domain/types';
import {
  type DocumentSpec,
  type RolePolicySpec,
  rolePolicySpec,
  type StatementSpec,
} from '../support/policy-arbitraries';

interface OracleResult {
  readonly allowed: string[];
  readonly writeActions: string[];
  readonly blockedByBoundary: string[];
  readonly unusable: number;
}

/** Wildcard → regex, one per distinct pattern (the naive way, independent of the analyser's matcher). */
const regexes = new Map<string, RegExp | null>();

function patternRegex(pattern: string): RegExp | null {
  if (!regexes.has(pattern)) {
    const source = [...pattern]
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    regexes.set(pattern, pattern.includes(':') ? new RegExp(`^${source}$`, 'i') : null);
  }
  return regexes.get(pattern) ?? null;
}

function naiveMatch(pattern: string, action: string): boolean {
  if (pattern === '*') return true;
  return patternRegex(pattern)?.test(action) ?? false;
}

function statementMatches(statement: StatementSpec, action: string): boolean {
  const named = statement.patterns.some((pattern) => naiveMatch(pattern, action));
  return statement.actionKind === 'Action' ? named : !named;
}

function removesEverywhere(statement: StatementSpec): boolean {
  return (
    statement.effect === 'Deny' &&
    !statement.conditional &&
    statement.resourceKind === 'Resource' &&
    statement.resources.includes('*')
  );
}

function usableStatements(document: DocumentSpec): StatementSpec[] | null {
  const valid = (document.statements ?? []).filter((statement) => statement.valid);
  return valid.length > 0 ? valid : null;
}

/** Plain IAM evaluation for one action over a set of statements: some Allow, and no removing Deny. */
function permits(statements: readonly StatementSpec[], action: string): boolean {
  let allowed = false;
  for (const statement of statements) {
    if (!statementMatches(statement, action)) continue;
    if (removesEverywhere(statement)) return false;
    if (statement.effect === 'Allow') allowed = true;
  }
  return allowed;
}

function oracle(spec: RolePolicySpec, allowance: ReadonlySet<string>): OracleResult {
  const identity = spec.identity.map(usableStatements);
  const boundary = spec.boundary === null ? null : usableStatements(spec.boundary);
  const identityStatements = identity.flatMap((statements) => statements ?? []);
  const result: OracleResult = {
    allowed: [],
    writeActions: [],
    blockedByBoundary: [],
    unusable:
      identity.filter((statements) => statements === null).length +
      (spec.boundary !== null && boundary === null ? 1 : 0),
  };
  for (const entry of ECR_CATALOGUE) {
    const byIdentity = permits(identityStatements, entry.action);
    const byBoundary = boundary === null || permits(boundary, entry.action);
    const reportable =
      entry.accessLevel !== 'Read' && entry.accessLevel !== 'List' && !allowance.has(entry.action);
    if (byIdentity && byBoundary) result.allowed.push(entry.action);
    if (byIdentity && byBoundary && reportable) result.writeActions.push(entry.action);
    if (byIdentity && !byBoundary && reportable) result.blockedByBoundary.push(entry.action);
  }
  return result;
}

function ref(name: string): PolicyRef {
  return { kind: 'customer-managed', name, arn: `arn:aws:iam::111122223333:policy/${name}` };
}

function run(spec: RolePolicySpec, allowance: ReadonlySet<string>): PolicyAnalysis {
  return analyseRolePolicies(
    {
      identity: spec.identity.map((document, index) => ({
        ref: ref(`p${index}`),
        document: document.document,
      })),
      boundary: spec.boundary === null ? null : { ref: ref('boundary'), document: spec.boundary.document },
    },
    { pullAllowance: allowance },
  );
}

describe('analyseRolePolicies agrees with a brute-force evaluator', () => {
  it('on random role policy sets (allowed, writeActions, blockedByBoundary, unusable count)', () => {
    fc.assert(
      fc.property(rolePolicySpec, (spec) => {
        const allowance = pullAllowance(spec.extraAllowance);
        const actual = run(spec, allowance);
        const expected = oracle(spec, allowance);
        expect({
          allowed: actual.allowed,
          writeActions: actual.writeActions,
          blockedByBoundary: actual.blockedByBoundary,
          unusable: actual.unusablePolicies.length,
        }).toEqual(expected);
      }),
      { numRuns: 1500 },
    );
  });

  it('every write action is explained by a grant, and grants name nothing else', () => {
    fc.assert(
      fc.property(rolePolicySpec, (spec) => {
        const analysis = run(spec, pullAllowance(spec.extraAllowance));
        const granted = new Set(analysis.grants.flatMap((grant) => grant.actions));
        expect([...granted].sort()).toEqual(analysis.writeActions);
        for (const grant of analysis.grants) expect(grant.actions.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('a boundary only splits the identity write actions into allowed and blocked', () => {
    fc.assert(
      fc.property(rolePolicySpec, (spec) => {
        const allowance = pullAllowance(spec.extraAllowance);
        const withBoundary = run(spec, allowance);
        const without = run({ ...spec, boundary: null }, allowance);
        const split = [...withBoundary.writeActions, ...withBoundary.blockedByBoundary].sort();
        expect(split).toEqual(without.writeActions);
      }),
      { numRuns: 300 },
    );
  });
});
