// Edge of the event path (EKS and trust changes): turns an `aws.eks` CloudTrail event, or IAM's
// UpdateAssumeRolePolicy record, into the role it may make an EKS node role (or an `ignored` change with a reason).
import { z } from 'zod';
import { CLOUDTRAIL_DETAIL_TYPE, EKS_SERVICE_ENDPOINT, WATCHED_EKS_EVENT_NAMES } from '../contract';
import type { WatchedEksEventName } from '../contract/events';
import { isIamRoleArn, roleNameFromArn } from '../domain/arn';
import { NODE_ACCESS_ENTRY_TYPES } from '../domain/node-roles';
import type { EventSummary, NodeRoleEvidence } from '../domain/types';
import type { IgnoredChange } from './role-change';
import { describeIssues, describeValueType } from './validation-message';

/** An EKS call that names a role as the identity of nodes (or Fargate pods): the event is node-role evidence. */
export interface EksNodeRoleNamed {
  readonly kind: 'eks-node-role';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly roleArn: string;
  /** What the call makes of the role, before DescribeNodegroup & co. may show it (the resource is CREATING). */
  readonly evidence: NodeRoleEvidence;
}

/** IAM UpdateAssumeRolePolicy: who may assume the role changed. */
export interface TrustPolicyUpdated {
  readonly kind: 'trust-policy-updated';
  readonly event: EventSummary;
  readonly roleName: string;
  /** The new trust policy as sent (a plain JSON string). */
  readonly document: unknown;
}

export type EksOrTrustChange = EksNodeRoleNamed | TrustPolicyUpdated;

/** The EventBridge envelope fields the EKS parser needs. */
export interface EksEnvelope {
  readonly region: string;
  readonly 'detail-type': string;
  readonly detail: unknown;
}

const MAX_QUOTED = 128;

// ---- schemas (requestParameters as CloudTrail records them, AWS-FACTS §14) ------------------------

/** EKS cluster names: 1-100 of `[0-9A-Za-z][A-Za-z0-9-_]*` (EKS API `CreateCluster.name`). */
const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const clusterName = z.string().regex(CLUSTER_NAME, 'not a valid EKS cluster name');
const roleArn = z
  .string()
  .max(2048, 'longer than 2048 characters')
  .refine(isIamRoleArn, 'not an IAM role ARN');
const resourceName = z.string().min(1).max(100);

/** The cluster is `name` (the API's URI label); older records and SDK-shaped ones say `clusterName`: accept both. */
const clusterKey = z
  .looseObject({ name: clusterName.optional(), clusterName: clusterName.optional() })
  .refine((params) => params.name !== undefined || params.clusterName !== undefined, {
    message: 'names no cluster (name or clusterName)',
  });

const CreateNodegroupParams = z.looseObject({ nodegroupName: resourceName, nodeRole: roleArn });
const CreateAccessEntryParams = z.looseObject({
  principalArn: z.string().min(1),
  type: z.string().optional(),
});
const ComputeConfigParams = z.looseObject({
  computeConfig: z
    .looseObject({ enabled: z.boolean().optional(), nodeRoleArn: roleArn.optional() })
    .optional(),
});
const CreateFargateProfileParams = z.looseObject({
  fargateProfileName: resourceName,
  podExecutionRoleArn: roleArn,
});
const UpdateAssumeRolePolicyParams = z.looseObject({
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'not a valid IAM role name'),
  policyDocument: z.string(),
});

const RecordSchema = z.looseObject({
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.string().optional(),
  requestParameters: z.unknown().optional(),
});
type EksRecord = z.infer<typeof RecordSchema>;

// ---- entry points -----------------------------------------------------------------------------------

/** Parses an `aws.eks` EventBridge event whose envelope is already valid. Never throws. */
export function parseEksEvent(envelope: EksEnvelope, event: EventSummary): IgnoredChange | EksNodeRoleNamed {
  const detailType = envelope['detail-type'];
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    // EKS also emits native events under `aws.eks`: only the CloudTrail records name roles.
    return ignored(
      event,
      `unsupported detail-type ${quote(detailType)} (expected "${CLOUDTRAIL_DETAIL_TYPE}")`,
    );
  }
  const detail = envelope.detail;
  if (!isPlainObject(detail))
    return ignored(event, `detail is ${describeValueType(detail)}, not a CloudTrail record`);
  const errorCode = detail.errorCode;
  if (errorCode !== undefined && errorCode !== null) {
    const code = typeof errorCode === 'string' ? quote(errorCode) : `of type ${describeValueType(errorCode)}`;
    return ignored(event, `the call failed (errorCode ${code}): nothing changed`);
  }
  const record = RecordSchema.safeParse(detail);
  if (!record.success) {
    const problems = describeIssues(record.error.issues, detail, { pathPrefix: 'detail' });
    return ignored(event, `not a CloudTrail record: ${problems}`);
  }
  if (record.data.eventSource !== EKS_SERVICE_ENDPOINT) {
    return ignored(
      event,
      `unsupported eventSource ${quote(record.data.eventSource)} (expected "${EKS_SERVICE_ENDPOINT}")`,
    );
  }
  const name = record.data.eventName;
  if (!isWatchedEksEventName(name))
    return ignored(event, `eventName ${quote(name)} is not one the guard evaluates`);
  const cluster = clusterKey.safeParse(record.data.requestParameters);
  if (!cluster.success) return unusable(name, cluster.error, record.data, event);
  const where: Where = {
    region: record.data.awsRegion ?? envelope.region,
    cluster: cluster.data.name ?? cluster.data.clusterName ?? '',
  };
  return EKS_PARSERS[name](record.data, where, event);
}

