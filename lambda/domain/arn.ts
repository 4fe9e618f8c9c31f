// Domain helpers (pure): small ARN utilities shared by event parsing, node-role evidence and policy lookups.
import { wildcardMatches } from './wildcard';

/** The six colon-separated parts of an ARN; `resource` keeps any further colons and slashes. */
export interface ArnParts {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** Splits an ARN into its parts, or null when the text is not shaped like an ARN. */
export function parseArn(arn: string): ArnParts | null {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return null;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  const resource = parts.slice(5).join(':');
  if (partition === '' || service === '' || resource === '') return null;
  return { partition, service, region, account, resource };
}

/** `aws`, `aws-cn`, `aws-us-gov`... from an ARN, or null when the text is not an ARN. */
export function partitionFromArn(arn: string): string | null {
  return parseArn(arn)?.partition ?? null;
}

/** The 12-digit account of an ARN, or null when absent (`aws` for AWS managed policies is returned as is). */
export function accountFromArn(arn: string): string | null {
  const account = parseArn(arn)?.account;
  return account === undefined || account === '' ? null : account;
}

/**
 * The role (or policy, user...) name of an ARN: its last `/` segment, so that
 * `arn:aws:iam::111122223333:role/team/nodes` gives `nodes`. Null when there is no non-empty segment.
 */
export function roleNameFromArn(arn: string): string | null {
  const slash = arn.lastIndexOf('/');
  if (slash < 0) return null;
  const name = arn.slice(slash + 1);
  return name === '' ? null : name;
}

/** True when the ARN names an IAM role (`arn:<partition>:iam::<account>:role/...`). */
export function isIamRoleArn(arn: string): boolean {
  const parts = parseArn(arn);
  return parts !== null && parts.service === 'iam' && parts.resource.startsWith('role/');
}

/** True when the ARN names an IAM managed policy (`arn:<partition>:iam::<account|aws>:policy/...`). */
export function isIamPolicyArn(arn: string): boolean {
  const parts = parseArn(arn);
  return parts !== null && parts.service === 'iam' && parts.resource.startsWith('policy/');
}

/** `arn:${partition}:iam::aws:policy/${name}`: the ARN of an AWS managed policy without a path. */
export function awsManagedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

/**
 * The name of an AWS managed policy that sits at the root path (`arn:<any>:iam::aws:policy/<Name>`),
 * else null. Customer managed policies (a 12-digit account) and pathed AWS policies give null.
 */
export function awsManagedPolicyName(arn: string): string | null {
  const parts = parseArn(arn);
  if (parts === null || parts.service !== 'iam' || parts.region !== '' || parts.account !== 'aws')
    return null;
  const prefix = 'policy/';
  if (!parts.resource.startsWith(prefix)) return null;
  const name = parts.resource.slice(prefix.length);
  return name === '' || name.includes('/') ? null : name;
}

/** IAM-style wildcard match (see `wildcardMatches`), for ARN patterns and names; case-sensitive by default. */
export function matchesWildcard(
  pattern: string,
  text: string,
  options: { readonly ignoreCase?: boolean } = {},
): boolean {
  return wildcardMatches(pattern, text, options.ignoreCase === true);
}
