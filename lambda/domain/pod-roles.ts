// Domain (pure): pod roles (trusted by EKS Pod Identity or by a cluster's IRSA OIDC issuer), whether each holds ECR
// push, and which cluster each serves: the KPI "workloads that push the right way", per cluster.
import { accountFromArn, roleNameFromArn } from './arn';
import { compareText } from './audit-report';
import { IMAGE_PUSH_WRITE_ACTIONS } from './catalogue';
import { decodeDocument } from './policy-json';
import { coversAction, field, statementsOf, stringList } from './trust-statements';
import type { EksInventory } from './types';

/** The service principal EKS Pod Identity assumes roles as (AWS-FACTS §7, §16). */
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

export type PodRoleVia = 'pod-identity' | 'irsa';

/** What a trust policy says about pods: trusted by Pod Identity, and the OIDC providers (IRSA) it trusts. */
export interface PodRoleTrust {
  readonly podIdentity: boolean;
  /** The trusted providers' `<issuer host>/<path>` (the ARN after `oidc-provider/`), lower-cased, sorted. */
  readonly oidcProviders: readonly string[];
}

/** `push`: every write action of an image push; `unknown`: a policy could not be read or understood. */
export type PushStatus = 'push' | 'no-push' | 'unknown';

/** A pod role as the audit read it (trust and ECR write analysis), before it is tied to clusters. */
export interface PodRoleCandidate {
  readonly roleName: string;
  readonly roleArn: string;
  readonly trust: PodRoleTrust;
  /** ECR write actions in effect (beyond the pull allowance), from the same analysis as node roles. */
  readonly writeActions: readonly string[];
  /** Policies the analysis could not use (unreadable, not understood): no `no-push` verdict then. */
  readonly unusablePolicies: number;
}

export interface PodRoleCluster {
  readonly region: string;
  readonly cluster: string;
  readonly via: PodRoleVia;
  /** `namespace/serviceAccount` of the cluster's Pod Identity associations naming the role (none for IRSA). */
  readonly serviceAccounts: readonly string[];
}

export interface PodRoleAudit {
  readonly roleName: string;
  readonly roleArn: string;
  readonly via: readonly PodRoleVia[];
  readonly push: PushStatus;
  /** The image-push write actions the role holds, sorted. */
  readonly pushActions: readonly string[];
  /** Where the role serves pods; empty: no association or known issuer ties it to a cluster. */
  readonly clusters: readonly PodRoleCluster[];
}

export interface ClusterPodRoles {
  readonly region: string;
  readonly cluster: string;
  /** Pod roles tied to the cluster. */
  readonly podRoles: number;
  /** Of them, those that hold ECR push: the workloads that push the right way. */
  readonly withPush: number;
  /** Of them, those whose push could not be judged. */
  readonly pushUnknown: number;
  /** The names of the pod roles with push, sorted. */
  readonly pushRoles: readonly string[];
  /** What could not be seen of the cluster's pod roles (not recorded, not readable); empty when complete. */
  readonly unknowns: readonly string[];
}

export interface PodRoleReport {
  /** Every pod role that is not a node role, sorted by name. */
  readonly roles: readonly PodRoleAudit[];
  /** Every cluster of the inventory, sorted by region then name. */
  readonly clusters: readonly ClusterPodRoles[];
  readonly summary: {
    readonly podRoles: number;
    /** Pod roles with push, counted once however many clusters they serve. */
    readonly withPush: number;
    readonly pushUnknown: number;
    /** Pod roles tied to no cluster (no association; an issuer of no cluster read). */
    readonly unattributed: number;
    /** Clusters with at least one pod role that pushes. */
    readonly clustersWithPush: number;
  };
}

const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';
const ASSUME_ROLE_ACTION = 'sts:AssumeRole';
const PROVIDER_MARKER = ':oidc-provider/';

/**
 * The pod part of a trust policy, null when pods cannot assume the role: an Allow whose Principal.Service names
 * `pods.eks.amazonaws.com` and whose actions cover sts:AssumeRole (Pod Identity), or an Allow whose
 * Principal.Federated names an `oidc-provider/` ARN and whose actions cover sts:AssumeRoleWithWebIdentity (IRSA).
 */
export function podRoleTrust(trustPolicy: unknown): PodRoleTrust | null {
  let podIdentity = false;
  const providers = new Set<string>();
  for (const statement of statementsOf(decodeDocument(trustPolicy))) {
    if (field(statement, 'Effect') !== 'Allow') continue;
    const principal = field(statement, 'Principal');
    const services = stringList(field(principal, 'Service')).map((service) => service.toLowerCase());
    if (services.includes(POD_IDENTITY_PRINCIPAL) && coversAction(statement, ASSUME_ROLE_ACTION))
      podIdentity = true;
    if (!coversAction(statement, WEB_IDENTITY_ACTION)) continue;
    for (const federated of stringList(field(principal, 'Federated'))) {
      const at = federated.indexOf(PROVIDER_MARKER);
      if (at >= 0) providers.add(normaliseIssuer(federated.slice(at + PROVIDER_MARKER.length)));
    }
  }
  if (!podIdentity && providers.size === 0) return null;
  return { podIdentity, oidcProviders: [...providers].sort(compareText) };
}

