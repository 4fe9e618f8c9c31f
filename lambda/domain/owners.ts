// Domain (pure): who owns an EKS node role: the first configured owner tag on the role, else on a node group that
// uses it, else on a cluster that uses it; `untagged` (a low-severity finding of its own) or `unknown` (tags unread).
import type { Decision, EksClusterRecord, EksInventory, NodeRoleEvidence } from './types';

/** Where the owner came from, most specific first: the role's own tags beat its node group's, which beat its cluster's. */
export type OwnerLevel = 'role' | 'nodegroup' | 'cluster';
export const OWNER_LEVELS: readonly OwnerLevel[] = ['role', 'nodegroup', 'cluster'];

/** The resource whose tag named the owner. */
export interface OwnerSource {
  readonly level: OwnerLevel;
  /** The tag key as the resource stores it (its case may differ from the configured key). */
  readonly tagKey: string;
  /** For node groups and clusters. */
  readonly region?: string;
  readonly cluster?: string;
  /** For node groups. */
  readonly nodegroup?: string;
}

/** A node role with no owner tag anywhere: a finding of its own, low severity, never remediated. */
export interface OwnerFinding {
  readonly kind: 'untagged-node-role';
  readonly severity: 'low';
}

export const UNTAGGED_FINDING: OwnerFinding = { kind: 'untagged-node-role', severity: 'low' };

/** The owner word for a role with no owner tag anywhere, and for one whose tags could not all be read. */
export const UNTAGGED_OWNER = 'untagged';
export const UNKNOWN_OWNER = 'unknown';

/**
 * The owner of a node role. `owned`: `owner` is the tag's value and `source` says where it was found. `untagged`:
 * every tag was read and none names an owner (`finding` is set). `unknown`: some tags could not be read (AccessDenied,
 * a snapshot that did not record them, a node group EKS does not list yet) and none of those read names an owner.
 */
export interface OwnerResolution {
  readonly status: 'owned' | 'untagged' | 'unknown';
  readonly owner: string | null;
  readonly source: OwnerSource | null;
  /** Different owners found on the same level (a role shared by node groups of several teams), sorted. */
  readonly otherOwners?: readonly string[];
  /** What could not be read (`node group ng-1 (eu-west-1/prod): tags not recorded`), when anything. */
  readonly unread?: readonly string[];
  /** For `untagged` and `unknown`: why, in a sentence. */
  readonly reason?: string;
  /** For `untagged` only. */
  readonly finding?: OwnerFinding;
}

export interface OwnerInputs {
  /** The role's tags; null when they could not be read. */
  readonly roleTags: Readonly<Record<string, string>> | null;
  readonly evidence: readonly NodeRoleEvidence[];
  /** Where node group and cluster tags are read (a record without `tags` has unread tags). */
  readonly inventory: EksInventory;
  /** Owner tag keys, in order of preference (config `ownerTagKeys`). */
  readonly keys: readonly string[];
}

interface TagMatch {
  readonly key: string;
  readonly value: string;
}

/**
 * The first configured key the tags hold with a non-blank value. Keys compare ignoring case: IAM keeps a key's case
 * but refuses two keys that differ only in case, so `Owner` is the `owner` tag. EKS tags are case-sensitive and may
 * hold both spellings: the exact spelling wins, then the others in code-unit order, so the answer is deterministic.
 */
export function ownerTag(tags: Readonly<Record<string, string>>, keys: readonly string[]): TagMatch | null {
  const entries = Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const wanted of keys) {
    const folded = wanted.toLowerCase();
    const candidates = [
      ...entries.filter(([key]) => key === wanted),
      ...entries.filter(([key]) => key !== wanted && key.toLowerCase() === folded),
    ];
    for (const [key, value] of candidates) {
      const trimmed = value.trim();
      if (trimmed !== '') return { key, value: trimmed };
    }
  }
  return null;
}

interface Tagged {
  /** `node group ng-1 (eu-west-1/prod)`, `cluster eu-west-1/prod`. */
  readonly label: string;
  readonly source: Omit<OwnerSource, 'tagKey' | 'level'>;
  /** undefined: not read (or the resource is not in the inventory). */
  readonly tags: Readonly<Record<string, string>> | undefined;
  /** Why the tags are unread, when they are. */
  readonly unreadWhy: string;
}

const NOT_RECORDED = 'tags not recorded';

function findCluster(inventory: EksInventory, region: string, name: string): EksClusterRecord | undefined {
  return inventory[region]?.clusters.find((cluster) => cluster.name === name);
}

function nodegroupsOf(inputs: OwnerInputs): Tagged[] {
  const seen = new Map<string, Tagged>();
  for (const item of inputs.evidence) {
    if (item.kind !== 'managed-nodegroup' || item.region === null || item.cluster === null) continue;
    if (item.nodegroup === undefined) continue;
    const { region, cluster, nodegroup } = item;
    const record = findCluster(inputs.inventory, region, cluster)?.nodegroups.find(
      (candidate) => candidate.nodegroupName === nodegroup,
    );
    seen.set(`${region}\u0000${cluster}\u0000${nodegroup}`, {
      label: `node group ${nodegroup} (${region}/${cluster})`,
      source: { region, cluster, nodegroup },
      tags: record?.tags,
      unreadWhy: record === undefined ? 'not in the EKS inventory yet' : NOT_RECORDED,
    });
  }
  return sortedValues(seen);
}

