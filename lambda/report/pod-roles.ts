// Report (pure): the pod-role part of `audit` output (table lines and JSON): per cluster, the pod roles (EKS Pod
// Identity, IRSA) that hold ECR push, the workloads that push the right way, and what could not be seen.
import type { AuditReport } from '../domain/audit-report';
import type { PodRoleAudit } from '../domain/pod-roles';
import { listWithMore } from '../present/describe';
import { singleLine } from '../present/text';

/** The table section; nothing when the report has no pod-role part or neither cluster nor pod role. */
export function podRoleTableLines(report: Pick<AuditReport, 'podRoles'>): string[] {
  const podRoles = report.podRoles;
  if (podRoles === undefined || (podRoles.clusters.length === 0 && podRoles.roles.length === 0)) return [];
  const { summary } = podRoles;
  const byName = new Map(podRoles.roles.map((role) => [role.roleName, role]));
  const lines = podRoles.clusters.map((cluster) => {
    const where = `${cluster.region}/${cluster.cluster}`;
    const pushing =
      cluster.withPush === 0
        ? 'none with push'
        : `${cluster.withPush} with push: ${listWithMore(
            cluster.pushRoles.map((name) => roleWithUse(byName.get(name), where)),
            5,
          )}`;
    const unknown = cluster.pushUnknown > 0 ? `, ${cluster.pushUnknown} unknown` : '';
    const unseen =
      cluster.unknowns.length === 0 ? '' : ` (not seen: ${singleLine(cluster.unknowns.join('; '))})`;
    return `  ${where}: ${cluster.podRoles} pod role(s), ${pushing}${unknown}${unseen}`;
  });
  const loose = podRoles.roles.filter((role) => role.clusters.length === 0);
  return [
    '',
    `Pod roles with ECR push (Pod Identity, IRSA): ${summary.withPush} of ${summary.podRoles}, in ${summary.clustersWithPush} of ${podRoles.clusters.length} cluster(s):`,
    ...lines,
    ...(loose.length === 0
      ? []
      : [
          `  Tied to no cluster read: ${listWithMore(
            loose.map((role) => `${role.roleName} (${role.push}, ${role.via.join('+')})`),
            5,
          )}`,
        ]),
  ];
}

/** `ci-pusher (pod-identity ci/pusher)` or `builder (irsa)`: how the role serves pods of that cluster. */
function roleWithUse(role: PodRoleAudit | undefined, where: string): string {
  if (role === undefined) return '?';
  const uses = role.clusters
    .filter((use) => `${use.region}/${use.cluster}` === where)
    .map((use) =>
      use.serviceAccounts.length === 0 ? use.via : `${use.via} ${use.serviceAccounts.join(', ')}`,
    );
  return `${role.roleName} (${uses.join('; ')})`;
}

/** The JSON part: every pod role, every cluster and the totals, field names as the domain has them. */
export function podRolesJson(report: Pick<AuditReport, 'podRoles'>) {
  return report.podRoles === undefined ? {} : { podRoles: report.podRoles };
}
