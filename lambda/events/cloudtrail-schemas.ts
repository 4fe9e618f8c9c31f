// Edge schemas (zod) for the CloudTrail records the guard evaluates: the record itself and the
// requestParameters of each supported IAM call. Used only by the event parser in role-change.ts.
import { z } from 'zod';
import { isIamPolicyArn } from '../domain/arn';
import { describeValueType } from './validation-message';

/** IAM role names: 1-64 of `[A-Za-z0-9+=,.@_-]` (IAM API `roleNameType`). */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** IAM policy names: 1-128 of the same characters (IAM API `policyNameType`). */
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** IAM policy version ids: `v1`, `v2`... (IAM API `policyVersionIdType`). */
export const POLICY_VERSION_ID = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;
/** IAM ARNs are at most 2048 characters (IAM API `arnType`). */
const MAX_ARN_LENGTH = 2048;

const roleName = z
  .string()
  .max(64, 'longer than 64 characters')
  .regex(ROLE_NAME, 'not a valid IAM role name');
const policyName = z
  .string()
  .max(128, 'longer than 128 characters')
  .regex(POLICY_NAME, 'not a valid IAM policy name');
const policyArn = z
  .string()
  .max(MAX_ARN_LENGTH, `longer than ${MAX_ARN_LENGTH} characters`)
  .refine(isIamPolicyArn, 'not an IAM managed policy ARN');
const versionId = z
  .string()
  .max(64, 'longer than 64 characters')
  .regex(POLICY_VERSION_ID, 'not a policy version id');

/**
 * A policy document as producers write it: CloudTrail records a JSON string (plain or URL-encoded, decoded by
 * the analysis), other producers a JSON object. Both are kept; the analysis decides what they grant.
 */
const policyDocument = z.union([z.string(), z.record(z.string(), z.unknown())], {
  error: (issue) => expectedGot('a JSON string or object', issue.input),
});

/** A boolean flag, also given as the string "true" / "false" (any case) by some producers. */
const flag = z.union(
  [
    z.boolean(),
    z
      .string()
      .regex(/^(true|false)$/i)
      .transform((value) => value.toLowerCase() === 'true'),
  ],
  { error: (issue) => expectedGot('true, false, "true" or "false"', issue.input) },
);

/** `expected <what> (missing)` / `expected <what>, got <type>`, as the other type mismatches read. */
function expectedGot(what: string, input: unknown): string {
  const found = describeValueType(input);
  return found === 'missing' ? `expected ${what} (missing)` : `expected ${what}, got ${found}`;
}

/** The CloudTrail record fields the guard routes on; everything else is read leniently for the summary. */
export const CloudTrailRecordSchema = z.looseObject({
  eventSource: z.string(),
  eventName: z.string(),
  requestParameters: z.unknown().optional(),
  responseElements: z.unknown().optional(),
});

export const AttachRolePolicyParams = z.looseObject({ roleName, policyArn });
export const DetachRolePolicyParams = z.looseObject({ roleName, policyArn });

export const PutRolePolicyParams = z.looseObject({
  roleName,
  policyName,
  /** CloudTrail: a plain JSON string, whitespace as sent; a JSON object from other producers. */
  policyDocument,
});

/**
 * `setAsDefault` is validated separately so that a missing/false flag reads as "not the default" and
 * anything else as malformed; `policyDocument` may be absent (the version is then read from IAM).
 */
export const CreatePolicyVersionParams = z.looseObject({
  policyArn,
  policyDocument: policyDocument.optional(),
  setAsDefault: flag.optional(),
});

export const CreatePolicyVersionResponse = z.looseObject({
  policyVersion: z.looseObject({ versionId }),
});

export const SetDefaultPolicyVersionParams = z.looseObject({ policyArn, versionId });

export const PutRolePermissionsBoundaryParams = z.looseObject({ roleName, permissionsBoundary: policyArn });

export const DeleteRolePermissionsBoundaryParams = z.looseObject({ roleName });
export const DeleteRolePolicyParams = z.looseObject({ roleName, policyName });
