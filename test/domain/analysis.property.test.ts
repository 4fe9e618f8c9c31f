// Property test for the policy analysis: random role policy sets compared with a brute-force IAM
// evaluator written here (per action, per concrete resource, per statement, naive wildcard→regex matching).
import fc from 'fast-check';
import { analyseRolePolicies } from '../../lambda/domain/analysis';
import { ECR_CATALOGUE, pullAllowance } from '../../lambda/domain/catalogue';
import type { PolicyAnalysis, PolicyRef } from '../../lambda/domain/types';
import {
  type DocumentSpec,
  REPOSITORY_ARN,
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

const resourceRegexes = new Map<string, RegExp>();

/** Resource patterns are case-sensitive and have no special `*`-only meaning: a plain regex test. */
function resourceRegex(pattern: string): RegExp {
  const cached = resourceRegexes.get(pattern);
  if (cached !== undefined) return cached;
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`);
  resourceRegexes.set(pattern, regex);
  return regex;
}

function appliesTo(statement: StatementSpec, resource: string): boolean {
  const named = statement.resources.some((pattern) => resourceRegex(pattern).test(resource));
  return statement.resourceKind === 'Resource' ? named : !named;
}

/** The concrete resources each action is tried on: two repositories, the registry, or `*` (`*`-only actions). */
function concreteResources(entry: (typeof ECR_CATALOGUE)[number]): readonly string[] {
  if (entry.resourceType === null) return ['*'];
  if (entry.service === 'ecr')
    return [REPOSITORY_ARN, REPOSITORY_ARN.replace('repository/app', 'repository/other')];
  return [`arn:aws:ecr-public::111122223333:${entry.resourceType}/app`];
}

/** A broken statement the analysis may skip: a Deny, or an Allow whose readable Action names no ECR action. */
function harmless(statement: StatementSpec): boolean {
  const raw: Record<string, unknown> =
    typeof statement.raw === 'object' && statement.raw !== null ? { ...statement.raw } : {};
  if (raw.Effect === 'Deny') return true;
  if (raw.Effect !== 'Allow' || raw.NotAction !== undefined) return false;
  const action = raw.Action;
  const list = typeof action === 'string' ? [action] : Array.isArray(action) ? action : [];
  if (list.length === 0 || !list.every((entry) => typeof entry === 'string')) return false;
  return !ECR_CATALOGUE.some((entry) => list.some((pattern) => naiveMatch(String(pattern), entry.action)));
}

interface DocumentReading {
  /** null when the document is unusable as a whole. */
  readonly statements: StatementSpec[] | null;
  /** Listed in unusablePolicies: unusable, or holding a statement not understood that could grant. */
  readonly unusable: boolean;
}

function readDocument(document: DocumentSpec): DocumentReading {
  if (document.statements === null) return { statements: null, unusable: true };
  const valid = document.statements.filter((statement) => statement.valid);
  const failsClosed = document.statements.some((statement) => !statement.valid && !harmless(statement));
  return { statements: valid.length === 0 && failsClosed ? null : valid, unusable: failsClosed };
}

/** Plain IAM evaluation for one action on one resource: some Allow applies, and no unconditional Deny. */
function permits(statements: readonly StatementSpec[], action: string, resource: string): boolean {
  let allowed = false;
  for (const statement of statements) {
    if (!statementMatches(statement, action) || !appliesTo(statement, resource)) continue;
    // `*`-only actions: a NotResource Deny is read as covering nothing (see lambda/domain/resource-reach.ts).
    if (resource === '*' && statement.effect === 'Deny' && statement.resourceKind === 'NotResource') continue;
    if (statement.effect === 'Deny' && !statement.conditional) return false;
    if (statement.effect === 'Allow') allowed = true;
  }
  return allowed;
}

function oracle(spec: RolePolicySpec, allowance: ReadonlySet<string>): OracleResult {
  const identity = spec.identity.map(readDocument);
  const boundary = spec.boundary === null ? null : readDocument(spec.boundary);
  const identityStatements = identity.flatMap((reading) => reading.statements ?? []);
  const boundaryStatements = boundary?.statements ?? null;
  const result: OracleResult = {
    allowed: [],
    writeActions: [],
    blockedByBoundary: [],
    unusable: identity.filter((reading) => reading.unusable).length + (boundary?.unusable === true ? 1 : 0),
  };
  for (const entry of ECR_CATALOGUE) {
    const resources = concreteResources(entry);
    const byIdentity = resources.filter((resource) => permits(identityStatements, entry.action, resource));
    const both = byIdentity.filter(
      (resource) => boundaryStatements === null || permits(boundaryStatements, entry.action, resource),
    );
    const reportable =
      entry.accessLevel !== 'Read' && entry.accessLevel !== 'List' && !allowance.has(entry.action);
    if (both.length > 0) result.allowed.push(entry.action);
    if (both.length > 0 && reportable) result.writeActions.push(entry.action);
    if (byIdentity.length > 0 && both.length === 0 && reportable) result.blockedByBoundary.push(entry.action);
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
    { pullAllowance: allowance, partition: 'aws' },
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
