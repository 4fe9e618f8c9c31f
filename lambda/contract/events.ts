// Contract (shared by the CDK app and the runtime): the events the guard watches, per event source. The
// EventBridge rules match these names and the event parser accepts exactly these. No imports.

/** `detail-type` of the EventBridge events CloudTrail emits for API calls. */
export const CLOUDTRAIL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

/** EventBridge `source` of IAM's CloudTrail events. */
export const IAM_EVENT_SOURCE = 'aws.iam';

/** `detail.eventSource` of IAM's CloudTrail records. */
export const IAM_SERVICE_ENDPOINT = 'iam.amazonaws.com';

/** IAM API calls that can change what a role may do, in the order the guard documents them. */
export const WATCHED_IAM_EVENT_NAMES = [
  'AttachRolePolicy',
  // Detaching a managed policy can widen a role when the policy held a Deny: the role is re-read.
  'DetachRolePolicy',
  'PutRolePolicy',
  'CreatePolicyVersion',
  'SetDefaultPolicyVersion',
  'PutRolePermissionsBoundary',
  'DeleteRolePermissionsBoundary',
  // Deleting an inline policy can widen a role when it held a Deny (any policy, not only the guard's own).
  'DeleteRolePolicy',
  // A new trust policy can make a role that already holds ECR write a node role (EC2 or Fargate may assume it).
  'UpdateAssumeRolePolicy',
] as const;

export type WatchedIamEventName = (typeof WATCHED_IAM_EVENT_NAMES)[number];

/** EventBridge `source` of ECR's CloudTrail events (delivered in the region of the call). */
export const ECR_EVENT_SOURCE = 'aws.ecr';

/** `detail.eventSource` of ECR's CloudTrail records. */
export const ECR_SERVICE_ENDPOINT = 'ecr.amazonaws.com';

/** ECR API calls that can give a role ECR write through a resource-based policy (the new policy is in the request). */
export const WATCHED_ECR_EVENT_NAMES = [
  'SetRepositoryPolicy',
  'PutRegistryPolicy',
  'CreateRepositoryCreationTemplate',
  'UpdateRepositoryCreationTemplate',
] as const;

export type WatchedEcrEventName = (typeof WATCHED_ECR_EVENT_NAMES)[number];

/** EventBridge `source` of EKS's CloudTrail events (delivered in the Region of the call only). */
export const EKS_EVENT_SOURCE = 'aws.eks';

/** `detail.eventSource` of EKS's CloudTrail records. */
export const EKS_SERVICE_ENDPOINT = 'eks.amazonaws.com';

/** EKS API calls that can make a role an EKS node role (each names the role in its request). */
export const WATCHED_EKS_EVENT_NAMES = [
  'CreateNodegroup',
  'CreateAccessEntry',
  'CreateCluster',
  // Auto Mode: `computeConfig.nodeRoleArn`.
  'UpdateClusterConfig',
  'CreateFargateProfile',
] as const;

export type WatchedEksEventName = (typeof WATCHED_EKS_EVENT_NAMES)[number];

/** Every watched event source with its endpoint and event names (adding an event type starts here). */
export const WATCHED_EVENTS = {
  [IAM_EVENT_SOURCE]: { serviceEndpoint: IAM_SERVICE_ENDPOINT, eventNames: WATCHED_IAM_EVENT_NAMES },
  [ECR_EVENT_SOURCE]: { serviceEndpoint: ECR_SERVICE_ENDPOINT, eventNames: WATCHED_ECR_EVENT_NAMES },
  [EKS_EVENT_SOURCE]: { serviceEndpoint: EKS_SERVICE_ENDPOINT, eventNames: WATCHED_EKS_EVENT_NAMES },
} as const;

/**
 * IAM is global: its events arrive in one Region per partition (us-east-1 in `aws`). Every other watched source is
 * regional: its events reach only the default bus of the Region of the call.
 */
export const GLOBAL_EVENT_SOURCES: readonly string[] = [IAM_EVENT_SOURCE];
