// In-memory AWS: performs the IAM call a CloudTrail event records, so an account (fake or snapshot) is in
// the state the guard would see when the event arrives.
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
} from '@aws-sdk/client-iam';
import { parseRoleChangeEvent } from '../events/role-change';

/**
 * Sends the recorded call (successful, supported events only) and returns a short description of it, or null
 * when the event records nothing to replay (failed call, unsupported event, version not made default).
 */
export async function replayRecordedCall(iam: IAMClient, raw: unknown): Promise<string | null> {
  const change = parseRoleChangeEvent(raw);
  switch (change.kind) {
    case 'ignored':
      return null;
    case 'role-policy-attached':
      await iam.send(new AttachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
      return `attach ${change.policyArn} to ${change.roleName}`;
    case 'role-policy-detached':
      await iam.send(new DetachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
      return `detach ${change.policyArn} from ${change.roleName}`;
    case 'role-policy-put':
      await iam.send(
        new PutRolePolicyCommand({
          RoleName: change.roleName,
          PolicyName: change.policyName,
          PolicyDocument:
            typeof change.document === 'string' ? change.document : JSON.stringify(change.document),
        }),
      );
      return `put inline policy ${change.policyName} on ${change.roleName}`;
    case 'role-policy-deleted':
      await iam.send(
        new DeleteRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName }),
      );
      return `delete inline policy ${change.policyName} of ${change.roleName}`;
    case 'policy-version':
      if (change.document !== null) {
        const document =
          typeof change.document === 'string' ? change.document : JSON.stringify(change.document);
        await iam.send(
          new CreatePolicyVersionCommand({
            PolicyArn: change.policyArn,
            PolicyDocument: document,
            SetAsDefault: true,
          }),
        );
        return `create default version of ${change.policyArn}`;
      }
      if (change.versionId === null) return null;
      await iam.send(
        new SetDefaultPolicyVersionCommand({ PolicyArn: change.policyArn, VersionId: change.versionId }),
      );
      return `set ${change.versionId} as default version of ${change.policyArn}`;
    case 'boundary-put':
      await iam.send(
        new PutRolePermissionsBoundaryCommand({
          RoleName: change.roleName,
          PermissionsBoundary: change.boundaryArn,
        }),
      );
      return `put permissions boundary ${change.boundaryArn} on ${change.roleName}`;
    case 'boundary-deleted':
      await iam.send(new DeleteRolePermissionsBoundaryCommand({ RoleName: change.roleName }));
      return `delete the permissions boundary of ${change.roleName}`;
  }
}
