// Gateway (the only IAM caller): reads roles and policies for the account view, the snapshot command and the
// sweep, and applies the remediation writes. Documents come back decoded; read errors are mapped here.
import {
  AttachRolePolicyCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetAccountAuthorizationDetailsCommand,
  GetAccountSummaryCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  type GroupDetail,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListEntitiesForPolicyCommand,
  ListRolePoliciesCommand,
  type ManagedPolicyDetail,
  PutRolePolicyCommand,
  type RoleDetail,
  type Tag,
  type UserDetail,
} from '@aws-sdk/client-iam';
import type { AttachedPolicy, RoleRecord } from '../domain/types';
import { guardedRead, readOrNull } from './aws-errors';
import { collectPages, iamNext } from './pagination';
import { decodePolicyDocument } from './policy-document';

/** GetRole, decoded (the trust policy is the raw string when it does not decode). */
export type IamRole = Pick<
  RoleRecord,
  'name' | 'arn' | 'path' | 'trustPolicy' | 'tags' | 'permissionsBoundaryArn'
>;

/** GetPolicy: what the default-version lookup needs. */
export interface IamPolicy {
  readonly arn: string;
  readonly name: string;
  readonly defaultVersionId: string;
}

/** GetPolicyVersion, decoded. */
export interface IamPolicyVersion {
  readonly document: unknown;
  readonly isDefaultVersion: boolean;
}

/** The merged pages of GetAccountAuthorizationDetails, verbatim (documents still URL-encoded). */
export interface AccountAuthorizationDetails {
  readonly RoleDetailList: RoleDetail[];
  readonly Policies: ManagedPolicyDetail[];
  readonly UserDetailList: UserDetail[];
  readonly GroupDetailList: GroupDetail[];
}

/** IAM's documented default for AttachedPoliciesPerRoleQuota (AWS-FACTS §5). */
export const DEFAULT_ATTACHED_POLICIES_PER_ROLE_QUOTA = 10;

export class IamGateway {
  constructor(private readonly client: IAMClient) {}

  // ---- reads ------------------------------------------------------------------------------------

  /** The role, or null when it does not exist. */
  async getRole(roleName: string): Promise<IamRole | null> {
    const output = await readOrNull('iam:GetRole', roleName, () =>
      this.client.send(new GetRoleCommand({ RoleName: roleName })),
    );
    const role = output?.Role;
    if (role === undefined) return null;
    return {
      name: role.RoleName ?? roleName,
      arn: role.Arn ?? '',
      path: role.Path ?? '/',
      trustPolicy: decodePolicyDocument(role.AssumeRolePolicyDocument),
      tags: tagsToRecord(role.Tags),
      permissionsBoundaryArn: role.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    };
  }

  /** Every managed policy attached to the role (all pages). */
  async listAttachedRolePolicies(roleName: string): Promise<AttachedPolicy[]> {
    return guardedRead('iam:ListAttachedRolePolicies', roleName, () =>
      collectPages(async (marker) => {
        const output = await this.client.send(
          new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
        );
        const items = (output.AttachedPolicies ?? []).flatMap((policy) =>
          policy.PolicyArn === undefined ? [] : [{ name: policy.PolicyName ?? '', arn: policy.PolicyArn }],
        );
        return { items, next: iamNext(output) };
      }),
    );
  }

