// In-memory AWS: performs the IAM (or ECR) call a CloudTrail event records, so an account (fake or snapshot) is in
// the state the guard would see when the event arrives.

import {
  CreateRepositoryCreationTemplateCommand,
  type ECRClient,
  PutRegistryPolicyCommand,
  SetRepositoryPolicyCommand,
  UpdateRepositoryCreationTemplateCommand,
} from '@aws-sdk/client-ecr';
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
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
export async function replayRecordedCall(
  iam: IAMClient,
  raw: unknown,
  ecrFor?: (region: string) => ECRClient,
): Promise<string | null> {
  const change = parseRoleChangeEvent(raw);
  switch (change.kind) {
    case 'ignored':
      return null;
    case 'role-policy-attached':
      await iam.send(new AttachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
      return `attach ${change.policyArn} to ${change.roleName}`;
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
    case 'ecr-repository-policy':
      if (ecrFor === undefined) return null;
      await ecrFor(change.region).send(
        new SetRepositoryPolicyCommand({
          repositoryName: change.repositoryName,
          policyText: change.policyText,
        }),
      );
      return `set the repository policy of ${change.repositoryName} (${change.region})`;
    case 'ecr-registry-policy':
      if (ecrFor === undefined) return null;
      await ecrFor(change.region).send(new PutRegistryPolicyCommand({ policyText: change.policyText }));
      return `put the registry policy of ${change.region}`;
    case 'ecr-creation-template': {
      if (ecrFor === undefined) return null;
      const policy = change.repositoryPolicy === null ? {} : { repositoryPolicy: change.repositoryPolicy };
      const client = ecrFor(change.region);
      if (change.event.name === 'CreateRepositoryCreationTemplate') {
        await client.send(
          new CreateRepositoryCreationTemplateCommand({
            prefix: change.prefix,
            appliedFor: ['PULL_THROUGH_CACHE'],
            ...policy,
          }),
        );
        return `create the repository creation template ${change.prefix} (${change.region})`;
      }
      await client.send(new UpdateRepositoryCreationTemplateCommand({ prefix: change.prefix, ...policy }));
      return `update the repository creation template ${change.prefix} (${change.region})`;
    }
  }
}
