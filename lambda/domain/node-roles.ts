// Domain (pure): decides whether an IAM role is an EKS node role, from the EKS inventory (managed node
// groups, access entries, Auto Mode, Fargate profiles) and a trust-policy + worker-policy heuristic.
import { awsManagedPolicyName, isIamRoleArn, roleNameFromArn } from './arn';
import { NODE_WORKER_POLICIES } from './managed-policies';
import { decodeDocument } from './policy-json';
import { coversAction, field, statementsOf, stringList } from './trust-statements';
import type {
  AttachedPolicy,
  Decision,
  EksClusterNote,
  EksClusterRecord,
  EksInventory,
  NodeRoleEvidence,
} from './types';

/** Role NAME (last ARN segment, as events carry names and EKS ARNs may carry paths) → its EKS evidence. */
export type NodeRoleIndex = ReadonlyMap<string, readonly NodeRoleEvidence[]>;

/** What the evidence needs to know about a role (a RoleRecord satisfies it). */
export interface NodeRoleCandidate {
  readonly name: string;
  readonly trustPolicy: unknown;
  readonly attachedPolicies: readonly AttachedPolicy[];
}

/**
 * Access-entry types that make the principal a node identity. FARGATE_LINUX is included: it is the entry
 * EKS creates for a Fargate pod execution role, and it is reported as `access-entry` evidence with its
 * type (a Fargate profile for the same role adds separate `fargate-profile` evidence). STANDARD (people
 * and workloads) and any type not listed here are not node evidence.
 */
export const NODE_ACCESS_ENTRY_TYPES: ReadonlySet<string> = new Set([
  'EC2_LINUX',
  'EC2_WINDOWS',
  'EC2',
  'HYBRID_LINUX',
  'HYPERPOD_LINUX',
  'FARGATE_LINUX',
]);

/** Service principals of EC2 in the commercial/GovCloud and China partitions. */
const EC2_SERVICE_PRINCIPALS: ReadonlySet<string> = new Set(['ec2.amazonaws.com', 'ec2.amazonaws.com.cn']);

const ASSUME_ROLE_ACTION = 'sts:assumerole';

/** Builds the EKS side of the evidence once per inventory; look roles up with `nodeRoleEvidence`. */
export function buildNodeRoleIndex(inventory: EksInventory): NodeRoleIndex {
  const index = new Map<string, NodeRoleEvidence[]>();
  const add = (roleArn: string, evidence: NodeRoleEvidence): void => {
    const name = roleNameFromArn(roleArn);
    if (name === null || !isIamRoleArn(roleArn)) return;
    const list = index.get(name) ?? [];
    if (!list.some((known) => sameEvidence(known, evidence))) list.push(evidence);
    index.set(name, list);
  };
  for (const region of Object.keys(inventory).sort()) {
    for (const cluster of inventory[region]?.clusters ?? []) {
      for (const { roleArn, evidence } of clusterEvidence(region, cluster)) add(roleArn, evidence);
    }
  }
  return index;
}

/**
 * Every piece of evidence that `role` is an EKS node role: the EKS evidence from the index (looked up
 * by name; a case-only difference still matches, as IAM role names are unique ignoring case) and the
 * heuristic (EC2 may assume the role AND a worker-node policy is attached), deduplicated.
 */
export function nodeRoleEvidence(role: NodeRoleCandidate, index: NodeRoleIndex): NodeRoleEvidence[] {
  const evidence: NodeRoleEvidence[] = [];
  const push = (item: NodeRoleEvidence): void => {
    if (!evidence.some((known) => sameEvidence(known, item))) evidence.push(item);
  };
  for (const item of indexEntriesFor(role.name, index)) push(item);
  const heuristic = heuristicEvidence(role);
  if (heuristic !== null) push(heuristic);
  return evidence;
}

/**
 * The evidence with what an EKS call itself says (CreateNodegroup & co. name the role before DescribeNodegroup
 * shows it: the resource is CREATING). Added unless the inventory already holds the same tie (same kind, region,
 * cluster and node group, access-entry type or Fargate profile), so a role is not listed twice once EKS shows it.
 */
export function withEventEvidence(
  evidence: readonly NodeRoleEvidence[],
  fromEvent: NodeRoleEvidence,
): NodeRoleEvidence[] {
  const known = evidence.some((item) => sameTie(item, fromEvent));
  return known ? [...evidence] : [...evidence, fromEvent];
}

/** Services whose principal a node role trusts: EC2 (nodes) and EKS Fargate (pod execution roles). */
const NODE_TRUST_SERVICES: ReadonlySet<string> = new Set([
  ...EC2_SERVICE_PRINCIPALS,
  'eks-fargate-pods.amazonaws.com',
]);

