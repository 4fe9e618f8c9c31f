// Guardrails (pure): the policy document shape the builders write, its two renderings, IAM's size count and the
// node-role naming conventions both the SCP and the docs rely on. No I/O.
import { parsePolicyDocument } from '../domain/policy-document';

/** A condition block as IAM writes it: operator → key → value(s). */
export type ConditionBlock = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/**
 * AWS Organizations: an SCP document holds at most 5,120 characters (AWS Organizations User Guide, "Quotas and
 * service limits for AWS Organizations", maximum policy size; some report the limit enforced in bytes). Counted
 * on the minified text, so any whitespace the API would keep is already gone.
 */
export const SCP_MAX_CHARS = 5120;

/**
 * IAM: a customer managed policy (which is what a permissions boundary is) holds at most 6,144 characters,
 * whitespace not counted (IAM User Guide, "IAM and AWS STS quotas", managed policy size).
 */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The one-line JSON an SCP should be pasted as. */
export function minified(document: PolicyDocument): string {
  return JSON.stringify(document);
}

/** Indented JSON for people (and for a boundary, where whitespace does not count against the size). */
export function pretty(document: PolicyDocument): string {
  return JSON.stringify(document, null, 2);
}

/**
 * The size checked against the limits: UTF-8 bytes of the minified text (no whitespace outside the JSON
 * strings). Never fewer than its characters, so it is safe whether a limit counts characters or bytes.
 */
export function policySize(document: PolicyDocument): number {
  return new TextEncoder().encode(minified(document)).length;
}

/** A document the analyser's parser accepts whole: every statement usable, none skipped. */
export function parseProblems(document: PolicyDocument): string[] {
  const parsed = parsePolicyDocument(minified(document));
  if (!parsed.ok) return [`the policy does not parse: ${parsed.error}`];
  return parsed.warnings.map((warning) => `statement skipped by the analyser: ${warning}`);
}

/** One default node-role name pattern and the tool whose convention it follows. */
export interface NodeRoleConvention {
  readonly pattern: string;
  readonly source: string;
}

/** Role names EKS tooling gives node roles by default (IAM wildcards, matched against the role name). */
export const DEFAULT_NODE_ROLE_CONVENTIONS: readonly NodeRoleConvention[] = [
  { pattern: 'eksctl-*-nodegroup-*-NodeInstanceRole-*', source: 'eksctl node group stacks' },
  { pattern: 'KarpenterNodeRole-*', source: 'Karpenter getting started (KarpenterNodeRole-<cluster>)' },
  { pattern: 'AmazonEKSNodeRole*', source: 'EKS user guide, managed node group role (console)' },
  { pattern: 'eksNodeRole*', source: 'EKS user guide, managed node group role (CLI)' },
  { pattern: 'AmazonEKSAutoNodeRole*', source: 'EKS Auto Mode node role' },
  { pattern: '*-eks-node-group-*', source: 'terraform-aws-modules/eks managed node group name prefix' },
];

export const DEFAULT_NODE_ROLE_PATTERNS: readonly string[] = DEFAULT_NODE_ROLE_CONVENTIONS.map(
  (convention) => convention.pattern,
);

/**
 * The role ARN patterns for a role-name pattern: at the root path and under any path (`role/eks/...`). A pattern
 * that is already an ARN (`arn:...`) is kept as given.
 */
export function roleArnPatterns(partition: string, pattern: string): string[] {
  if (pattern.startsWith('arn:')) return [pattern];
  // `*` also matches `/`: a pattern that starts with one already covers every path.
  if (pattern.startsWith('*')) return [`arn:${partition}:iam::*:role/${pattern}`];
  return [`arn:${partition}:iam::*:role/${pattern}`, `arn:${partition}:iam::*:role/*/${pattern}`];
}
