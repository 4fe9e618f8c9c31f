// Edge of the event path: turns a raw EventBridge "AWS API Call via CloudTrail" event into a typed
// ParsedChange (or an `ignored` one with a specific reason) before any use case sees it. Never throws.
import { parse } from '@aws-lambda-powertools/parser';
import { EventBridgeSchema } from '@aws-lambda-powertools/parser/schemas/eventbridge';
import type { z } from 'zod';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  ECR_EVENT_SOURCE,
  EKS_EVENT_SOURCE,
  IAM_EVENT_SOURCE,
  IAM_SERVICE_ENDPOINT,
  WATCHED_EVENTS,
} from '../contract';
import type { EventSummary, SupportedEventName } from '../domain/types';
import {
  AttachRolePolicyParams,
  CloudTrailRecordSchema,
  CreatePolicyVersionParams,
  CreatePolicyVersionResponse,
  DeleteRolePermissionsBoundaryParams,
  DeleteRolePolicyParams,
  DetachRolePolicyParams,
  PutRolePermissionsBoundaryParams,
  PutRolePolicyParams,
  SetDefaultPolicyVersionParams,
} from './cloudtrail-schemas';
import { type EcrChange, parseEcrChangeEvent } from './ecr-change';
import { type EksOrTrustChange, parseEksEvent, parseUpdateAssumeRolePolicy } from './eks-change';
import { describeIssues, describeValueType, type SchemaIssue } from './validation-message';

/** The IAM calls that can give a role new permissions: the contract's watched names, each parsed below. */
export const SUPPORTED_EVENT_NAMES = WATCHED_EVENTS[IAM_EVENT_SOURCE]
  .eventNames satisfies readonly SupportedEventName[];

export interface IgnoredChange {
  readonly kind: 'ignored';
  readonly reason: string;
  readonly event: EventSummary;
}
export interface RolePolicyPut {
  readonly kind: 'role-policy-put';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly policyName: string;
  /** requestParameters.policyDocument as sent: a JSON string (CloudTrail) or a JSON object. */
  readonly document: unknown;
}
export interface RolePolicyAttached {
  readonly kind: 'role-policy-attached';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly policyArn: string;
}
export interface RolePolicyDetached {
  readonly kind: 'role-policy-detached';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly policyArn: string;
}
export interface PolicyVersionChange {
  readonly kind: 'policy-version';
  readonly event: EventSummary;
  readonly policyArn: string;
  /** The version that became the default; null when the record does not say (read the default then). */
  readonly versionId: string | null;
  /** The new default document (CreatePolicyVersion), null when the record does not carry it. */
  readonly document: unknown | null;
}
export interface BoundaryPut {
  readonly kind: 'boundary-put';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly boundaryArn: string;
}
export interface BoundaryDeleted {
  readonly kind: 'boundary-deleted';
  readonly event: EventSummary;
  readonly roleName: string;
}

export interface RolePolicyDeleted {
  readonly kind: 'role-policy-deleted';
  readonly event: EventSummary;
  readonly roleName: string;
  readonly policyName: string;
}

export type ParsedChange =
  | IgnoredChange
  | EcrChange
  | RolePolicyPut
  | RolePolicyDeleted
  | RolePolicyAttached
  | RolePolicyDetached
  | PolicyVersionChange
  | BoundaryPut
  | BoundaryDeleted
  | EksOrTrustChange;

/** Longest text copied from the event into a summary or a reason (the rest is cut, with an ellipsis). */
const MAX_TEXT = 1024;
/** Longest event value quoted inside a reason. */
const MAX_QUOTED = 128;

/** Parses a raw EventBridge event. Any input (null, arrays, wrong shapes, huge strings) gives a result. */
export function parseRoleChangeEvent(raw: unknown): ParsedChange {
  try {
    return parseEvent(raw);
  } catch (error) {
    // Unreachable for JSON input; guards exotic objects (throwing getters, proxies) at the edge.
    const detail = error instanceof Error ? error.name : describeValueType(error);
    return ignored(EMPTY_SUMMARY, `the event could not be read (${detail})`);
  }
}

/**
 * The ARN of the role whose session made the call (`userIdentity.sessionContext.sessionIssuer.arn`), used
 * to recognise the guard's own changes. Accepts the CloudTrail record (`detail`) or the whole EventBridge
 * event. Null when the caller was not a role session or the field is missing.
 */
export function guardActorArn(detailOrEvent: unknown): string | null {
  try {
    const detail = isEventBridgeEnvelope(detailOrEvent) ? field(detailOrEvent, 'detail') : detailOrEvent;
    const issuer = field(field(field(detail, 'userIdentity'), 'sessionContext'), 'sessionIssuer');
    const arn = field(issuer, 'arn');
    return typeof arn === 'string' && arn !== '' ? arn : null;
  } catch {
    return null;
  }
}

