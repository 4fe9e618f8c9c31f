// IaC check (pure): the IaC model to findings, with the guard's own policy analysis (`analyseRolePolicies`) and
// severity (`severityOf`): each node role declared in the files is a violation, compliant, or unknown.
import { analyseRolePolicies } from '../domain/analysis';
import { awsManagedPolicyName } from '../domain/arn';
import { DEFAULT_PULL_ALLOWANCE } from '../domain/catalogue';
import { severityOf } from '../domain/decision';
import { bundledManagedPolicy } from '../domain/managed-policies';
import type { DenyNote, Grant, PolicyInput, PolicyRef, Severity } from '../domain/types';
import type { IacModel, IacPolicy, IacRole, NodeRoleUse } from './model';
import type { SourceLocation } from './source';

export type IacVerdict = 'violation' | 'compliant' | 'unknown';

export interface IacPolicyNote {
  readonly policy: string;
  readonly reason: string;
  readonly location: SourceLocation;
}

export interface IacFinding {
  readonly verdict: IacVerdict;
  readonly severity: Severity | null;
  /** The role's logical id / Terraform address, or the resource whose role is not known. */
  readonly subject: string;
  /** The logical id or Terraform address of the resource the finding is about (the role, else the resource). */
  readonly resourceId: string;
  readonly roleName: string | null;
  /** Where to fix it: the policy that grants the write, else the role, else the EKS resource. */
  readonly location: SourceLocation;
  readonly usedBy: readonly Pick<NodeRoleUse, 'kind' | 'resource' | 'accessEntryType' | 'location'>[];
  readonly writeActions: readonly string[];
  readonly grants: readonly Grant[];
  readonly grantedBy: readonly { readonly policy: string; readonly location: SourceLocation }[];
  readonly denies: readonly DenyNote[];
  readonly unknown: readonly IacPolicyNote[];
  readonly reason: string;
  readonly warnings: readonly string[];
}

export interface IacSummary {
  readonly nodeRoles: number;
  readonly compliant: number;
  readonly unknown: number;
  readonly violations: Readonly<Record<Severity, number>> & { readonly total: number };
}

export interface IacReport {
  readonly files: readonly string[];
  readonly findings: readonly IacFinding[];
  readonly summary: IacSummary;
}

export interface IacCheckOptions {
  /** Write-level actions tolerated on node roles. @default the guard's default pull allowance */
  readonly pullAllowance?: ReadonlySet<string>;
}

/**
 * AWS managed policies that are not bundled but whose documents name no `ecr` / `ecr-public` action and no
 * service wildcard, so they cannot grant ECR write (checked against the AWS Managed Policy Reference pages:
 * AmazonEKS_CNI_Policy v5 of 2024-03-04, only `ec2:` actions; AmazonSSMManagedInstanceCore v2 of 2019-05-23,
 * only `ssm:`, `ssmmessages:` and `ec2messages:` actions). Any other unbundled managed policy is `unknown`.
 */
export const ECR_FREE_MANAGED_POLICIES: ReadonlySet<string> = new Set([
  'AmazonEKS_CNI_Policy',
  'AmazonSSMManagedInstanceCore',
]);

const SEVERITY_ORDER: readonly Severity[] = ['critical', 'high', 'medium'];
const VERDICT_ORDER: readonly IacVerdict[] = ['violation', 'unknown', 'compliant'];

function refKey(ref: PolicyRef): string {
  return `${ref.kind}|${ref.name}|${ref.arn ?? ''}`;
}

interface Inputs {
  readonly identity: PolicyInput[];
  readonly boundary: PolicyInput | null;
  readonly unknown: IacPolicyNote[];
  readonly locations: Map<string, SourceLocation>;
}

