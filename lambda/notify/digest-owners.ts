// Notify (pure): the sweep digest's owner sections: node roles grouped by owner (open violations and roles that need a
// look named under their owner), and the low-severity untagged-node-role finding, one line a role.
import type { AuditReport, RoleAudit } from '../domain/audit-report';
import { groupByOwner, type OwnerGroup, untaggedRoles } from '../domain/owner-report';
import { andMore, heading, singleLine, truncate } from '../present/text';

const INDENT = '  ';
/** Most owners listed, and most roles named under one owner; the counts always cover every role. */
const MAX_OWNERS = 50;
const MAX_ROLES_PER_OWNER = 10;
const MAX_UNTAGGED = 50;
const MAX_FIELD = 300;

const field = (text: string): string => truncate(singleLine(text), MAX_FIELD);
const plural = (count: number, one: string): string => `${count} ${one}${count === 1 ? '' : 's'}`;

/** `ml-team: 3 node roles, 1 open violation (high 1), 1 to check`. */
function groupLine(group: OwnerGroup): string {
  const { open } = group;
  const severities = (['critical', 'high', 'medium'] as const)
    .filter((severity) => open[severity] > 0)
    .map((severity) => `${severity} ${open[severity]}`);
  const openText =
    open.total === 0
      ? 'no open violation'
      : `${plural(open.total, 'open violation')} (${severities.join(', ')})`;
  const check = group.indeterminate === 0 ? '' : `, ${group.indeterminate} to check`;
  return `${INDENT}${field(group.owner)}: ${plural(group.nodeRoles, 'node role')}, ${openText}${check}`;
}

/** The roles of a group a person acts on: open violations (most severe first), then the ones to check. */
function roleLines(group: OwnerGroup, isOpen: (role: RoleAudit) => boolean): string[] {
  const rank = { critical: 0, high: 1, medium: 2 } as const;
  const violations = group.roles
    .filter((role) => role.verdict === 'violation' && isOpen(role))
    .sort((a, b) => rank[a.severity ?? 'medium'] - rank[b.severity ?? 'medium']);
  const toCheck = group.roles.filter((role) => role.verdict === 'indeterminate');
  const named = [
    ...violations.map((role) => `[${(role.severity ?? 'unknown').toUpperCase()}] ${field(role.roleName)}`),
    ...toCheck.map((role) => `[CHECK] ${field(role.roleName)}`),
  ];
  const shown = named.slice(0, MAX_ROLES_PER_OWNER).map((text) => `${INDENT}${INDENT}${text}`);
  const more = named.length - shown.length;
  return more > 0 ? [...shown, `${INDENT}${INDENT}${andMore(more, '')}`] : shown;
}

/**
 * `BY OWNER`: every owner (tag value, then `untagged`, then `unknown`) with its node roles and open violations, the
 * roles to act on named under it; `UNTAGGED NODE ROLES`: each role with no owner tag and where none was found.
 * Empty when the report carries no owners.
 */
export function ownerDigestSections(report: AuditReport, isOpen: (role: RoleAudit) => boolean): string[] {
  if (report.summary.untaggedNodeRoles === undefined || report.roles.length === 0) return [];
  const groups = groupByOwner(report.roles, isOpen);
  const shown = groups.slice(0, MAX_OWNERS);
  const moreOwners = groups.length - shown.length;
  const byOwner = [
    '',
    ...heading(`BY OWNER (${groups.length})`),
    ...shown.flatMap((group) => [groupLine(group), ...roleLines(group, isOpen)]),
    ...(moreOwners > 0 ? [`${INDENT}${andMore(moreOwners, 'owners not listed')}`] : []),
  ];
  return [...byOwner, ...untaggedSection(report)];
}

function untaggedSection(report: AuditReport): string[] {
  const roles = untaggedRoles(report.roles);
  if (roles.length === 0) return [];
  const shown = roles.slice(0, MAX_UNTAGGED).map((role) => {
    const reason = role.decision.owner?.reason ?? 'no owner tag';
    return `${INDENT}[LOW] ${field(role.roleName)}: ${field(reason)}`;
  });
  const more = roles.length - shown.length;
  return [
    '',
    ...heading(`UNTAGGED NODE ROLES (${roles.length}, low: tag the role, its node group or its cluster)`),
    ...shown,
    ...(more > 0 ? [`${INDENT}${andMore(more, '')}`] : []),
  ];
}