// ---- routing ------------------------------------------------------------------------------------

type CloudTrailRecord = z.infer<typeof CloudTrailRecordSchema>;
type EventParser = (record: CloudTrailRecord, event: EventSummary) => ParsedChange;

const PARSERS: Readonly<Record<SupportedEventName, EventParser>> = {
  AttachRolePolicy: parseAttachRolePolicy,
  DetachRolePolicy: parseDetachRolePolicy,
  PutRolePolicy: parsePutRolePolicy,
  CreatePolicyVersion: parseCreatePolicyVersion,
  SetDefaultPolicyVersion: parseSetDefaultPolicyVersion,
  PutRolePermissionsBoundary: parsePutRolePermissionsBoundary,
  DeleteRolePermissionsBoundary: parseDeleteRolePermissionsBoundary,
  DeleteRolePolicy: parseDeleteRolePolicy,
  UpdateAssumeRolePolicy: parseUpdateAssumeRolePolicy,
};

function parseEvent(raw: unknown): ParsedChange {
  const event = summariseEvent(raw);
  if (!isPlainObject(raw)) return ignored(event, `the event is ${describeValueType(raw)}, not a JSON object`);

  const envelope = parse(raw, undefined, EventBridgeSchema, true);
  if (!envelope.success) {
    return ignored(event, `not an EventBridge event: ${describeIssues(issuesOf(envelope.error), raw)}`);
  }
  const { source, 'detail-type': detailType, detail } = envelope.data;
  // ECR resource-policy calls have their own parser (./ecr-change).
  if (source === ECR_EVENT_SOURCE) return parseEcrChangeEvent(detailType, detail, event);
  if (source === EKS_EVENT_SOURCE) return parseEksEvent(envelope.data, event);
  if (source !== IAM_EVENT_SOURCE)
    return ignored(event, `unsupported source ${quote(source)} (expected "aws.iam")`);
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE) {
    return ignored(
      event,
      `unsupported detail-type ${quote(detailType)} (expected "${CLOUDTRAIL_DETAIL_TYPE}")`,
    );
  }
  if (!isPlainObject(detail))
    return ignored(event, `detail is ${describeValueType(detail)}, not a CloudTrail record`);

  const errorCode = field(detail, 'errorCode');
  if (errorCode !== undefined && errorCode !== null) {
    return ignored(event, `the call failed (errorCode ${describeText(errorCode)}): nothing changed`);
  }
  const record = CloudTrailRecordSchema.safeParse(detail);
  if (!record.success) {
    return ignored(
      event,
      `not a CloudTrail record: ${describeIssues(record.error.issues, detail, { pathPrefix: 'detail' })}`,
    );
  }
  if (record.data.eventSource !== IAM_SERVICE_ENDPOINT) {
    return ignored(
      event,
      `unsupported eventSource ${quote(record.data.eventSource)} (expected "${IAM_SERVICE_ENDPOINT}")`,
    );
  }
  const name = record.data.eventName;
  if (!isSupportedEventName(name))
    return ignored(event, `eventName ${quote(name)} is not one the guard evaluates`);
  return PARSERS[name](record.data, event);
}

// ---- one parser per supported call ----------------------------------------------------------------

function parseAttachRolePolicy(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = AttachRolePolicyParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('AttachRolePolicy', params.error, record, event);
  return {
    kind: 'role-policy-attached',
    event,
    roleName: params.data.roleName,
    policyArn: params.data.policyArn,
  };
}

function parseDetachRolePolicy(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = DetachRolePolicyParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('DetachRolePolicy', params.error, record, event);
  return {
    kind: 'role-policy-detached',
    event,
    roleName: params.data.roleName,
    policyArn: params.data.policyArn,
  };
}

function parsePutRolePolicy(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = PutRolePolicyParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('PutRolePolicy', params.error, record, event);
  const { roleName, policyName, policyDocument } = params.data;
  return { kind: 'role-policy-put', event, roleName, policyName, document: policyDocument };
}

function parseCreatePolicyVersion(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = CreatePolicyVersionParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('CreatePolicyVersion', params.error, record, event);
  if (params.data.setAsDefault !== true) {
    return ignored(
      event,
      'CreatePolicyVersion did not set the new version as default (setAsDefault false or absent): effective permissions are unchanged',
    );
  }
  const response = CreatePolicyVersionResponse.safeParse(record.responseElements);
  return {
    kind: 'policy-version',
    event,
    policyArn: params.data.policyArn,
    versionId: response.success ? response.data.policyVersion.versionId : null,
    document: params.data.policyDocument ?? null,
  };
}

