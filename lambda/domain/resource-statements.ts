// Domain helper (pure): reads the statements of an ECR resource policy (Principal / NotPrincipal, the rest as an
// identity-style statement) and matches principals to a role. Used by ./resource-policies only.
import { parseArn } from './arn';
import { decodeDocument } from './policy-json';
import type { ResourcePrincipalMatch } from './types';

/** The node role a resource policy may name. */
export interface ResourceGrantee {
  readonly name: string;
  readonly arn: string;
}

export type PrincipalSpec =
  | { readonly kind: 'Principal' | 'NotPrincipal'; readonly any: boolean; readonly aws: readonly string[] }
  | { readonly kind: 'none' };

export interface RawStatement {
  readonly index: number;
  readonly label: string;
  readonly effect: 'Allow' | 'Deny' | 'other';
  readonly principal: PrincipalSpec;
  /** The statement without its principal, with `Resource: "*"` when it has none (repository policies). */
  readonly body: Record<string, unknown>;
}

export function readStatements(policyText: string): RawStatement[] | null {
  const document = decodeDocument(policyText);
  if (!isRecord(document)) return null;
  const raw = document.Statement;
  const list = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : null;
  if (list === null) return null;
  return list.flatMap((statement: unknown, index): RawStatement[] => {
    if (!isRecord(statement)) return [];
    const sid = statement.Sid;
    const effect = statement.Effect === 'Allow' || statement.Effect === 'Deny' ? statement.Effect : 'other';
    const { Principal, NotPrincipal, ...rest } = statement;
    const body = 'Resource' in rest || 'NotResource' in rest ? rest : { ...rest, Resource: '*' };
    return [
      {
        index,
        label: typeof sid === 'string' && sid !== '' ? sid : String(index),
        effect,
        principal: principalSpec(Principal, NotPrincipal),
        body,
      },
    ];
  });
}

function principalSpec(principal: unknown, notPrincipal: unknown): PrincipalSpec {
  const kind = principal !== undefined ? 'Principal' : notPrincipal !== undefined ? 'NotPrincipal' : null;
  if (kind === null) return { kind: 'none' };
  const value = kind === 'Principal' ? principal : notPrincipal;
  if (value === '*') return { kind, any: true, aws: [] };
  if (!isRecord(value)) return { kind, any: false, aws: [] };
  const aws = value.AWS;
  const entries = (Array.isArray(aws) ? aws : [aws]).filter((e): e is string => typeof e === 'string');
  return { kind, any: entries.includes('*'), aws: entries.filter((e) => e !== '*') };
}

/** How the principal element names the role, or null when it does not grant the role directly. */
export function matchPrincipal(
  role: ResourceGrantee,
  principal: PrincipalSpec,
): ResourcePrincipalMatch | null {
  if (principal.kind === 'none') return null;
  if (principal.kind === 'NotPrincipal') return principal.any ? null : 'not-principal';
  const target = parseArn(role.arn);
  const name = role.name.toLowerCase();
  let best: ResourcePrincipalMatch | null = principal.any ? 'any-principal' : null;
  for (const entry of principal.aws) {
    const parts = parseArn(entry);
    if (parts === null || target === null || parts.account !== target.account) continue;
    // IAM role names are unique ignoring case; any path of the role's name in its account is the role.
    if (roleNameOfPrincipal(entry)?.toLowerCase() !== name) continue;
    if (parts.service === 'sts') return 'role-session';
    best = best ?? 'role-arn';
  }
  return best;
}

/** The role name of a role ARN or role session ARN; null for anything else (accounts, users, services). */
export function roleNameOfPrincipal(arn: string): string | null {
  const parts = parseArn(arn);
  if (parts === null) return null;
  if (parts.service === 'iam' && parts.resource.startsWith('role/')) {
    const name = parts.resource.slice(parts.resource.lastIndexOf('/') + 1);
    return name === '' ? null : name;
  }
  if (parts.service === 'sts' && parts.resource.startsWith('assumed-role/')) {
    const name = parts.resource.split('/')[1];
    return name === undefined || name === '' ? null : name;
  }
  return null;
}

export function withoutStatement(policyText: string, index: number): string | null {
  const document = decodeDocument(policyText);
  if (!isRecord(document) || !Array.isArray(document.Statement)) return null;
  const rest = document.Statement.filter((_, position) => position !== index);
  return rest.length === 0 ? null : JSON.stringify({ ...document, Statement: rest }, null, 2);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