/**
 * Whether a trust policy lets EC2 or EKS Fargate assume the role: only then can a new trust policy make the
 * role an EKS node role. An unreadable document counts as yes (the role is then re-read, never guessed).
 */
export function trustMakesNodeRoleCandidate(trustPolicy: unknown): boolean {
  const document = decodeDocument(trustPolicy);
  if (document === null) return true;
  return trustAllowsServices(document, NODE_TRUST_SERVICES);
}

export function isNodeRole(evidence: readonly NodeRoleEvidence[]): boolean {
  return evidence.length > 0;
}

export interface ExposedCluster {
  readonly region: string;
  readonly cluster: string;
}

/** The clusters whose nodes use the role: unique region/cluster pairs, sorted by region then cluster. */
export function exposedClusters(evidence: readonly NodeRoleEvidence[]): ExposedCluster[] {
  const seen = new Map<string, ExposedCluster>();
  for (const { region, cluster } of evidence) {
    if (region === null || cluster === null) continue;
    seen.set(`${region}\u0000${cluster}`, { region, cluster });
  }
  return [...seen.values()].sort(
    (a, b) => compareText(a.region, b.region) || compareText(a.cluster, b.cluster),
  );
}

// ---- what the evidence cannot see ---------------------------------------------------------------

/** The authentication modes in which the aws-auth ConfigMap (readable only through Kubernetes) maps nodes. */
const CONFIG_MAP_MODES: ReadonlySet<string> = new Set(['CONFIG_MAP', 'API_AND_CONFIG_MAP']);

/**
 * Every cluster of the inventory whose node mappings AWS APIs cannot fully show, sorted by region then cluster:
 * access entries that could not be read, and clusters whose recorded mode uses aws-auth. A cluster whose mode
 * is not recorded (a snapshot from before `accessConfig`) gets no aws-auth note: nothing is known of it.
 */
export function clusterNotes(inventory: EksInventory): EksClusterNote[] {
  const notes: EksClusterNote[] = [];
  for (const region of Object.keys(inventory).sort()) {
    const clusters = [...(inventory[region]?.clusters ?? [])].sort((a, b) => compareText(a.name, b.name));
    for (const cluster of clusters) {
      const mode = cluster.accessConfig?.authenticationMode ?? null;
      const base = { region, cluster: cluster.name, authenticationMode: mode };
      if (cluster.accessEntriesError !== undefined) {
        const { code, message } = cluster.accessEntriesError;
        notes.push({ kind: 'access-entries-unreadable', ...base, error: { code, message } });
      }
      if (mode !== null && CONFIG_MAP_MODES.has(mode)) notes.push({ kind: 'aws-auth-not-visible', ...base });
    }
  }
  return notes;
}

/**
 * The notes that matter for one role: every unreadable access-entry list (it may hold the role), and the aws-auth
 * notes when no EKS evidence ties the role to a cluster (the heuristic, or nothing, is all there is).
 */
export function clusterNotesForRole(
  notes: readonly EksClusterNote[],
  evidence: readonly NodeRoleEvidence[],
): EksClusterNote[] {
  const tiedToCluster = evidence.some((item) => item.cluster !== null);
  return notes.filter((note) => note.kind === 'access-entries-unreadable' || !tiedToCluster);
}

/** One line about a note, for warnings and reports. */
export function clusterNoteText(note: EksClusterNote): string {
  const where = `${note.region}/${note.cluster}`;
  if (note.kind === 'access-entries-unreadable') {
    const cause = note.error === undefined ? '' : ` (${note.error.code}: ${note.error.message})`;
    return `The access entries of EKS cluster ${where} could not be read${cause}; a node role named only there is not seen.`;
  }
  return (
    `EKS cluster ${where} is in ${note.authenticationMode ?? 'an'} authentication mode: node roles mapped only in its ` +
    'aws-auth ConfigMap cannot be seen through AWS APIs; the trust-policy heuristic is the evidence for them.'
  );
}

/**
 * The decision with the role's cluster notes: all on `nodeRole.clusterNotes`, and the unreadable access entries
 * also as warnings (they are a failure to read; the aws-auth notes are a limit of the APIs, said where the role's
 * use is shown). The decision is returned unchanged when no note applies.
 */
export function withClusterNotes(decision: Decision, notes: readonly EksClusterNote[]): Decision {
  const forRole = clusterNotesForRole(notes, decision.nodeRole.evidence);
  if (forRole.length === 0) return decision;
  const unreadable = forRole.filter((note) => note.kind === 'access-entries-unreadable').map(clusterNoteText);
  return {
    ...decision,
    nodeRole: { ...decision.nodeRole, clusterNotes: forRole },
    warnings: [...decision.warnings, ...unreadable],
  };
}

