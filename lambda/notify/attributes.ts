// Notify (pure): SNS message attributes (String) that subscription filter policies match on, and message size.

import { ownerLabel, UNKNOWN_OWNER } from '../domain/owners';
import type { Decision } from '../domain/types';
import { singleLine, truncate, utf8Bytes } from '../present/text';
import { type AlertInput, alertAccount } from './alert-input';
import type { AlertKind } from './alert-kind';

/** SNS: 256 KiB per message, body and message attributes together. */
export const MAX_MESSAGE_BYTES = 262_144;
/** What an alert may use: the limit less a margin for SNS's own accounting of attribute names and types. */
export const MESSAGE_BYTE_BUDGET = MAX_MESSAGE_BYTES - 2_048;
/** SQS subscriptions with raw message delivery accept at most 10 message attributes. */
export const MAX_ATTRIBUTES = 10;

const MAX_ATTRIBUTE_VALUE_LENGTH = 256;

/** SNS rejects empty attribute values, so every value falls back to a word. */
function attributeValue(value: string | null | undefined, fallback: string): string {
  const clean = truncate(singleLine(value ?? ''), MAX_ATTRIBUTE_VALUE_LENGTH);
  return clean.length > 0 ? clean : fallback;
}

/** The message attribute a team's subscription filter policy matches its own alerts on (docs/alerts.md). */
export const OWNER_ATTRIBUTE = 'owner';

/**
 * `owner`: the node role's owner tag value (single line, at most 256 characters), `untagged` or `unknown`; absent when
 * the decision is not about a node role (no owner was resolved), so an owner's filter policy never matches it.
 */
export function ownerAttribute(decision: Pick<Decision, 'owner'>): Record<string, string> {
  if (decision.owner === undefined) return {};
  return { [OWNER_ATTRIBUTE]: attributeValue(ownerLabel(decision.owner), UNKNOWN_OWNER) };
}

/**
 * `severity` (critical|high|medium|none), `verdict`, `account`, `eventName`, `remediation` (status or none),
 * plus `alertKind`, `mode` and `roleName`: eight String attributes; and `owner` when the decision has one.
 */
export function alertAttributes(input: AlertInput, kind: AlertKind | null): Record<string, string> {
  const { decision, outcome } = input;
  return {
    severity: decision.severity ?? 'none',
    verdict: decision.verdict,
    account: attributeValue(alertAccount(input), 'unknown'),
    eventName: attributeValue(decision.event.name, 'none'),
    remediation: outcome?.status ?? 'none',
    alertKind: kind ?? 'none',
    mode: input.mode,
    roleName: attributeValue(decision.role?.name, 'none'),
    ...ownerAttribute(decision),
  };
}

/**
 * The attributes of the organization's central topic: the alert's, with `accountId` in place of `account` (the same
 * id; a topic with no older subscribers gets the explicit name) and `accountName` when the name was read, so the
 * central topic carries as many attributes as the alert topic plus one.
 */
export function centralAlertAttributes(
  attributes: Readonly<Record<string, string>>,
  account: { readonly id: string | null; readonly name: string | null },
): Record<string, string> {
  const { account: _replaced, ...rest } = attributes;
  const name = attributeValue(account.name, '');
  return {
    ...rest,
    accountId: attributeValue(account.id, 'unknown'),
    ...(name === '' ? {} : { accountName: name }),
  };
}

/** Bytes SNS counts for a publish: subject, message, and each attribute's name, type (`String`) and value. */
export function messageBytes(message: {
  readonly subject: string;
  readonly body: string;
  readonly attributes: Readonly<Record<string, string>>;
}): number {
  const attributeBytes = Object.entries(message.attributes).reduce(
    (total, [name, value]) => total + utf8Bytes(name) + utf8Bytes('String') + utf8Bytes(value),
    0,
  );
  return utf8Bytes(message.subject) + utf8Bytes(message.body) + attributeBytes;
}
