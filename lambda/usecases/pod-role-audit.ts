// Use case "audit the pod roles" (part of the account audit): every role pods can assume (EKS Pod Identity, IRSA)
// read through the AccountView, its policies judged by the same analyser as node roles, then tied to clusters by
// the domain: the KPI "workloads that push the right way".
import type { AccountView } from '../account/account-view';
import { analyseRolePolicies, DocumentCache } from '../domain/analysis';
import {
  classifyPodRoles,
  type PodRoleCandidate,
  type PodRoleReport,
  podRoleTrust,
} from '../domain/pod-roles';
import { resourceGrantsForRole, resourcePolicySources } from '../domain/resource-policies';
import type { EcrInventory, EksInventory, RoleRecord } from '../domain/types';
import { mapWithConcurrency } from '../gateways/concurrency';
import { readRolePolicies } from './role-policies';

/** Pod roles whose policies are read at once. */
const POLICY_READS_AT_ONCE = 8;

export interface PodRoleAuditInput {
  readonly inventory: EksInventory;
  /** The roles the account audit read that are not node roles (each read once, by the audit). */
  readonly roles: readonly RoleRecord[];
  /** The ECR resource policies of the view, when it holds them: a repository may grant a pod role push. */
  readonly ecr: EcrInventory;
  /** The pull allowance of the node-role analysis: the same writes count. */
  readonly pullAllowance: ReadonlySet<string>;
  /** The node roles of the audit: never counted as pod roles. */
  readonly nodeRoleNames: readonly string[];
}

/**
 * Analyses the policies of the roles pods can assume, with the ECR resource policies naming them, and ties them to
 * clusters. A pod role whose policies cannot all be read or understood has push `unknown`, never `no-push`.
 */
export async function auditPodRoles(view: AccountView, input: PodRoleAuditInput): Promise<PodRoleReport> {
  const sources = resourcePolicySources(input.ecr);
  // One audit over one view: its documents stay as they are, so each is compiled once.
  const documents = new DocumentCache();
  const pods = input.roles.flatMap((role) => {
    const trust = podRoleTrust(role.trustPolicy);
    return trust === null ? [] : [{ role, trust }];
  });
  const candidates = await mapWithConcurrency(pods, POLICY_READS_AT_ONCE, async ({ role, trust }) => {
    const policies = await readRolePolicies(view, role, view.partition);
    const analysis = analyseRolePolicies(
      { identity: policies.identity, boundary: policies.boundary },
      { pullAllowance: input.pullAllowance, partition: view.partition, documents },
    );
    const resource =
      sources.length === 0
        ? []
        : resourceGrantsForRole({ name: role.name, arn: role.arn }, sources, policies, {
            pullAllowance: input.pullAllowance,
          }).grants;
    const candidate: PodRoleCandidate = {
      roleName: role.name,
      roleArn: role.arn,
      trust,
      writeActions: [...new Set([...analysis.writeActions, ...resource.flatMap((grant) => grant.actions)])],
      unusablePolicies: analysis.unusablePolicies.length + policies.unreadable.length,
    };
    return candidate;
  });
  return classifyPodRoles(input.inventory, candidates, input.nodeRoleNames);
}