function clustersOf(inputs: OwnerInputs): Tagged[] {
  const seen = new Map<string, Tagged>();
  for (const { region, cluster } of inputs.evidence) {
    if (region === null || cluster === null) continue;
    const record = findCluster(inputs.inventory, region, cluster);
    seen.set(`${region}\u0000${cluster}`, {
      label: `cluster ${region}/${cluster}`,
      source: { region, cluster },
      tags: record?.tags,
      unreadWhy: record === undefined ? 'not in the EKS inventory yet' : NOT_RECORDED,
    });
  }
  return sortedValues(seen);
}

function sortedValues(map: ReadonlyMap<string, Tagged>): Tagged[] {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, value]) => value);
}

/**
 * The owner of a node role: the role's own owner tag; else the first node group that uses it (by region, cluster,
 * node group) with one; else the first such cluster. Whatever could not be read is listed in `unread`; when nothing
 * read names an owner, the owner is `unknown` if something was unread, else `untagged` (with the low finding).
 */
export function resolveOwner(inputs: OwnerInputs): OwnerResolution {
  const unread: string[] = [];
  if (inputs.roleTags === null) unread.push('the role: tags not readable');
  else {
    const match = ownerTag(inputs.roleTags, inputs.keys);
    if (match !== null)
      return { status: 'owned', owner: match.value, source: { level: 'role', tagKey: match.key } };
  }
  const levels: readonly [OwnerLevel, Tagged[]][] = [
    ['nodegroup', nodegroupsOf(inputs)],
    ['cluster', clustersOf(inputs)],
  ];
  for (const [level, resources] of levels) {
    const found: { match: TagMatch; resource: Tagged }[] = [];
    for (const resource of resources) {
      if (resource.tags === undefined) {
        unread.push(`${resource.label}: ${resource.unreadWhy}`);
        continue;
      }
      const match = ownerTag(resource.tags, inputs.keys);
      if (match !== null) found.push({ match, resource });
    }
    const first = found[0];
    if (first === undefined) continue;
    const others = [...new Set(found.map(({ match }) => match.value))].filter((v) => v !== first.match.value);
    return {
      status: 'owned',
      owner: first.match.value,
      source: { level, tagKey: first.match.key, ...first.resource.source },
      ...(others.length === 0 ? {} : { otherOwners: others.sort() }),
      ...(unread.length === 0 ? {} : { unread }),
    };
  }
  const keys = inputs.keys.join(' or ');
  const where = ['the role', ...levels.flatMap(([, resources]) => resources.map((r) => r.label))];
  if (unread.length > 0) {
    return {
      status: 'unknown',
      owner: null,
      source: null,
      unread,
      reason: `no ${keys} tag found, and some tags could not be read (${unread.join('; ')})`,
    };
  }
  return {
    status: 'untagged',
    owner: null,
    source: null,
    reason: `no ${keys} tag on ${listed(where)}`,
    finding: UNTAGGED_FINDING,
  };
}

/** The owner is `unknown` because the role (or the EKS inventory) could not be read at all. */
export function unknownOwner(why: string): OwnerResolution {
  return { status: 'unknown', owner: null, source: null, reason: why };
}

/** The decision with its owner. */
export function withOwner(decision: Decision, owner: OwnerResolution): Decision {
  return { ...decision, owner };
}

/**
 * A node role's decision with its owner resolved from `inputs`; unchanged when no owner keys are configured
 * (`keys` undefined) or the role is no node role (no evidence).
 */
export function withResolvedOwner(
  decision: Decision,
  inputs: Omit<OwnerInputs, 'keys'> & { readonly keys: readonly string[] | undefined },
): Decision {
  const { keys } = inputs;
  if (keys === undefined || inputs.evidence.length === 0) return decision;
  return withOwner(decision, resolveOwner({ ...inputs, keys }));
}

/** The decision with owner `unknown` (why: what could not be read); unchanged when no owner keys are configured. */
export function withUnknownOwner(
  decision: Decision,
  keys: readonly string[] | undefined,
  why: string,
): Decision {
  return keys === undefined ? decision : withOwner(decision, unknownOwner(why));
}

/** The owner as one word for grouping, filters and metrics: the tag's value, `untagged` or `unknown`. */
export function ownerLabel(owner: OwnerResolution | null | undefined): string {
  if (owner === null || owner === undefined) return UNKNOWN_OWNER;
  if (owner.status === 'owned' && owner.owner !== null) return owner.owner;
  return owner.status === 'untagged' ? UNTAGGED_OWNER : UNKNOWN_OWNER;
}

/** Where the owner came from: `role tag owner`, `tag team of node group ng-1 (eu-west-1/prod)`. */
export function ownerSourcePhrase(source: OwnerSource): string {
  const where = `${source.region ?? '?'}/${source.cluster ?? '?'}`;
  switch (source.level) {
    case 'role':
      return `role tag ${source.tagKey}`;
    case 'nodegroup':
      return `tag ${source.tagKey} of node group ${source.nodegroup ?? '?'} (${where})`;
    case 'cluster':
      return `tag ${source.tagKey} of cluster ${where}`;
  }
}

/** `team-a (role tag owner)`, `untagged (no owner or team tag on ...)`, `unknown (...)`. */
export function ownerPhrase(owner: OwnerResolution): string {
  if (owner.status === 'owned' && owner.source !== null) {
    const others = owner.otherOwners ?? [];
    const also = others.length === 0 ? '' : `; also ${others.join(', ')}`;
    return `${ownerLabel(owner)} (${ownerSourcePhrase(owner.source)}${also})`;
  }
  return `${ownerLabel(owner)} (${owner.reason ?? 'no owner found'})`;
}

/** True when the decision carries the untagged-node-role finding. */
export function isUntagged(decision: Pick<Decision, 'owner'>): boolean {
  return decision.owner?.status === 'untagged';
}

function listed(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
