// Presenters (pure, shared by notify and report): short phrases about one audited node role, used by the table,
// SARIF and the sweep digest.
import type { RoleAudit } from '../domain/audit-report';
import type { EksRegionWarning, PolicyKind } from '../domain/types';

/** What a renderer shows besides the report. */
export interface RenderExtras {
  /** EKS regions the collection could not read (they hold no evidence in this audit). */
  readonly eksWarnings?: readonly EksRegionWarning[];
  /** When the audited snapshot was captured (its `capturedAt`); the table's header shows it instead of today. */
  readonly capturedAt?: string;
}

const POLICY_KIND_LABEL: Readonly<Record<PolicyKind, string>> = {
  'aws-managed': 'AWS managed',
  'customer-managed': 'customer managed',
  inline: 'inline',
  'repository-policy': 'ECR repository',
  'registry-policy': 'ECR registry',
  'repository-creation-template': 'ECR creation template',
};

/** `ecr:A, ecr:B, ecr:C and 31 more`; `none` for an empty list. */
export function listWithMore(items: readonly string[], shown = 3, separator = ', '): string {
  if (items.length === 0) return 'none';
  const head = items.slice(0, shown).join(separator);
  return items.length > shown ? `${head} and ${items.length - shown} more` : head;
}

/** `4 ECR write actions (ecr:A, ecr:B, ecr:C and 1 more)`. */
export function writeActionsPhrase(role: RoleAudit, shown = 3): string {
  const count = role.writeActions.length;
  const noun = count === 1 ? 'action' : 'actions';
  return `${count} ECR write ${noun} (${listWithMore(role.writeActions, shown)})`;
}

/** The distinct policies whose statements grant the write actions, e.g. `PowerUser (AWS managed)`. */
export function grantSources(role: RoleAudit): string[] {
  const seen = new Set<string>();
  const sources: string[] = [];
  for (const { policy } of role.grants) {
    const label = `${policy.name} (${POLICY_KIND_LABEL[policy.kind]})`;
    if (seen.has(label)) continue;
    seen.add(label);
    sources.push(label);
  }
  return sources;
}

/**
 * Where the role is used: `eu-west-1/prod (ng-1, ng-gpu)`, clusters joined with `; `, or `self-managed nodes
 * (heuristic)` when only the trust-policy heuristic found it.
 */
export function wherePhrase(role: RoleAudit, maxClusters = 3): string {
  if (role.clusters.length === 0) {
    return role.evidenceKinds.includes('heuristic') ? 'self-managed nodes (heuristic)' : 'no cluster';
  }
  const parts = role.clusters.map(({ region, cluster }) => {
    const nodegroups = role.nodegroups
      .filter((ng) => ng.region === region && ng.cluster === cluster)
      .map((ng) => ng.nodegroup);
    return nodegroups.length === 0
      ? `${region}/${cluster}`
      : `${region}/${cluster} (${listWithMore(nodegroups, 3)})`;
  });
  return listWithMore(parts, maxClusters, '; ');
}

/** `until 2027-03-31 (129 days)`, `open-ended`, or `` when the role is not exempt. */
export function exemptionPhrase(role: RoleAudit): string {
  const exemption = role.exemption;
  if (exemption === null) return '';
  if (exemption.until === null) return 'open-ended';
  const days = role.exemptionEndsInDays;
  if (days === null) return `until ${exemption.until}`;
  const when = days === 0 ? 'ends today' : `${days} day${days === 1 ? '' : 's'}`;
  return `until ${exemption.until} (${when})`;
}