  /** Names of the role's inline policies (all pages). */
  async listRolePolicyNames(roleName: string): Promise<string[]> {
    return guardedRead('iam:ListRolePolicies', roleName, () =>
      collectPages(async (marker) => {
        const output = await this.client.send(
          new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }),
        );
        return { items: output.PolicyNames ?? [], next: iamNext(output) };
      }),
    );
  }

  /** An inline policy's decoded document, or null when the role or the policy does not exist. */
  async getRolePolicy(roleName: string, policyName: string): Promise<unknown | null> {
    const output = await readOrNull('iam:GetRolePolicy', `${roleName}/${policyName}`, () =>
      this.client.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName })),
    );
    return output === null ? null : decodePolicyDocument(output.PolicyDocument);
  }

  /** A managed policy's name and default version, or null when it does not exist. */
  async getPolicy(policyArn: string): Promise<IamPolicy | null> {
    const output = await readOrNull('iam:GetPolicy', policyArn, () =>
      this.client.send(new GetPolicyCommand({ PolicyArn: policyArn })),
    );
    const policy = output?.Policy;
    if (policy?.DefaultVersionId === undefined) return null;
    return {
      arn: policy.Arn ?? policyArn,
      name: policy.PolicyName ?? '',
      defaultVersionId: policy.DefaultVersionId,
    };
  }

  /** One version of a managed policy, decoded, or null when the policy or the version does not exist. */
  async getPolicyVersion(policyArn: string, versionId: string): Promise<IamPolicyVersion | null> {
    const output = await readOrNull('iam:GetPolicyVersion', `${policyArn} ${versionId}`, () =>
      this.client.send(new GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId: versionId })),
    );
    const version = output?.PolicyVersion;
    if (version === undefined) return null;
    return {
      document: decodePolicyDocument(version.Document),
      isDefaultVersion: version.IsDefaultVersion === true,
    };
  }

  /** Names of the roles the managed policy is attached to (ListEntitiesForPolicy, all pages). */
  async listRoleNamesForPolicy(policyArn: string): Promise<string[]> {
    return guardedRead('iam:ListEntitiesForPolicy', policyArn, () =>
      collectPages(async (marker) => {
        const output = await this.client.send(
          new ListEntitiesForPolicyCommand({ PolicyArn: policyArn, EntityFilter: 'Role', Marker: marker }),
        );
        const items = (output.PolicyRoles ?? []).flatMap((role) => (role.RoleName ? [role.RoleName] : []));
        return { items, next: iamNext(output) };
      }),
    );
  }

  /** GetAccountSummary's AttachedPoliciesPerRoleQuota, 10 when the summary does not carry it. */
  async attachedPoliciesPerRoleQuota(): Promise<number> {
    const output = await guardedRead('iam:GetAccountSummary', 'account', () =>
      this.client.send(new GetAccountSummaryCommand({})),
    );
    return output.SummaryMap?.AttachedPoliciesPerRoleQuota ?? DEFAULT_ATTACHED_POLICIES_PER_ROLE_QUOTA;
  }

  /**
   * Every role and managed policy (customer and AWS) in one merged object, as the API returns them
   * (documents URL-encoded). `onPage` is told the number of pages read so far.
   */
  async accountAuthorizationDetails(
    onPage?: (pagesRead: number) => void,
  ): Promise<AccountAuthorizationDetails> {
    let pagesRead = 0;
    const pages = await guardedRead('iam:GetAccountAuthorizationDetails', 'account', () =>
      collectPages(async (marker) => {
        const output = await this.client.send(
          new GetAccountAuthorizationDetailsCommand({
            Filter: ['Role', 'LocalManagedPolicy', 'AWSManagedPolicy'],
            Marker: marker,
          }),
        );
        pagesRead += 1;
        onPage?.(pagesRead);
        return { items: [output], next: iamNext(output) };
      }),
    );
    return {
      RoleDetailList: pages.flatMap((page) => page.RoleDetailList ?? []),
      Policies: pages.flatMap((page) => page.Policies ?? []),
      UserDetailList: pages.flatMap((page) => page.UserDetailList ?? []),
      GroupDetailList: pages.flatMap((page) => page.GroupDetailList ?? []),
    };
  }

  // ---- writes (thin: errors propagate to the remediation use case) -------------------------------

  async attachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.client.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
  }

  async detachRolePolicy(roleName: string, policyArn: string): Promise<void> {
    await this.client.send(new DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }));
  }

  /** `policyDocument` is the plain JSON text (not URL-encoded). */
  async putRolePolicy(roleName: string, policyName: string, policyDocument: string): Promise<void> {
    await this.client.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: policyName,
        PolicyDocument: policyDocument,
      }),
    );
  }

  async deleteRolePolicy(roleName: string, policyName: string): Promise<void> {
    await this.client.send(new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
  }
}

function tagsToRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const record: Record<string, string> = {};
  for (const tag of tags ?? []) {
    if (tag.Key !== undefined) record[tag.Key] = tag.Value ?? '';
  }
  return record;
}