/** A policy of the model as an analysis input, or a note saying why its content is unknown. */
function toInput(policy: IacPolicy): PolicyInput | IacPolicyNote | null {
  if (policy.kind === 'document') return { ref: policy.ref, document: policy.document };
  if (policy.kind === 'unknown')
    return { policy: policy.ref.name, reason: policy.reason, location: policy.location };
  const bundled = bundledManagedPolicy(policy.arn);
  if (bundled !== null) {
    return { ref: { kind: 'aws-managed', name: bundled.name, arn: policy.arn }, document: bundled.document };
  }
  const awsName = awsManagedPolicyName(policy.arn);
  if (awsName !== null && ECR_FREE_MANAGED_POLICIES.has(awsName)) return null;
  const reason =
    awsName === null
      ? 'a customer managed policy the files do not declare'
      : 'an AWS managed policy whose document is not bundled';
  return { policy: policy.arn, reason, location: policy.location };
}

function collectInputs(policies: readonly IacPolicy[], boundary: IacPolicy | null): Inputs {
  const identity: PolicyInput[] = [];
  const unknown: IacPolicyNote[] = [];
  const locations = new Map<string, SourceLocation>();
  let boundaryInput: PolicyInput | null = null;
  const add = (policy: IacPolicy, asBoundary: boolean): void => {
    const input = toInput(policy);
    if (input === null) return;
    if ('reason' in input) {
      unknown.push(asBoundary ? { ...input, reason: `permissions boundary: ${input.reason}` } : input);
      return;
    }
    locations.set(refKey(input.ref), policy.location);
    if (asBoundary) boundaryInput = input;
    else identity.push(input);
  };
  for (const policy of policies) add(policy, false);
  if (boundary !== null) add(boundary, true);
  return { identity, boundary: boundaryInput, unknown, locations };
}

function describe(actions: readonly string[]): string {
  const shown = actions.slice(0, 3).join(', ');
  return actions.length > 3 ? `${shown} and ${actions.length - 3} more` : shown;
}

function roleFinding(role: IacRole, uses: readonly NodeRoleUse[], options: IacCheckOptions): IacFinding {
  const inputs = collectInputs(role.policies, role.boundary);
  const analysis = analyseRolePolicies(
    { identity: inputs.identity, boundary: inputs.boundary },
    { pullAllowance: options.pullAllowance ?? new Set(DEFAULT_PULL_ALLOWANCE) },
  );
  const unknown = [
    ...inputs.unknown,
    ...analysis.unusablePolicies.map((ref) => ({
      policy: ref.name,
      reason: 'the policy document cannot be used',
      location: inputs.locations.get(refKey(ref)) ?? role.location,
    })),
  ];
  const warnings = analysis.warnings.map(
    (w) => `${w.policy.name}${w.statement === null ? '' : ` statement ${w.statement}`}: ${w.message}`,
  );
  const grantedBy = dedupe(
    analysis.grants.map((grant) => ({
      policy: grant.policy.arn ?? grant.policy.name,
      location: inputs.locations.get(refKey(grant.policy)) ?? role.location,
    })),
  );
  const name = role.roleName ?? role.label;
  const base = {
    subject: role.label,
    resourceId: role.label,
    roleName: role.roleName,
    usedBy: uses.map(({ kind, resource, accessEntryType, location }) => ({
      kind,
      resource,
      accessEntryType,
      location,
    })),
    writeActions: analysis.writeActions,
    grants: analysis.grants,
    grantedBy,
    denies: analysis.denies,
    unknown,
    warnings,
  };
  if (analysis.writeActions.length > 0) {
    return {
      ...base,
      verdict: 'violation',
      severity: severityOf(analysis.grants),
      location: grantedBy[0]?.location ?? role.location,
      reason: `EKS node role ${name} can write to ECR: ${describe(analysis.writeActions)}.`,
    };
  }
  if (unknown.length > 0) {
    return {
      ...base,
      verdict: 'unknown',
      severity: null,
      location: unknown[0]?.location ?? role.location,
      reason: `EKS node role ${name} has no known ECR write grant, but the content of ${unknown.map((u) => u.policy).join(', ')} is unknown.`,
    };
  }
  return {
    ...base,
    verdict: 'compliant',
    severity: null,
    location: role.location,
    reason: `EKS node role ${name} cannot write to ECR beyond the pull allowance.`,
  };
}

function dedupe<T extends { readonly policy: string }>(items: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(item.policy)) seen.set(item.policy, item);
  return [...seen.values()];
}

