// In-memory AWS: performs the IAM (or EKS) call a CloudTrail event records, so an account (fake or snapshot) is
// in the state the guard would see when the event arrives.
import {
  CreateAccessEntryCommand,
  CreateClusterCommand,
  CreateFargateProfileCommand,
  CreateNodegroupCommand,
  type EKSClient,
  ResourceInUseException,
  UpdateClusterConfigCommand,
} from '@aws-sdk/client-eks';
import {
  AttachRolePolicyCommand,
  CreatePolicyVersionCommand,
  DeleteRolePermissionsBoundaryCommand,
  DeleteRolePolicyCommand,
  type IAMClient,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { EksNodeRoleNamed } from '../events/eks-change';
import { parseRoleChangeEvent } from '../events/role-change';

/**
 * Sends the recorded call (successful, supported events only) and returns a short description of it, or null
 * when the event records nothing to replay (failed call, unsupported event, version not made default). EKS
 * calls need `eksFor` (the EKS client of the call's Region); without it they are not replayed.
 */
export async function replayRecordedCall(
  iam: IAMClient,
  raw: unknown,
  eksFor?: (region: string) => EKSClient,
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
    case 'trust-policy-updated':
      await iam.send(
        new UpdateAssumeRolePolicyCommand({
          RoleName: change.roleName,
          PolicyDocument:
            typeof change.document === 'string' ? change.document : JSON.stringify(change.document),
        }),
      );
      return `update the trust policy of ${change.roleName}`;
    case 'eks-node-role':
      if (eksFor === undefined) return null;
      try {
        return await replayEksCall(eksFor, change, raw);
      } catch (error) {
        // EKS answers a duplicate with ResourceInUseException: the account already holds what the call created.
        if (error instanceof ResourceInUseException)
          return `nothing to replay: ${error.message} (already in place)`;
        throw error;
      }
  }
}

/** The EKS call behind the event's evidence, with the fields the evidence keeps (the fake needs no more). */
async function replayEksCall(
  eksFor: (region: string) => EKSClient,
  change: EksNodeRoleNamed,
  raw: unknown,
): Promise<string | null> {
  const { evidence, roleArn, roleName } = change;
  if (evidence.region === null || evidence.cluster === null) return null;
  const eks = eksFor(evidence.region);
  const clusterName = evidence.cluster;
  const where = `${evidence.region}/${clusterName}`;
  switch (evidence.kind) {
    case 'managed-nodegroup': {
      const nodegroupName = evidence.nodegroup ?? 'nodegroup';
      await eks.send(
        new CreateNodegroupCommand({ clusterName, nodegroupName, nodeRole: roleArn, subnets: [] }),
      );
      return `create node group ${nodegroupName} in ${where} with node role ${roleName}`;
    }
    case 'access-entry':
      await eks.send(
        new CreateAccessEntryCommand({ clusterName, principalArn: roleArn, type: evidence.accessEntryType }),
      );
      return `create a ${evidence.accessEntryType ?? 'STANDARD'} access entry for ${roleName} in ${where}`;
    case 'fargate-profile': {
      const fargateProfileName = evidence.fargateProfile ?? 'profile';
      await eks.send(
        new CreateFargateProfileCommand({ clusterName, fargateProfileName, podExecutionRoleArn: roleArn }),
      );
      return `create Fargate profile ${fargateProfileName} in ${where} with pod execution role ${roleName}`;
    }
    case 'auto-mode': {
      const computeConfig = { enabled: true, nodeRoleArn: roleArn };
      if (change.event.name === 'CreateCluster') {
        const clusterRoleArn = recordedString(raw, 'roleArn') ?? '';
        await eks.send(
          new CreateClusterCommand({
            name: clusterName,
            roleArn: clusterRoleArn,
            resourcesVpcConfig: {},
            computeConfig,
          }),
        );
        return `create Auto Mode cluster ${where} with node role ${roleName}`;
      }
      await eks.send(new UpdateClusterConfigCommand({ name: clusterName, computeConfig }));
      return `set the Auto Mode node role of ${where} to ${roleName}`;
    }
    case 'heuristic':
      return null;
  }
}

/** A string request parameter of the recorded call (the cluster role: not something the guard parses). */
function recordedString(raw: unknown, key: string): string | null {
  const params = path(raw, ['detail', 'requestParameters', key]);
  return typeof params === 'string' ? params : null;
}

function path(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = Reflect.get(current, key);
  }
  return current;
}