/** `https://oidc.eks.eu-west-1.amazonaws.com/id/AB12` → `oidc.eks.eu-west-1.amazonaws.com/id/ab12`. */
export function normaliseIssuer(issuer: string): string {
  return issuer
    .trim()
    .replace(/^https:\/\//i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/** Push when every write action of an image push is in effect; unknown when short of it and a policy is unusable. */
export function pushStatus(candidate: Pick<PodRoleCandidate, 'writeActions' | 'unusablePolicies'>): {
  readonly push: PushStatus;
  readonly pushActions: readonly string[];
} {
  const held = new Set(candidate.writeActions);
  const pushActions = IMAGE_PUSH_WRITE_ACTIONS.filter((action) => held.has(action));
  if (pushActions.length === IMAGE_PUSH_WRITE_ACTIONS.length) return { push: 'push', pushActions };
  return { push: candidate.unusablePolicies > 0 ? 'unknown' : 'no-push', pushActions };
}

/**
 * Ties each pod role to the clusters it serves and counts, per cluster, those that hold push. A Pod Identity role
 * serves the clusters whose associations name it (same account and role name: an association's ARN may spell the
 * path differently); an IRSA role the clusters whose OIDC issuer it trusts. Node roles (`nodeRoleNames`, any
 * case) are left out: they are the node-role KPIs'. A cluster whose associations or issuer are not known says so.
 */
export function classifyPodRoles(
  inventory: EksInventory,
  candidates: readonly PodRoleCandidate[],
  nodeRoleNames: Iterable<string>,
): PodRoleReport {
  const nodeRoles = new Set([...nodeRoleNames].map((name) => name.toLowerCase()));
  const clusters = clusterFacts(inventory);
  const roles = candidates
    .filter((candidate) => !nodeRoles.has(candidate.roleName.toLowerCase()))
    .map((candidate) => auditOne(candidate, clusters))
    .sort((a, b) => compareText(a.roleName, b.roleName));
  const perCluster = clusters.map((facts) => clusterSummary(facts, roles));
  const count = (predicate: (role: PodRoleAudit) => boolean) => roles.filter(predicate).length;
  return {
    roles,
    clusters: perCluster,
    summary: {
      podRoles: roles.length,
      withPush: count((role) => role.push === 'push'),
      pushUnknown: count((role) => role.push === 'unknown'),
      unattributed: count((role) => role.clusters.length === 0),
      clustersWithPush: perCluster.filter((cluster) => cluster.withPush > 0).length,
    },
  };
}

// ---- clusters -------------------------------------------------------------------------------------

interface ClusterFacts {
  readonly region: string;
  readonly cluster: string;
  /** Normalised issuer, null when not recorded. */
  readonly issuer: string | null;
  /** `account/role name` (lower-cased) → `namespace/serviceAccount` entries. */
  readonly associations: ReadonlyMap<string, readonly string[]>;
  readonly unknowns: readonly string[];
}

function clusterFacts(inventory: EksInventory): ClusterFacts[] {
  const facts: ClusterFacts[] = [];
  for (const [region, { clusters }] of Object.entries(inventory)) {
    for (const cluster of clusters) {
      const unknowns: string[] = [];
      const issuer = cluster.identity?.oidc?.issuer;
      if (issuer === undefined)
        unknowns.push('OIDC issuer not recorded: IRSA roles cannot be tied to the cluster');
      const error = cluster.podIdentityAssociationsError;
      if (error !== undefined) {
        unknowns.push(`Pod Identity associations not readable (${error.code}: ${error.message})`);
      } else if (cluster.podIdentityAssociations === undefined) {
        unknowns.push('Pod Identity associations not recorded');
      }
      const associations = new Map<string, string[]>();
      for (const association of cluster.podIdentityAssociations ?? []) {
        const key = roleKey(association.roleArn);
        const entries = associations.get(key) ?? [];
        entries.push(`${association.namespace}/${association.serviceAccount}`);
        associations.set(key, entries);
      }
      facts.push({
        region,
        cluster: cluster.name,
        issuer: issuer === undefined ? null : normaliseIssuer(issuer),
        associations,
        unknowns,
      });
    }
  }
  return facts.sort((a, b) => compareText(a.region, b.region) || compareText(a.cluster, b.cluster));
}

function auditOne(candidate: PodRoleCandidate, clusters: readonly ClusterFacts[]): PodRoleAudit {
  const key = roleKey(candidate.roleArn);
  const providers = new Set(candidate.trust.oidcProviders);
  const served: PodRoleCluster[] = [];
  for (const facts of clusters) {
    const where = { region: facts.region, cluster: facts.cluster };
    const serviceAccounts = facts.associations.get(key);
    if (candidate.trust.podIdentity && serviceAccounts !== undefined) {
      served.push({ ...where, via: 'pod-identity', serviceAccounts: [...serviceAccounts].sort(compareText) });
    }
    if (facts.issuer !== null && providers.has(facts.issuer)) {
      served.push({ ...where, via: 'irsa', serviceAccounts: [] });
    }
  }
  const via: PodRoleVia[] = [
    ...(candidate.trust.podIdentity ? (['pod-identity'] as const) : []),
    ...(candidate.trust.oidcProviders.length > 0 ? (['irsa'] as const) : []),
  ];
  return {
    roleName: candidate.roleName,
    roleArn: candidate.roleArn,
    via,
    ...pushStatus(candidate),
    clusters: served,
  };
}

function clusterSummary(facts: ClusterFacts, roles: readonly PodRoleAudit[]): ClusterPodRoles {
  const here = roles.filter((role) =>
    role.clusters.some((use) => use.region === facts.region && use.cluster === facts.cluster),
  );
  const pushRoles = here.filter((role) => role.push === 'push').map((role) => role.roleName);
  return {
    region: facts.region,
    cluster: facts.cluster,
    podRoles: here.length,
    withPush: pushRoles.length,
    pushUnknown: here.filter((role) => role.push === 'unknown').length,
    pushRoles,
    unknowns: facts.unknowns,
  };
}

/** Role names are unique per account ignoring case and path. */
function roleKey(roleArn: string): string {
  return `${accountFromArn(roleArn) ?? ''}/${(roleNameFromArn(roleArn) ?? roleArn).toLowerCase()}`;
}
