// In-memory AWS: the IAM response shapes the fake answers with (roles, role details, policies, versions, paging
// fields, $metadata), built from FakeState as IAM returns them: documents URL-encoded, absent fields left out.
import type { ManagedPolicyDetail, PolicyVersion, Role, RoleDetail } from '@aws-sdk/client-iam';
import { encodeDocument } from './documents';
import type { FakePolicy, FakeRole, FakeState } from './model';
import type { PageOf } from './paging';

export const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

/** The fields GetRole's `Role` and GetAccountAuthorizationDetails' `RoleDetail` share. */
function roleIdentity(role: FakeRole) {
  return {
    Path: role.path,
    RoleName: role.name,
    RoleId: role.roleId,
    Arn: role.arn,
    CreateDate: role.createDate,
    AssumeRolePolicyDocument: encodeDocument(role.trustPolicyText),
  };
}

export function roleSummary(role: FakeRole): Role {
  return { ...roleIdentity(role), MaxSessionDuration: 3600 };
}

export function roleDetail(state: FakeState, role: FakeRole): RoleDetail {
  return {
    ...roleIdentity(role),
    InstanceProfileList: [],
    RolePolicyList: [...role.inline].map(([name, text]) => ({
      PolicyName: name,
      PolicyDocument: encodeDocument(text),
    })),
    AttachedManagedPolicies: role.attached.map((arn) => ({
      PolicyArn: arn,
      PolicyName: state.policies.get(arn)?.name ?? nameOf(arn),
    })),
    ...boundaryOf(role),
    Tags: tagList(role),
    RoleLastUsed: {},
  };
}

/** The fields GetPolicy's `Policy` and the authorization details' `Policies[]` share. */
export function policyFields(state: FakeState, policy: FakePolicy) {
  return {
    PolicyName: policy.name,
    PolicyId: policy.policyId,
    Arn: policy.arn,
    Path: policy.path,
    DefaultVersionId: policy.defaultVersionId,
    AttachmentCount: state.rolesAttachedTo(policy.arn).length,
    PermissionsBoundaryUsageCount: state.rolesBoundedBy(policy.arn).length,
    IsAttachable: true,
    CreateDate: policy.createDate,
    UpdateDate: policy.createDate,
  };
}

export function policyDetail(state: FakeState, policy: FakePolicy): ManagedPolicyDetail {
  return {
    ...policyFields(state, policy),
    PolicyVersionList: policy.versions.map((version) =>
      versionOutput(policy, version.versionId, version.text),
    ),
  };
}

export function iamPaging<T>(page: PageOf<T>): { IsTruncated: boolean; Marker?: string } {
  return page.next === undefined ? { IsTruncated: false } : { IsTruncated: true, Marker: page.next };
}

/** A PolicyVersion; the Document is left out when `text` is undefined (CreatePolicyVersion's answer). */
export function versionOutput(
  policy: FakePolicy,
  versionId: string,
  text: string | undefined,
): PolicyVersion {
  return {
    VersionId: versionId,
    IsDefaultVersion: policy.defaultVersionId === versionId,
    CreateDate:
      policy.versions.find((version) => version.versionId === versionId)?.createDate ?? policy.createDate,
    ...(text === undefined ? {} : { Document: encodeDocument(text) }),
  };
}

export function boundaryOf(role: FakeRole): Pick<Role, 'PermissionsBoundary'> {
  if (role.permissionsBoundaryArn === null) return {};
  return {
    PermissionsBoundary: {
      PermissionsBoundaryType: 'PermissionsBoundaryPolicy',
      PermissionsBoundaryArn: role.permissionsBoundaryArn,
    },
  };
}

export function tagList(role: FakeRole): { Key: string; Value: string }[] {
  return [...role.tags].map(([Key, Value]) => ({ Key, Value }));
}

export function nameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}
