// Guardrails (pure): checks a built SCP or boundary with the project's own analyser before anyone sees it; any
// problem found means the policy is not printed. No I/O.
import { analyseRolePolicies } from '../domain/analysis';
import { matchesWildcard } from '../domain/arn';
import { NODE_PULL_ACTIONS } from '../domain/catalogue';
import { bundledManagedPolicy } from '../domain/managed-policies';
import type { PolicyInput } from '../domain/types';
import { BOUNDARY_DENY_SID } from './boundary';
import type { BoundaryOptions, GuardrailOptions, ScpOptions } from './options';
import { WRITE_POLICY_NAMES } from './options';
import {
  MANAGED_POLICY_MAX_CHARS,
  type PolicyDocument,
  type PolicyStatement,
  parseProblems,
  policySize,
  SCP_MAX_CHARS,
} from './policy';
import { SCP_ECR_SID } from './scp';

/** Identity policies a node role may wrongly hold: every ECR and ECR Public writer, and the admins. */
const WRITERS: readonly string[] = [
  'AmazonEC2ContainerRegistryFullAccess',
  'AmazonElasticContainerRegistryPublicFullAccess',
  'AdministratorAccess',
];

/** Actions the node's own calls need and an instance-credential Deny must never touch (AWS-FACTS §17). */
const NEVER_DENIED: readonly string[] = ['eks-auth:AssumeRoleForPodIdentity'];

function managed(name: string): PolicyInput {
  const policy = bundledManagedPolicy(name);
  if (policy === null) throw new Error(`AWS managed policy ${name} is not bundled`);
  return { ref: { kind: 'aws-managed', name, arn: policy.arn }, document: policy.document };
}

function guardrailInput(name: string, document: PolicyDocument): PolicyInput {
  return { ref: { kind: 'customer-managed', name, arn: null }, document };
}

function nodePulls(options: GuardrailOptions): string[] {
  return [...new Set([...NODE_PULL_ACTIONS, ...options.pullAllowance])];
}

/** Problems with what a role holding every writer may do under `boundary` (or with `denies` among its policies). */
function writerProblems(
  what: string,
  options: GuardrailOptions,
  extra: { readonly denies?: PolicyInput; readonly boundary?: PolicyInput },
): string[] {
  const identity = WRITERS.map(managed);
  const analysis = analyseRolePolicies(
    {
      identity: extra.denies === undefined ? identity : [...identity, extra.denies],
      boundary: extra.boundary ?? null,
    },
    { pullAllowance: options.pullAllowance },
  );
  const problems: string[] = [];
  if (analysis.unusablePolicies.length > 0) problems.push(`${what}: the analyser could not use every policy`);
  if (analysis.writeActions.length > 0) {
    problems.push(`${what}: ECR write actions remain allowed: ${analysis.writeActions.join(', ')}`);
  }
  const allowed = new Set(analysis.allowed);
  const lost = nodePulls(options).filter((action) => !allowed.has(action));
  if (lost.length > 0) problems.push(`${what}: node pull actions are no longer allowed: ${lost.join(', ')}`);
  return problems;
}

function sizeProblems(document: PolicyDocument, limit: number, what: string): string[] {
  const size = policySize(document);
  return size > limit ? [`${what} is ${size} characters (UTF-8 bytes), over the ${limit} limit`] : [];
}

function actionsOf(statement: PolicyStatement): readonly string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : statement.Action;
}

/**
 * The SCP must parse whole, fit, deny attaching exactly the policies the analyser finds writing, and — met by an
 * instance-credential request (its condition taken as true) — leave a role holding every writer no ECR write
 * and every node pull, and never touch `eks-auth`.
 */
export function checkScp(document: PolicyDocument, options: ScpOptions): string[] {
  const problems = [...parseProblems(document), ...sizeProblems(document, SCP_MAX_CHARS, 'the SCP')];
  for (const name of WRITE_POLICY_NAMES) {
    const writes = analyseRolePolicies(
      { identity: [managed(name)], boundary: null },
      { pullAllowance: options.pullAllowance },
    ).writeActions;
    if (writes.length === 0) problems.push(`${name} is denied but the analyser finds no ECR write in it`);
  }
  const ecr = document.Statement.find((statement) => statement.Sid === SCP_ECR_SID);
  if (ecr === undefined) return [...problems, `the SCP has no ${SCP_ECR_SID} statement`];
  // The statement as an instance-credential request from a principal that is not exempt meets it.
  const met: PolicyDocument = {
    Version: document.Version,
    Statement: [{ Sid: ecr.Sid, Effect: ecr.Effect, Action: ecr.Action, Resource: ecr.Resource }],
  };
  problems.push(
    ...writerProblems('with EC2 instance credentials', options, { denies: guardrailInput('scp', met) }),
  );
  for (const statement of document.Statement) {
    for (const needed of NEVER_DENIED) {
      if (actionsOf(statement).some((pattern) => matchesWildcard(pattern, needed, { ignoreCase: true }))) {
        problems.push(`statement ${statement.Sid} denies ${needed}, which nodes need`);
      }
    }
  }
  return problems;
}

/**
 * The boundary must parse whole, fit, allow no ECR write even without its Deny, and over a role holding every
 * writer leave no ECR write and every node pull.
 */
export function checkBoundary(document: PolicyDocument, options: BoundaryOptions): string[] {
  const problems = [
    ...parseProblems(document),
    ...sizeProblems(document, MANAGED_POLICY_MAX_CHARS, 'the boundary'),
  ];
  const allows: PolicyDocument = {
    Version: document.Version,
    Statement: document.Statement.filter((statement) => statement.Sid !== BOUNDARY_DENY_SID),
  };
  problems.push(
    ...writerProblems('without its Deny', options, { boundary: guardrailInput('boundary', allows) }),
  );
  problems.push(
    ...writerProblems('as the boundary', options, { boundary: guardrailInput('boundary', document) }),
  );
  return problems;
}