/** IAM UpdateAssumeRolePolicy (routed here from the IAM parser table). */
export function parseUpdateAssumeRolePolicy(
  record: { readonly requestParameters?: unknown },
  event: EventSummary,
): IgnoredChange | TrustPolicyUpdated {
  const params = UpdateAssumeRolePolicyParams.safeParse(record.requestParameters);
  if (!params.success) {
    const problems = describeIssues(params.error.issues, record.requestParameters, {
      pathPrefix: 'requestParameters',
    });
    return ignored(event, `UpdateAssumeRolePolicy with unusable request parameters: ${problems}`);
  }
  return {
    kind: 'trust-policy-updated',
    event,
    roleName: params.data.roleName,
    document: params.data.policyDocument,
  };
}

// ---- one parser per EKS call ------------------------------------------------------------------------

interface Where {
  readonly region: string;
  readonly cluster: string;
}

type EksParser = (record: EksRecord, where: Where, event: EventSummary) => IgnoredChange | EksNodeRoleNamed;

const EKS_PARSERS: Readonly<Record<WatchedEksEventName, EksParser>> = {
  CreateNodegroup: (record, where, event) => {
    const params = CreateNodegroupParams.safeParse(record.requestParameters);
    if (!params.success) return unusable('CreateNodegroup', params.error, record, event);
    const { nodegroupName, nodeRole } = params.data;
    return named(event, nodeRole, {
      kind: 'managed-nodegroup',
      ...where,
      nodegroup: nodegroupName,
      roleArn: nodeRole,
      detail: `named as the node role by CreateNodegroup (the node group may still be CREATING)`,
    });
  },
  CreateAccessEntry: (record, where, event) => {
    const params = CreateAccessEntryParams.safeParse(record.requestParameters);
    if (!params.success) return unusable('CreateAccessEntry', params.error, record, event);
    // A record without `type` created a STANDARD entry (AWS-FACTS §11).
    const type = params.data.type ?? 'STANDARD';
    if (!NODE_ACCESS_ENTRY_TYPES.has(type)) {
      return ignored(
        event,
        `CreateAccessEntry of type ${quote(type)}${params.data.type === undefined ? ' (the default: no type in the request)' : ''} maps people or workloads, not nodes: it makes no role a node role`,
      );
    }
    const principal = params.data.principalArn;
    if (!isIamRoleArn(principal)) {
      return ignored(event, `CreateAccessEntry principal ${quote(principal)} is not an IAM role ARN`);
    }
    return named(event, principal, {
      kind: 'access-entry',
      ...where,
      accessEntryType: type,
      roleArn: principal,
      detail: `named by CreateAccessEntry (type ${type})`,
    });
  },
  CreateCluster: (record, where, event) => autoModeRole('CreateCluster', record, where, event),
  UpdateClusterConfig: (record, where, event) => autoModeRole('UpdateClusterConfig', record, where, event),
  CreateFargateProfile: (record, where, event) => {
    const params = CreateFargateProfileParams.safeParse(record.requestParameters);
    if (!params.success) return unusable('CreateFargateProfile', params.error, record, event);
    const { fargateProfileName, podExecutionRoleArn } = params.data;
    return named(event, podExecutionRoleArn, {
      kind: 'fargate-profile',
      ...where,
      fargateProfile: fargateProfileName,
      roleArn: podExecutionRoleArn,
      detail: `named as the pod execution role by CreateFargateProfile (the profile may still be CREATING)`,
    });
  },
};

function autoModeRole(
  eventName: 'CreateCluster' | 'UpdateClusterConfig',
  record: EksRecord,
  where: Where,
  event: EventSummary,
): IgnoredChange | EksNodeRoleNamed {
  const params = ComputeConfigParams.safeParse(record.requestParameters);
  if (!params.success) return unusable(eventName, params.error, record, event);
  const compute = params.data.computeConfig;
  if (compute?.nodeRoleArn === undefined) {
    return ignored(
      event,
      `${eventName} sets no Auto Mode node role (no computeConfig.nodeRoleArn): it makes no role a node role`,
    );
  }
  if (compute.enabled === false) {
    return ignored(
      event,
      `${eventName} turns Auto Mode off (computeConfig.enabled false): its node role runs no nodes`,
    );
  }
  return named(event, compute.nodeRoleArn, {
    kind: 'auto-mode',
    ...where,
    roleArn: compute.nodeRoleArn,
    detail: `named as the Auto Mode node role by ${eventName}`,
  });
}

// ---- helpers ----------------------------------------------------------------------------------------

function named(
  event: EventSummary,
  arn: string,
  evidence: NodeRoleEvidence,
): IgnoredChange | EksNodeRoleNamed {
  const roleName = roleNameFromArn(arn);
  if (roleName === null) return ignored(event, `${quote(arn)} names no role`);
  return { kind: 'eks-node-role', event, roleName, roleArn: arn, evidence };
}

function unusable(
  eventName: string,
  error: z.ZodError,
  record: EksRecord,
  event: EventSummary,
): IgnoredChange {
  const problems = describeIssues(error.issues, record.requestParameters, {
    pathPrefix: 'requestParameters',
  });
  return ignored(event, `${eventName} with unusable request parameters: ${problems}`);
}

const WATCHED: ReadonlySet<string> = new Set(WATCHED_EKS_EVENT_NAMES);

function isWatchedEksEventName(name: string): name is WatchedEksEventName {
  return WATCHED.has(name);
}

function ignored(event: EventSummary, reason: string): IgnoredChange {
  return { kind: 'ignored', reason, event };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function quote(value: string): string {
  return JSON.stringify(value.length <= MAX_QUOTED ? value : `${value.slice(0, MAX_QUOTED)}…`);
}
