// In-memory AWS: performs the IAM (ECR, EKS) call a CloudTrail event records (after seeding the state a recorded
// removal implies), so an account (fake or snapshot) is in the state the guard would see when the event arrives.
import {
  CreateRepositoryCreationTemplateCommand,
  type ECRClient,
  PutRegistryPolicyCommand,
  SetRepositoryPolicyCommand,
  TemplateAlreadyExistsException,
  UpdateRepositoryCreationTemplateCommand,
} from '@aws-sdk/client-ecr';
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
  DetachRolePolicyCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  NoSuchEntityException,
  PutRolePermissionsBoundaryCommand,
  PutRolePolicyCommand,
  SetDefaultPolicyVersionCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import type { EksNodeRoleNamed } from '../events/eks-change';
import { parseRoleChangeEvent } from '../events/role-change';

/** The document seeded for an inline policy a recorded DeleteRolePolicy removes (the event does not carry it). */
export const SEEDED_INLINE_POLICY_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'SeededBeforeRecordedDelete', Effect: 'Allow', Action: 'sts:GetCallerIdentity', Resource: '*' },
  ],
});

/**
 * Puts the account in the state a successful recorded call implies it was in, when it is not: the managed policy a
 * DetachRolePolicy detaches is attached, the inline policy a DeleteRolePolicy deletes exists (with
 * SEEDED_INLINE_POLICY_DOCUMENT, as the event does not say what it held). Returns what was seeded, or null when the
 * account already was in that state or the call implies nothing. Replaying a recorded removal onto an account that
 * never held the policy would otherwise fail with NoSuchEntity, as AWS would.
 */
export async function seedRecordedPrecondition(iam: IAMClient, raw: unknown): Promise<string | null> {
  const change = parseRoleChangeEvent(raw);
  if (change.kind === 'role-policy-detached') {
    if (await isAttached(iam, change.roleName, change.policyArn)) return null;
    await iam.send(new AttachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn }));
    return `attached ${change.policyArn} to ${change.roleName} first (the recorded detach implies it was attached)`;
  }
  if (change.kind === 'role-policy-deleted') {
    try {
      await iam.send(new GetRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName }));
      return null;
    } catch (error) {
      if (!(error instanceof NoSuchEntityException)) throw error;
    }
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: change.roleName,
        PolicyName: change.policyName,
        PolicyDocument: SEEDED_INLINE_POLICY_DOCUMENT,
      }),
    );
    return `put inline policy ${change.policyName} on ${change.roleName} first (the recorded delete implies it existed; its content is not in the event)`;
  }
  return null;
}

/** The regional clients a recorded ECR or EKS call goes to; without one, such calls are not replayed. */
export interface RegionalClients {
  readonly ecrFor?: (region: string) => ECRClient;
  readonly eksFor?: (region: string) => EKSClient;
}

/**
 * Sends the recorded call (successful, supported events only) and returns a short description of it, or null
 * when the event records nothing to replay (failed call, unsupported event, version not made default). ECR and EKS
 * calls need the client of the call's Region (`regional`); without it they are not replayed.
 */
export async function replayRecordedCall(
  iam: IAMClient,
  raw: unknown,
  regional: RegionalClients = {},
): Promise<string | null> {
  const change = parseRoleChangeEvent(raw);
  const { ecrFor, eksFor } = regional;
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
        try {
          await client.send(
            new CreateRepositoryCreationTemplateCommand({
              prefix: change.prefix,
              appliedFor: ['PULL_THROUGH_CACHE'],
              ...policy,
            }),
          );
          return `create the repository creation template ${change.prefix} (${change.region})`;
        } catch (error) {
          // The account already holds a template for the prefix: the state after the call is that template with
          // the recorded policy, so update it (ECR itself would refuse the create).
          if (!(error instanceof TemplateAlreadyExistsException)) throw error;
        }
      }
      await client.send(new UpdateRepositoryCreationTemplateCommand({ prefix: change.prefix, ...policy }));
      return `update the repository creation template ${change.prefix} (${change.region})`;
    }
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

async function isAttached(iam: IAMClient, roleName: string, policyArn: string): Promise<boolean> {
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    if ((page.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn)) return true;
    marker = page.IsTruncated === true ? page.Marker : undefined;
  } while (marker !== undefined);
  return false;
}
