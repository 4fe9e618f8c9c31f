// Edge of the event path, ECR part: turns the CloudTrail record of an ECR resource-policy call (routed here by
// role-change.ts's entry point) into a typed change carrying the new policy text, or an `ignored` change.
import { z } from 'zod';
import {
  CLOUDTRAIL_DETAIL_TYPE,
  ECR_SERVICE_ENDPOINT,
  WATCHED_EVENTS,
  type WatchedEcrEventName,
} from '../contract';
import type { EventSummary, SupportedEcrEventName } from '../domain/types';
import type { IgnoredChange } from './role-change';
import { describeIssues, describeValueType } from './validation-message';

/** The ECR calls that can grant write through a resource policy: the contract's names, each parsed below. */
export const SUPPORTED_ECR_EVENT_NAMES = WATCHED_EVENTS['aws.ecr']
  .eventNames satisfies readonly SupportedEcrEventName[];

interface EcrChangeBase {
  readonly event: EventSummary;
  /** `detail.awsRegion`: ECR is regional. */
  readonly region: string;
  /** The registry (account id) the policy belongs to. */
  readonly registryId: string;
}

/** SetRepositoryPolicy: the repository's whole new policy. */
export interface RepositoryPolicySet extends EcrChangeBase {
  readonly kind: 'ecr-repository-policy';
  readonly repositoryName: string;
  /** The JSON string as sent (else as ECR re-serialised it in responseElements). */
  readonly policyText: string;
}
/** PutRegistryPolicy: the registry's whole new policy. */
export interface RegistryPolicyPut extends EcrChangeBase {
  readonly kind: 'ecr-registry-policy';
  readonly policyText: string;
}
/** Create/UpdateRepositoryCreationTemplate: the repository policy the template stamps on new repositories. */
export interface CreationTemplatePut extends EcrChangeBase {
  readonly kind: 'ecr-creation-template';
  readonly prefix: string;
  /** null when the call sets no repository policy (create without one; update that keeps the old one). */
  readonly repositoryPolicy: string | null;
}

export type EcrChange = RepositoryPolicySet | RegistryPolicyPut | CreationTemplatePut;

/** ECR repository names: 2-256 of lower-case letters, digits and `._/-` (ECR API `RepositoryName`). */
const repositoryName = z
  .string()
  .max(256, 'longer than 256 characters')
  .regex(
    /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
    'not a valid ECR repository name',
  );
const registryId = z.string().regex(/^[0-9]{12}$/, 'not a 12-digit registry id');
const policyText = z.string().min(1).max(10240, 'longer than 10,240 characters');

const RecordSchema = z.looseObject({
  eventSource: z.string(),
  eventName: z.string(),
  awsRegion: z.string().min(1),
  recipientAccountId: registryId.optional(),
  requestParameters: z.unknown().optional(),
  responseElements: z.unknown().optional(),
});
type EcrRecord = z.infer<typeof RecordSchema>;

const SetRepositoryPolicyParams = z.looseObject({
  repositoryName,
  policyText: policyText.optional(),
  registryId: registryId.optional(),
});
const PutRegistryPolicyParams = z.looseObject({ policyText: policyText.optional() });
const TemplateParams = z.looseObject({
  prefix: z.string().min(1).max(256),
  repositoryPolicy: policyText.optional(),
});
const Response = z.looseObject({ registryId: registryId.optional(), policyText: z.string().optional() });

type Parser = (record: EcrRecord, base: EcrChangeBase) => EcrChange | IgnoredChange;