// ---- EKS evidence ---------------------------------------------------------------------------------

interface IndexedEvidence {
  readonly roleArn: string;
  readonly evidence: NodeRoleEvidence;
}

function clusterEvidence(region: string, cluster: EksClusterRecord): IndexedEvidence[] {
  const found: IndexedEvidence[] = [];
  const base = { region, cluster: cluster.name } as const;
  for (const nodegroup of cluster.nodegroups) {
    const roleArn = nodegroup.nodeRole;
    found.push({
      roleArn,
      evidence: { kind: 'managed-nodegroup', ...base, nodegroup: nodegroup.nodegroupName, roleArn },
    });
  }
  for (const entry of cluster.accessEntries) {
    if (!NODE_ACCESS_ENTRY_TYPES.has(entry.type)) continue;
    const roleArn = entry.principalArn;
    found.push({
      roleArn,
      evidence: { kind: 'access-entry', ...base, accessEntryType: entry.type, roleArn },
    });
  }
  const autoMode = cluster.computeConfig;
  if (autoMode?.nodeRoleArn !== undefined && autoMode.enabled !== false) {
    const roleArn = autoMode.nodeRoleArn;
    found.push({ roleArn, evidence: { kind: 'auto-mode', ...base, roleArn } });
  }
  for (const profile of cluster.fargateProfiles) {
    const roleArn = profile.podExecutionRoleArn;
    found.push({
      roleArn,
      evidence: { kind: 'fargate-profile', ...base, fargateProfile: profile.fargateProfileName, roleArn },
    });
  }
  return found;
}

function indexEntriesFor(roleName: string, index: NodeRoleIndex): readonly NodeRoleEvidence[] {
  const exact = index.get(roleName) ?? [];
  const folded = roleName.toLowerCase();
  const caseVariants = [...index.entries()]
    .filter(([name]) => name !== roleName && name.toLowerCase() === folded)
    .flatMap(([, items]) => items);
  return caseVariants.length === 0 ? exact : [...exact, ...caseVariants];
}

// ---- heuristic ------------------------------------------------------------------------------------

function heuristicEvidence(role: NodeRoleCandidate): NodeRoleEvidence | null {
  const workerPolicy = attachedWorkerPolicy(role.attachedPolicies);
  if (workerPolicy === null || !trustAllowsEc2(role.trustPolicy)) return null;
  return {
    kind: 'heuristic',
    region: null,
    cluster: null,
    detail: `the trust policy lets ec2.amazonaws.com assume the role and ${workerPolicy} is attached (self-managed or aws-auth-mapped nodes)`,
  };
}

const WORKER_POLICIES: ReadonlySet<string> = new Set(NODE_WORKER_POLICIES);

function attachedWorkerPolicy(attached: readonly AttachedPolicy[]): string | null {
  for (const policy of attached) {
    // Cheap test on the ARN's last segment first: the audit asks this of every role in the account.
    if (!WORKER_POLICIES.has(policy.arn.slice(policy.arn.lastIndexOf('/') + 1))) continue;
    const name = awsManagedPolicyName(policy.arn);
    if (name !== null && WORKER_POLICIES.has(name)) return name;
  }
  return null;
}

/** An Allow statement whose Principal.Service names EC2 and whose Action covers sts:AssumeRole. */
export function trustAllowsEc2(trustPolicy: unknown): boolean {
  return trustAllowsServices(decodeDocument(trustPolicy), EC2_SERVICE_PRINCIPALS);
}

function trustAllowsServices(document: unknown, services: ReadonlySet<string>): boolean {
  return statementsOf(document).some(
    (statement) =>
      field(statement, 'Effect') === 'Allow' &&
      servicePrincipals(field(statement, 'Principal')).some((service) => services.has(service)) &&
      coversAction(statement, ASSUME_ROLE_ACTION),
  );
}

function servicePrincipals(principal: unknown): string[] {
  return stringList(field(principal, 'Service')).map((service) => service.toLowerCase());
}

// ---- helpers --------------------------------------------------------------------------------------

function sameEvidence(a: NodeRoleEvidence, b: NodeRoleEvidence): boolean {
  return sameTie(a, b) && a.roleArn === b.roleArn && a.detail === b.detail;
}

function sameTie(a: NodeRoleEvidence, b: NodeRoleEvidence): boolean {
  return (
    a.kind === b.kind &&
    a.region === b.region &&
    a.cluster === b.cluster &&
    a.nodegroup === b.nodegroup &&
    a.accessEntryType === b.accessEntryType &&
    a.fargateProfile === b.fargateProfile
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
