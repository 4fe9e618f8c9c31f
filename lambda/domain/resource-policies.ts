// Domain core (pure): the ECR write a node role gets directly from ECR resource-based policies (repository
// policies, registry policies, creation templates), after the Denies of its own policies and boundary. No I/O.
import { analyseRolePolicies } from './analysis';
import {
  matchPrincipal,
  type RawStatement,
  type ResourceGrantee,
  readStatements,
  roleNameOfPrincipal,
  withoutStatement,
} from './resource-statements';
import type {
  EcrInventory,
  EcrRegionRecord,
  Grant,
  PolicyInput,
  PolicyRef,
  ResourcePolicyKind,
  ResourcePrincipalMatch,
  RolePolicies,
} from './types';

/*
 * The rule implemented (AWS-FACTS.md §12; IAM User Guide "Policy evaluation logic", "Policy evaluation for
 * requests within a single account", "AWS JSON policy elements: Principal", "Permissions boundaries for IAM
 * entities"):
 * - same account: the role may do what its identity policies OR a resource policy allow; an explicit Deny in
 *   any of them wins. Only unconditional Denies on every resource remove actions (as in ./analysis).
 * - a statement grants the role directly when its Principal is `"*"`, `{"AWS": "*"}`, the role's ARN (matched by
 *   account and role name, any path) or a session of the role (`arn:aws:sts::ACCOUNT:assumed-role/NAME/...`).
 *   The account (`arn:aws:iam::ACCOUNT:root` or the bare id) delegates to IAM and grants nothing by itself.
 * - a Condition counts as a grant (`conditional` says so), as for identity policies.
 * - `NotPrincipal` with Allow: everyone but the listed principals. Conservatively a grant unless it lists `"*"`:
 *   whether a listed role ARN also excludes the role's sessions (the actual callers) is not settled here.
 * - a grant naming the role ARN is limited by the boundary's implicit deny (role-arn ∩ boundary-allowed); a
 *   grant naming a session, `"*"` or via NotPrincipal is not (the documents say the session case is not limited;
 *   for `"*"` it is unclear, so the grant is kept), only the boundary's explicit Denies remove it.
 * - registry policies are read as scope V2 (every ECR action enforced): the V1 scope, which ignores write
 *   actions, is an account setting the guard does not read; V2 is the default and keeps the grant.
 */

export type { ResourceGrantee } from './resource-statements';

export interface ResourceGrantOptions {
  /** Write-level actions that are tolerated (see `pullAllowance` in ./catalogue). */
  readonly pullAllowance: ReadonlySet<string>;
}

/** One ECR resource policy, wherever it sits. */
export interface ResourcePolicySource {
  readonly ref: PolicyRef;
  readonly policyText: string;
}

export interface ResourceGrantResult {
  readonly grants: readonly Grant[];
  /** Policies that could not be read (not JSON, no statements): they contribute nothing. */
  readonly warnings: readonly string[];
}

/** True for the policy kinds of ECR resource-based policies (which the guard never edits). */
export function isResourcePolicyKind(kind: PolicyRef['kind']): kind is ResourcePolicyKind {
  return (
    kind === 'repository-policy' || kind === 'registry-policy' || kind === 'repository-creation-template'
  );
}

/** Every resource policy of the inventory, regions sorted, registry policy first, then repositories, templates. */
export function resourcePolicySources(inventory: EcrInventory): ResourcePolicySource[] {
  const sources: ResourcePolicySource[] = [];
  for (const region of Object.keys(inventory).sort()) {
    const record = inventory[region];
    if (record === undefined) continue;
    if (typeof record.registryPolicy === 'string') {
      sources.push({
        ref: { kind: 'registry-policy', name: 'registry policy', arn: null, region },
        policyText: record.registryPolicy,
      });
    }
    for (const repository of record.repositories) {
      if (typeof repository.policyText !== 'string') continue;
      sources.push({
        ref: {
          kind: 'repository-policy',
          name: repository.repositoryName,
          arn: repository.repositoryArn,
          region,
        },
        policyText: repository.policyText,
      });
    }
    for (const template of record.repositoryCreationTemplates) {
      if (typeof template.repositoryPolicy !== 'string') continue;
      sources.push({
        ref: {
          kind: 'repository-creation-template',
          name: template.prefix,
          arn: null,
          region,
          prefix: template.prefix,
        },
        policyText: template.repositoryPolicy,
      });
    }
  }
  return sources;
}

/**
 * The ECR write actions the resource policies grant `role` directly, one Grant per statement, after the
 * explicit Denies of the role's identity policies and boundary (and the boundary's implicit deny for grants
 * naming the role ARN). Never throws.
 */