function emptyFinding(
  subject: string,
  resourceId: string,
  location: SourceLocation,
  reason: string,
): IacFinding {
  return {
    verdict: 'unknown',
    severity: null,
    subject,
    resourceId,
    roleName: null,
    location,
    usedBy: [],
    writeActions: [],
    grants: [],
    grantedBy: [],
    denies: [],
    unknown: [],
    reason,
    warnings: [],
  };
}

/** Every node role of the model judged once (however many EKS resources name it), plus what could not be tied. */
export function checkModel(
  model: IacModel,
  files: readonly string[],
  options: IacCheckOptions = {},
): IacReport {
  const byId = new Map(model.roles.map((role) => [role.id, role]));
  const byName = new Map<string, IacRole>();
  for (const role of model.roles) if (role.roleName !== null) byName.set(role.roleName.toLowerCase(), role);
  const usesByRole = new Map<string, NodeRoleUse[]>();
  const findings: IacFinding[] = [];
  for (const use of model.uses) {
    const { target } = use;
    const role =
      target.kind === 'declared'
        ? byId.get(target.roleId)
        : target.kind === 'named'
          ? byName.get(target.roleName.toLowerCase())
          : undefined;
    if (role === undefined) {
      const why =
        target.kind === 'unresolved'
          ? target.reason
          : target.kind === 'named'
            ? `role ${target.text} is not declared in the files read`
            : 'the role is not declared';
      findings.push({
        ...emptyFinding(
          use.resource,
          use.id,
          use.location,
          `${use.resource} uses a node role whose policies are unknown: ${why}.`,
        ),
        usedBy: [
          {
            kind: use.kind,
            resource: use.resource,
            accessEntryType: use.accessEntryType,
            location: use.location,
          },
        ],
      });
      continue;
    }
    usesByRole.set(role.id, [...(usesByRole.get(role.id) ?? []), use]);
  }
  for (const [roleId, uses] of usesByRole) {
    const role = byId.get(roleId);
    if (role !== undefined) findings.push(roleFinding(role, uses, options));
  }
  for (const attachment of model.unresolvedAttachments) {
    const input = toInput(attachment.policy);
    if (input === null || 'reason' in input) continue;
    const analysis = analyseRolePolicies(
      { identity: [input], boundary: null },
      { pullAllowance: options.pullAllowance ?? new Set(DEFAULT_PULL_ALLOWANCE) },
    );
    if (analysis.writeActions.length === 0) continue;
    findings.push(
      emptyFinding(
        attachment.resource,
        attachment.id,
        attachment.location,
        `${attachment.resource} gives ECR write (${describe(analysis.writeActions)}) to a role these files do not tie down (${attachment.reason}); it is a violation if that role is a node role.`,
      ),
    );
  }
  findings.sort(
    (a, b) =>
      VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) ||
      rank(a.severity) - rank(b.severity) ||
      compare(a.location.file, b.location.file) ||
      a.location.line - b.location.line,
  );
  return { files, findings, summary: summarise(findings) };
}

function rank(severity: Severity | null): number {
  return severity === null ? SEVERITY_ORDER.length : SEVERITY_ORDER.indexOf(severity);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function summarise(findings: readonly IacFinding[]): IacSummary {
  const count = (predicate: (finding: IacFinding) => boolean) => findings.filter(predicate).length;
  const violations = (severity: Severity) =>
    count((f) => f.verdict === 'violation' && f.severity === severity);
  return {
    nodeRoles: count(
      (f) => f.roleName !== null || f.grants.length > 0 || f.verdict !== 'unknown' || f.usedBy.length > 0,
    ),
    compliant: count((f) => f.verdict === 'compliant'),
    unknown: count((f) => f.verdict === 'unknown'),
    violations: {
      critical: violations('critical'),
      high: violations('high'),
      medium: violations('medium'),
      total: count((f) => f.verdict === 'violation'),
    },
  };
}

/** True when a violation of `threshold` or more severe was found. */
export function hasViolationAtLeast(report: IacReport, threshold: Severity): boolean {
  return report.findings.some((f) => f.verdict === 'violation' && rank(f.severity) <= rank(threshold));
}