function parseSetDefaultPolicyVersion(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = SetDefaultPolicyVersionParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('SetDefaultPolicyVersion', params.error, record, event);
  return {
    kind: 'policy-version',
    event,
    policyArn: params.data.policyArn,
    versionId: params.data.versionId,
    document: null,
  };
}

function parsePutRolePermissionsBoundary(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = PutRolePermissionsBoundaryParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('PutRolePermissionsBoundary', params.error, record, event);
  return {
    kind: 'boundary-put',
    event,
    roleName: params.data.roleName,
    boundaryArn: params.data.permissionsBoundary,
  };
}

function parseDeleteRolePermissionsBoundary(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = DeleteRolePermissionsBoundaryParams.safeParse(record.requestParameters);
  if (!params.success)
    return unusableParameters('DeleteRolePermissionsBoundary', params.error, record, event);
  return { kind: 'boundary-deleted', event, roleName: params.data.roleName };
}

function parseDeleteRolePolicy(record: CloudTrailRecord, event: EventSummary): ParsedChange {
  const params = DeleteRolePolicyParams.safeParse(record.requestParameters);
  if (!params.success) return unusableParameters('DeleteRolePolicy', params.error, record, event);
  return {
    kind: 'role-policy-deleted',
    event,
    roleName: params.data.roleName,
    policyName: params.data.policyName,
  };
}

function unusableParameters(
  eventName: SupportedEventName,
  error: z.ZodError,
  record: CloudTrailRecord,
  event: EventSummary,
): IgnoredChange {
  const problems = describeIssues(error.issues, record.requestParameters, {
    pathPrefix: 'requestParameters',
  });
  return ignored(event, `${eventName} with unusable request parameters: ${problems}`);
}

// ---- summary (lenient: fills what is known, never fails) -----------------------------------------

const EMPTY_SUMMARY: EventSummary = {
  id: null,
  name: null,
  time: null,
  actor: null,
  sourceIp: null,
  userAgent: null,
  account: null,
};

function summariseEvent(raw: unknown): EventSummary {
  const detail = field(raw, 'detail');
  const identity = field(detail, 'userIdentity');
  return {
    id: text(detail, 'eventID') ?? text(raw, 'id'),
    name: text(detail, 'eventName'),
    time: text(detail, 'eventTime') ?? text(raw, 'time'),
    actor:
      text(identity, 'arn') ??
      text(identity, 'principalId') ??
      text(identity, 'invokedBy') ??
      text(identity, 'type'),
    sourceIp: text(detail, 'sourceIPAddress'),
    userAgent: text(detail, 'userAgent'),
    account: text(detail, 'recipientAccountId') ?? text(raw, 'account'),
    policy: policySummary(field(detail, 'requestParameters'), field(detail, 'responseElements')),
  };
}

/** The policy the call named: ARN (attach, versions, boundary), inline name, and version id when known. */
function policySummary(request: unknown, response: unknown): EventSummary['policy'] {
  const arn = text(request, 'policyArn') ?? text(request, 'permissionsBoundary');
  const name = text(request, 'policyName');
  const versionId = text(request, 'versionId') ?? text(field(response, 'policyVersion'), 'versionId');
  if (arn === null && name === null) return null;
  return { arn, name: name ?? (arn === null ? null : arn.slice(arn.lastIndexOf('/') + 1)), versionId };
}

// ---- small helpers --------------------------------------------------------------------------------

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_EVENT_NAMES);

function isSupportedEventName(name: string): name is SupportedEventName {
  return SUPPORTED.has(name);
}

function ignored(event: EventSummary, reason: string): IgnoredChange {
  return { kind: 'ignored', reason, event };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEventBridgeEnvelope(value: unknown): boolean {
  return isPlainObject(value) && Object.hasOwn(value, 'detail-type') && Object.hasOwn(value, 'detail');
}

/** An own property of a plain object, else undefined. */
function field(value: unknown, key: string): unknown {
  return isPlainObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

/** A non-empty string property, clipped for safe logging, else null. */
function text(value: unknown, key: string): string | null {
  const found = field(value, key);
  return typeof found === 'string' && found !== '' ? clip(found, MAX_TEXT) : null;
}

function clip(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max)}…`;
}

function quote(value: string): string {
  return JSON.stringify(clip(value, MAX_QUOTED));
}

function describeText(value: unknown): string {
  return typeof value === 'string' ? quote(value) : `of type ${describeValueType(value)}`;
}

/** Powertools' ParseError carries the schema issues as its cause. */
function issuesOf(error: Error): SchemaIssue[] {
  const cause: unknown = error.cause;
  if (!Array.isArray(cause)) return [{ message: error.message }];
  return cause.filter(isSchemaIssue);
}

function isSchemaIssue(value: unknown): value is SchemaIssue {
  return isPlainObject(value) && typeof value.message === 'string';
}
