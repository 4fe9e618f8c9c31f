// Use case "evaluate a change", EKS and trust branch: an EKS call that names a node role, or a new trust policy,
// forgets the warm node-role index and then evaluates the named role's whole state (or answers from the change).
import type { AccountView } from '../account/account-view';
import { changeGrantsNothingDecision } from '../domain/decision';
import { trustMakesNodeRoleCandidate } from '../domain/node-roles';
import type { Decision, EventSummary, NodeRoleEvidence } from '../domain/types';
import type { EksOrTrustChange } from '../events/eks-change';

/** The whole-role evaluation the branch ends in (ChangeEvaluator.evaluateRole). */
export interface RoleEvaluation {
  evaluateRole(
    roleName: string,
    event: EventSummary,
    options: { readonly fromEvent?: NodeRoleEvidence | null },
  ): Promise<Decision>;
}

/**
 * - An EKS call (CreateNodegroup, a node-type CreateAccessEntry, CreateCluster/UpdateClusterConfig with an Auto
 *   Mode node role, CreateFargateProfile): the role is a node role from now on, whatever the inventory says yet.
 * - UpdateAssumeRolePolicy: when the new trust lets neither EC2 nor EKS Fargate assume the role, the change cannot
 *   make it a node role and grants no permission: answered without a read. Otherwise the role is re-read.
 */
export async function evaluateEksOrTrustChange(
  change: EksOrTrustChange,
  view: AccountView,
  roles: RoleEvaluation,
): Promise<Decision> {
  switch (change.kind) {
    case 'eks-node-role':
      view.invalidateNodeRoles();
      return roles.evaluateRole(change.roleName, change.event, { fromEvent: change.evidence });
    case 'trust-policy-updated':
      if (!trustMakesNodeRoleCandidate(change.document)) {
        return changeGrantsNothingDecision(
          change.event,
          `The new trust policy of ${change.roleName} lets neither EC2 nor EKS Fargate assume it: this change adds no ECR write access and does not make the role a node role; the role was not re-read.`,
          { name: change.roleName, arn: null },
        );
      }
      view.invalidateNodeRoles();
      return roles.evaluateRole(change.roleName, change.event, {});
  }
}