export function resourceGrantsForRole(
  role: ResourceGrantee,
  sources: readonly ResourcePolicySource[],
  rolePolicies: RolePolicies,
  options: ResourceGrantOptions,
): ResourceGrantResult {
  const grants: Grant[] = [];
  const warnings: string[] = [];
  const limits = roleLimits(rolePolicies, options);
  for (const source of sources) {
    const statements = readStatements(source.policyText);
    if (statements === null) {
      warnings.push(`${describeSource(source.ref)}: the policy is not a JSON policy document; not evaluated`);
      continue;
    }
    const denies = statements.filter(
      (s) =>
        s.effect === 'Deny' && s.principal.kind === 'Principal' && matchPrincipal(role, s.principal) !== null,
    );
    for (const statement of statements) {
      if (statement.effect !== 'Allow') continue;
      const match = matchPrincipal(role, statement.principal);
      if (match === null) continue;
      const own = statementGrant(source.ref, statement, denies, options);
      if (own === null) continue;
      const allowed = match === 'role-arn' ? limits.forRoleArn : limits.forOthers;
      const actions = own.actions.filter((action) => allowed.has(action));
      if (actions.length === 0) continue;
      grants.push({
        ...own,
        policy: source.ref,
        actions,
        statement: statement.label,
        resourceScoped: source.ref.kind === 'registry-policy' ? own.resourceScoped : true,
        resource: {
          principal: match,
          policyText: source.policyText,
          policyWithoutStatement: withoutStatement(source.policyText, statement.index),
        },
      });
    }
  }
  return { grants, warnings };
}

/** Who a resource policy grants ECR write to: the fast path of the event (no read when nobody). */
export interface WriteGrantees {
  /** The policy text could not be read as a policy document. */
  readonly unreadable: boolean;
  /** Some Allow statement grants write to `*` or through NotPrincipal: every node role may be concerned. */
  readonly anyPrincipal: boolean;
  /** Role names from role ARNs and role session ARNs that some Allow statement grants write to, sorted. */
  readonly roleNames: readonly string[];
  /** Some Allow statement grants write to some principal at all (an account, a service...). */
  readonly grantsWrite: boolean;
}

export function writeGrantees(policyText: string, options: ResourceGrantOptions): WriteGrantees {
  const statements = readStatements(policyText);
  if (statements === null)
    return { unreadable: true, anyPrincipal: false, roleNames: [], grantsWrite: false };
  const ref: PolicyRef = { kind: 'repository-policy', name: 'change', arn: null };
  let anyPrincipal = false;
  let grantsWrite = false;
  const roleNames = new Set<string>();
  for (const statement of statements) {
    if (statement.effect !== 'Allow' || statementGrant(ref, statement, [], options) === null) continue;
    grantsWrite = true;
    const { principal } = statement;
    if (principal.kind === 'none') continue;
    if (principal.kind === 'NotPrincipal') {
      if (!principal.any) anyPrincipal = true;
      continue;
    }
    if (principal.any) anyPrincipal = true;
    for (const arn of principal.aws) {
      const name = roleNameOfPrincipal(arn);
      if (name !== null) roleNames.add(name);
    }
  }
  return { unreadable: false, anyPrincipal, roleNames: [...roleNames].sort(), grantsWrite };
}

/** A resource-policy statement that grants ECR write to anyone (`*` or NotPrincipal), whoever uses it. */
export interface AnyPrincipalWrite {
  readonly policy: PolicyRef;
  readonly statement: string;
  readonly actions: readonly string[];
  readonly conditional: boolean;
  readonly principal: Extract<ResourcePrincipalMatch, 'any-principal' | 'not-principal'>;
}

/** Every statement of the sources that grants ECR write to `*` (or via NotPrincipal): the audit's own finding. */
export function anyPrincipalWrites(
  sources: readonly ResourcePolicySource[],
  options: ResourceGrantOptions,
): AnyPrincipalWrite[] {
  const found: AnyPrincipalWrite[] = [];
  for (const source of sources) {
    for (const statement of readStatements(source.policyText) ?? []) {
      const { principal } = statement;
      if (statement.effect !== 'Allow' || principal.kind === 'none') continue;
      const match =
        principal.kind === 'NotPrincipal'
          ? principal.any
            ? null
            : 'not-principal'
          : principal.any
            ? 'any-principal'
            : null;
      if (match === null) continue;
      const grant = statementGrant(source.ref, statement, [], options);
      if (grant === null) continue;
      found.push({
        policy: source.ref,
        statement: statement.label,
        actions: grant.actions,
        conditional: grant.conditional,
        principal: match,
      });
    }
  }
  return found;
}

