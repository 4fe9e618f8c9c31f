// Notify (pure): the pod-role part of the sweep's digest and KPIs: per cluster, the pod roles (EKS Pod Identity,
// IRSA) that hold ECR push, i.e. the workloads that push the right way, and what could not be seen.
import type { AuditReport } from '../domain/audit-report';
import type { ClusterPodRoles, PodRoleReport } from '../domain/pod-roles';
import { listWithMore } from '../present/describe';
import { andMore, heading, singleLine, truncate } from '../present/text';

/** The pod-role KPIs of a sweep (the PodRoles* metrics report them too). */
export interface PodRoleKpis {
  readonly podRolesTotal: number;
  /** Pod roles that hold ECR push, each counted once. */
  readonly podRolesWithPush: number;
  readonly podRolesPushUnknown: number;
  readonly clustersWithPodRolePush: number;
  readonly clustersTotal: number;
}

const INDENT = '  ';
/** Most clusters listed in the digest. */
const MAX_CLUSTERS = 50;
const MAX_FIELD = 300;
const field = (text: string): string => truncate(singleLine(text), MAX_FIELD);
const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/** Null when the report has no pod-role part (an audit built without it). */
export function podRoleKpis(report: Pick<AuditReport, 'podRoles'>): PodRoleKpis | null {
  const podRoles = report.podRoles;
  if (podRoles === undefined) return null;
  return {
    podRolesTotal: podRoles.summary.podRoles,
    podRolesWithPush: podRoles.summary.withPush,
    podRolesPushUnknown: podRoles.summary.pushUnknown,
    clustersWithPodRolePush: podRoles.summary.clustersWithPush,
    clustersTotal: podRoles.clusters.length,
  };
}

/** The SUMMARY row, next to the node-role KPIs; none without a pod-role part. */
export function podRoleKpiRows(report: Pick<AuditReport, 'podRoles'>): [string, string][] {
  const kpis = podRoleKpis(report);
  if (kpis === null) return [];
  const unknown = kpis.podRolesPushUnknown > 0 ? `, ${kpis.podRolesPushUnknown} unknown` : '';
  return [
    [
      'Pod-role push',
      `${kpis.podRolesWithPush} of ${plural(kpis.podRolesTotal, 'pod role')}${unknown}, in ${kpis.clustersWithPodRolePush} of ${plural(kpis.clustersTotal, 'cluster')}`,
    ],
  ];
}

/**
 * PUSH THROUGH POD ROLES: one line per cluster (the pod roles that push, how many pod roles in all, what could not
 * be seen), then the pod roles tied to no cluster. Nothing when the report has no pod-role part or no cluster.
 */
export function podRoleSection(report: Pick<AuditReport, 'podRoles'>): string[] {
  const podRoles = report.podRoles;
  if (podRoles === undefined || (podRoles.clusters.length === 0 && podRoles.roles.length === 0)) return [];
  const shown = podRoles.clusters.slice(0, MAX_CLUSTERS).map(clusterLine);
  const more = podRoles.clusters.length - shown.length;
  return [
    '',
    ...heading('PUSH THROUGH POD ROLES (EKS Pod Identity, IRSA): WORKLOADS THAT PUSH THE RIGHT WAY'),
    ...shown,
    ...(more > 0 ? [`${INDENT}${andMore(more, 'clusters: run eks-ecr-guard audit --live')}`] : []),
    ...unattributedLines(podRoles),
  ];
}

function clusterLine(cluster: ClusterPodRoles): string {
  const where = `${cluster.region}/${cluster.cluster}`;
  const pushing =
    cluster.withPush === 0
      ? 'no pod role holds ECR push'
      : `${plural(cluster.withPush, 'pod role')} ${cluster.withPush === 1 ? 'holds' : 'hold'} ECR push (${listWithMore(cluster.pushRoles.map(field))})`;
  const unknown = cluster.pushUnknown > 0 ? `, ${cluster.pushUnknown} unknown` : '';
  const seen = cluster.unknowns.length === 0 ? '' : `; not seen: ${field(cluster.unknowns.join('; '))}`;
  return `${INDENT}${where}: ${pushing}; ${plural(cluster.podRoles, 'pod role')} in all${unknown}${seen}`;
}

function unattributedLines(podRoles: PodRoleReport): string[] {
  const loose = podRoles.roles.filter((role) => role.clusters.length === 0);
  if (loose.length === 0) return [];
  const names = loose.map((role) => `${field(role.roleName)}${role.push === 'push' ? ' (push)' : ''}`);
  return [
    `${INDENT}Tied to no cluster read (no association; an issuer of no cluster read): ${listWithMore(names, 5)}`,
  ];
}
