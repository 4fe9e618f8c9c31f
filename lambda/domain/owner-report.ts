// Domain (pure): the audited node roles grouped by owner (./owners), with per-owner figures, for the digest, the
// per-owner KPI metrics and the CLI reports; and the cap that keeps the owner metric dimension small.
import { compareText, type RoleAudit } from './audit-report';
import { ownerLabel, UNKNOWN_OWNER, UNTAGGED_OWNER } from './owners';
import type { Severity } from './types';

/** The node roles of one owner (`untagged` and `unknown` are groups of their own, listed last). */
export interface OwnerGroup {
  /** The owner tag's value, `untagged` or `unknown`. */
  readonly owner: string;
  readonly status: 'owned' | 'untagged' | 'unknown';
  /** Sorted by role name. */
  readonly roles: readonly RoleAudit[];
  readonly nodeRoles: number;
  readonly compliant: number;
  /** Violations still open (see `groupByOwner`'s `isOpen`), by severity, and their total. */
  readonly open: Readonly<Record<Severity, number>> & { readonly total: number };
  readonly indeterminate: number;
  readonly exempt: number;
}

const STATUS_RANK = { owned: 0, untagged: 1, unknown: 2 } as const;

function statusOf(role: RoleAudit): OwnerGroup['status'] {
  return role.decision.owner?.status ?? 'unknown';
}

/**
 * The roles grouped by owner: owners in code-unit order, then `untagged`, then `unknown` (a role with no resolved
 * owner counts as unknown). `isOpen` says which violations are still open (the sweep's fixed ones are not); by
 * default every violation is. `compliant` counts compliant roles and the violations that are no longer open.
 */
export function groupByOwner(
  roles: readonly RoleAudit[],
  isOpen: (role: RoleAudit) => boolean = () => true,
): OwnerGroup[] {
  const byOwner = new Map<string, { status: OwnerGroup['status']; roles: RoleAudit[] }>();
  for (const role of roles) {
    const status = statusOf(role);
    // A tag value equal to a reserved word still groups apart from the roles that really have no owner.
    const key = `${STATUS_RANK[status]}\u0000${ownerLabel(role.decision.owner)}`;
    const group = byOwner.get(key) ?? { status, roles: [] };
    group.roles.push(role);
    byOwner.set(key, group);
  }
  return [...byOwner.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .map(([, group]) => summariseGroup(group.status, group.roles, isOpen));
}

function summariseGroup(
  status: OwnerGroup['status'],
  roles: readonly RoleAudit[],
  isOpen: (role: RoleAudit) => boolean,
): OwnerGroup {
  const sorted = [...roles].sort((a, b) => compareText(a.roleName, b.roleName));
  const open = sorted.filter((role) => role.verdict === 'violation' && isOpen(role));
  const openOf = (severity: Severity): number => open.filter((role) => role.severity === severity).length;
  const fixed = sorted.filter((role) => role.verdict === 'violation' && !isOpen(role)).length;
  const first = sorted[0];
  return {
    owner: first === undefined ? UNKNOWN_OWNER : ownerLabel(first.decision.owner),
    status,
    roles: sorted,
    nodeRoles: sorted.length,
    compliant: sorted.filter((role) => role.verdict === 'compliant').length + fixed,
    open: {
      critical: openOf('critical'),
      high: openOf('high'),
      medium: openOf('medium'),
      total: open.length,
    },
    indeterminate: sorted.filter((role) => role.verdict === 'indeterminate').length,
    exempt: sorted.filter((role) => role.verdict === 'exempt').length,
  };
}

/** The node roles with the untagged-node-role finding (no owner tag on the role, its node groups or clusters). */
export function untaggedRoles(roles: readonly RoleAudit[]): RoleAudit[] {
  return roles
    .filter((role) => role.decision.owner?.status === 'untagged')
    .sort((a, b) => compareText(a.roleName, b.roleName));
}

// ---- metrics ------------------------------------------------------------------------------------------

/** One owner's KPI figures as the metrics report them (dimension value already made safe). */
export interface OwnerMetricPoint {
  readonly owner: string;
  readonly nodeRoles: number;
  readonly compliant: number;
  readonly openViolations: number;
}

/** The dimension value of the owners beyond the cap, summed. */
export const OTHER_OWNERS = 'other';

/** CloudWatch dimension values: printable ASCII, 1 to 1024 characters, not blank; kept to 255 here. */
const MAX_DIMENSION_VALUE = 255;

/** The owner as a CloudWatch dimension value: non-ASCII characters become `?`, blank becomes `unknown`. */
export function ownerDimensionValue(owner: string): string {
  const ascii = owner
    .replace(/[^\x20-\x7e]/gu, '?')
    .trim()
    .slice(0, MAX_DIMENSION_VALUE)
    .trim();
  return ascii === '' ? UNKNOWN_OWNER : ascii;
}

/**
 * Per-owner metric points with at most `maxOwners` owner values: the owners with the most node roles (ties by
 * name) keep their own value, the rest are summed under `other`; `untagged` and `unknown` always keep theirs. Each
 * distinct value is a custom metric per metric name, so the cap bounds the cost (docs/kpis.md).
 */
export function ownerMetricPoints(groups: readonly OwnerGroup[], maxOwners: number): OwnerMetricPoint[] {
  const point = (owner: string, members: readonly OwnerGroup[]): OwnerMetricPoint => ({
    owner,
    nodeRoles: members.reduce((sum, group) => sum + group.nodeRoles, 0),
    compliant: members.reduce((sum, group) => sum + group.compliant, 0),
    openViolations: members.reduce((sum, group) => sum + group.open.total, 0),
  });
  const owned = groups
    .filter((group) => group.status === 'owned')
    .sort((a, b) => b.nodeRoles - a.nodeRoles || compareText(a.owner, b.owner));
  const kept = owned.slice(0, Math.max(0, maxOwners));
  const rest = owned.slice(kept.length);
  // Owners that look the same once made ASCII share one value (their figures add up).
  const byValue = new Map<string, OwnerGroup[]>();
  for (const group of kept) {
    const value = ownerDimensionValue(group.owner);
    byValue.set(value, [...(byValue.get(value) ?? []), group]);
  }
  const points = [...byValue.entries()].map(([value, members]) => point(value, members));
  if (rest.length > 0) points.push(point(OTHER_OWNERS, rest));
  for (const status of ['untagged', 'unknown'] as const) {
    const members = groups.filter((group) => group.status === status);
    if (members.length > 0)
      points.push(point(status === 'untagged' ? UNTAGGED_OWNER : UNKNOWN_OWNER, members));
  }
  return points;
}
