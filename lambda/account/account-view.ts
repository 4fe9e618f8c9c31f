// The one seam between the domain and the world: the same use cases read an account through this
// interface, backed by live SDK gateways or by an offline snapshot file.
import type { EcrInventory, EksInventory, ManagedPolicyContent, RoleRecord } from '../domain/types';

export interface AccountView {
  /** 12-digit account id, null when unknown (snapshot without accountId). */
  readonly accountId: string | null;
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;

  /** The role, or null when it does not exist (NoSuchEntity). */
  getRole(roleName: string): Promise<RoleRecord | null>;
  /** An inline policy's document (any accepted encoding), or null when it does not exist. */
  getInlinePolicy(roleName: string, policyName: string): Promise<unknown | null>;
  /** A managed policy's default version, or null when the policy does not exist. */
  getManagedPolicy(policyArn: string): Promise<ManagedPolicyContent | null>;
  /** A specific version of a managed policy, or null when it does not exist. */
  getPolicyVersion(policyArn: string, versionId: string): Promise<ManagedPolicyContent | null>;
  /** Names of the roles a managed policy is attached to. */
  rolesForPolicy(policyArn: string): Promise<readonly string[]>;
  /** Clusters, node groups, access entries, Fargate profiles and Auto Mode node roles, per region. */
  eksInventory(): Promise<EksInventory>;
  /**
   * Forgets any cached EKS inventory (the node-role index), so the next `eksInventory()` reads EKS again: an
   * EKS or trust change may have made a new node role. A view without a cache has nothing to forget.
   */
  invalidateNodeRoles(): void;
  /** The managed-policies-per-role quota (AttachedPoliciesPerRoleQuota), 10 when unknown. */
  managedPolicyQuota(): Promise<number>;
  /**
   * ECR repository, registry and creation-template policies per region, when this view knows them (a snapshot
   * with an `ecr` section). Absent on the live event path: reading every repository policy per IAM event would
   * cost too much; there the ECR events carry the new policy and the sweep reads the rest.
   */
  ecrResourcePolicies?(): Promise<EcrInventory>;
}

/**
 * An AccountView that can also enumerate every role: the audit needs it. Only the snapshot view offers it; the
 * live view does not, since the deployed roles are not granted iam:ListRoles (the sweep and `audit --live`
 * collect a snapshot with GetAccountAuthorizationDetails and audit that).
 */
export interface EnumerableAccountView extends AccountView {
  /** Every role name in the account, sorted. */
  listRoleNames(): Promise<readonly string[]>;
}