/** What a resource grant reaches, for reasons and alerts. */
export function grantReach(grant: Pick<Grant, 'policy'>): string {
  const region = grant.policy.region ?? 'unknown region';
  switch (grant.policy.kind) {
    case 'repository-policy':
      return `repository ${grant.policy.name} (${region})`;
    case 'registry-policy':
      return `every repository of the registry in ${region}`;
    case 'repository-creation-template':
      return `repositories ECR creates under prefix ${grant.policy.prefix ?? grant.policy.name} (${region})`;
    default:
      return grant.policy.name;
  }
}

/** A new resource policy, as an ECR event records it (the whole new policy: the call replaces the old one). */
export type EcrPolicyChange =
  | {
      readonly target: 'repository';
      readonly region: string;
      readonly repositoryName: string;
      readonly repositoryArn: string;
      readonly policyText: string;
    }
  | { readonly target: 'registry'; readonly region: string; readonly policyText: string }
  | {
      readonly target: 'template';
      readonly region: string;
      readonly prefix: string;
      readonly repositoryPolicy: string;
    };

/** The inventory with the change applied (the policy replaced or added). Pure: the input is not modified. */
export function withEcrPolicyChange(inventory: EcrInventory, change: EcrPolicyChange): EcrInventory {
  const region = inventory[change.region] ?? {
    registryPolicy: null,
    repositories: [],
    repositoryCreationTemplates: [],
  };
  let updated: EcrRegionRecord;
  switch (change.target) {
    case 'registry':
      updated = { ...region, registryPolicy: change.policyText };
      break;
    case 'repository': {
      const others = region.repositories.filter((r) => r.repositoryName !== change.repositoryName);
      const { repositoryName, repositoryArn, policyText } = change;
      updated = { ...region, repositories: [...others, { repositoryName, repositoryArn, policyText }] };
      break;
    }
    case 'template': {
      const others = region.repositoryCreationTemplates.filter((t) => t.prefix !== change.prefix);
      const template = { prefix: change.prefix, repositoryPolicy: change.repositoryPolicy };
      updated = { ...region, repositoryCreationTemplates: [...others, template] };
      break;
    }
  }
  return { ...inventory, [change.region]: updated };
}

// ---- the role's own limits ------------------------------------------------------------------------

const PROBE: PolicyInput = {
  ref: { kind: 'inline', name: '(resource grant probe)', arn: null },
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['ecr:*', 'ecr-public:*'], Resource: '*' }],
  },
};

interface RoleLimits {
  /** Actions a grant naming the role ARN may still give: no explicit Deny, inside the boundary. */
  readonly forRoleArn: ReadonlySet<string>;
  /** Actions any other grant may still give: no explicit Deny in identity policies or boundary. */
  readonly forOthers: ReadonlySet<string>;
}

function roleLimits(policies: RolePolicies, options: ResourceGrantOptions): RoleLimits {
  const allowedWith = (identity: readonly PolicyInput[]): Set<string> =>
    new Set(
      analyseRolePolicies({ identity, boundary: null }, { pullAllowance: options.pullAllowance }).allowed,
    );
  const notDenied = allowedWith([...policies.identity, PROBE]);
  const boundary = policies.boundary;
  if (boundary === null) return { forRoleArn: notDenied, forOthers: notDenied };
  const boundaryAlone = analyseRolePolicies(
    { identity: [boundary], boundary: null },
    { pullAllowance: options.pullAllowance },
  );
  // An unusable boundary is treated as absent, as the identity analysis does (never a false "compliant").
  if (boundaryAlone.unusablePolicies.length > 0) return { forRoleArn: notDenied, forOthers: notDenied };
  const boundaryNotDenied = allowedWith([boundary, PROBE]);
  const insideBoundary = new Set(boundaryAlone.allowed);
  return {
    forRoleArn: new Set([...notDenied].filter((a) => insideBoundary.has(a))),
    forOthers: new Set([...notDenied].filter((a) => boundaryNotDenied.has(a))),
  };
}

// ---- statements -----------------------------------------------------------------------------------

/** The write grant of one Allow statement, with the same policy's matching Denies applied; null when none. */
function statementGrant(
  ref: PolicyRef,
  statement: RawStatement,
  denies: readonly RawStatement[],
  options: ResourceGrantOptions,
): Grant | null {
  const document = { Version: '2012-10-17', Statement: [statement.body, ...denies.map((d) => d.body)] };
  const analysis = analyseRolePolicies(
    { identity: [{ ref, document }], boundary: null },
    { pullAllowance: options.pullAllowance },
  );
  const grant = analysis.grants.find((g) => g.statement === '0' || g.statement === statement.label);
  return grant === undefined || grant.actions.length === 0 ? null : grant;
}

function describeSource(ref: PolicyRef): string {
  return grantReach({ policy: ref }).replace(/^every repository of the registry/, 'registry policy');
}