const PARSERS: Readonly<Record<WatchedEcrEventName, Parser>> = {
  SetRepositoryPolicy: (record, base) => {
    const params = SetRepositoryPolicyParams.safeParse(record.requestParameters);
    if (!params.success) return unusable('SetRepositoryPolicy', params.error, record, base.event);
    const text = params.data.policyText ?? responseOf(record).policyText;
    if (text === undefined) return ignored(base.event, 'SetRepositoryPolicy without a policyText');
    const registry = params.data.registryId ?? base.registryId;
    return {
      kind: 'ecr-repository-policy',
      ...base,
      registryId: registry,
      event: { ...base.event, policy: { arn: null, name: params.data.repositoryName, versionId: null } },
      repositoryName: params.data.repositoryName,
      policyText: text,
    };
  },
  PutRegistryPolicy: (record, base) => {
    const params = PutRegistryPolicyParams.safeParse(record.requestParameters);
    if (!params.success) return unusable('PutRegistryPolicy', params.error, record, base.event);
    const text = params.data.policyText ?? responseOf(record).policyText;
    if (text === undefined) return ignored(base.event, 'PutRegistryPolicy without a policyText');
    return { kind: 'ecr-registry-policy', ...base, policyText: text };
  },
  CreateRepositoryCreationTemplate: (record, base) =>
    template('CreateRepositoryCreationTemplate', record, base),
  UpdateRepositoryCreationTemplate: (record, base) =>
    template('UpdateRepositoryCreationTemplate', record, base),
};

function template(
  name: WatchedEcrEventName,
  record: EcrRecord,
  base: EcrChangeBase,
): EcrChange | IgnoredChange {
  const params = TemplateParams.safeParse(record.requestParameters);
  if (!params.success) return unusable(name, params.error, record, base.event);
  return {
    kind: 'ecr-creation-template',
    ...base,
    event: { ...base.event, policy: { arn: null, name: params.data.prefix, versionId: null } },
    prefix: params.data.prefix,
    repositoryPolicy: params.data.repositoryPolicy ?? null,
  };
}

/**
 * Parses an `aws.ecr` EventBridge event's detail (the envelope is already validated by the caller). Never
 * throws: anything the guard does not evaluate is an `ignored` change with the reason.
 */
export function parseEcrChangeEvent(
  detailType: string,
  detail: unknown,
  event: EventSummary,
): EcrChange | IgnoredChange {
  if (detailType !== CLOUDTRAIL_DETAIL_TYPE)
    return ignored(
      event,
      `unsupported detail-type ${quote(detailType)} (expected "${CLOUDTRAIL_DETAIL_TYPE}")`,
    );
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail))
    return ignored(event, `detail is ${describeValueType(detail)}, not a CloudTrail record`);
  if ('errorCode' in detail && detail.errorCode !== undefined && detail.errorCode !== null)
    return ignored(event, 'the call failed (errorCode set): nothing changed');
  const record = RecordSchema.safeParse(detail);
  if (!record.success)
    return ignored(
      event,
      `not a CloudTrail record: ${describeIssues(record.error.issues, detail, { pathPrefix: 'detail' })}`,
    );
  if (record.data.eventSource !== ECR_SERVICE_ENDPOINT) {
    return ignored(
      event,
      `unsupported eventSource ${quote(record.data.eventSource)} (expected "${ECR_SERVICE_ENDPOINT}")`,
    );
  }
  const name = record.data.eventName;
  if (!isSupported(name)) return ignored(event, `eventName ${quote(name)} is not one the guard evaluates`);
  const registry =
    responseOf(record.data).registryId ?? record.data.recipientAccountId ?? event.account ?? null;
  if (registry === null) return ignored(event, `${name} without a registry id or recipient account`);
  return PARSERS[name](record.data, { event, region: record.data.awsRegion, registryId: registry });
}

const SUPPORTED: ReadonlySet<string> = new Set(SUPPORTED_ECR_EVENT_NAMES);

function isSupported(name: string): name is WatchedEcrEventName {
  return SUPPORTED.has(name);
}

function responseOf(record: EcrRecord): z.infer<typeof Response> {
  const response = Response.safeParse(record.responseElements);
  return response.success ? response.data : {};
}

function unusable(name: string, error: z.ZodError, record: EcrRecord, event: EventSummary): IgnoredChange {
  const problems = describeIssues(error.issues, record.requestParameters, {
    pathPrefix: 'requestParameters',
  });
  return ignored(event, `${name} with unusable request parameters: ${problems}`);
}

function ignored(event: EventSummary, reason: string): IgnoredChange {
  return { kind: 'ignored', reason, event };
}

function quote(value: string): string {
  return JSON.stringify(value.length <= 128 ? value : `${value.slice(0, 128)}…`);
}
