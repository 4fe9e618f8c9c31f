// Notify (pure): the alert subject (e-mail subject, SNS Subject): one line of printable ASCII, at most 99 bytes.
import type { Decision, RemediationOutcome } from '../domain/types';
import { asciiLine, truncateAscii } from '../present/text';
import { type AlertState, alertState } from './alert-input';

/**
 * SNS: "less than 100 characters", no line breaks or control characters; older SNS documentation asked for ASCII.
 * Subjects are printable ASCII only, so this is a limit in characters and in bytes at once.
 */
export const MAX_SUBJECT_LENGTH = 99;
/** Long enough for every CloudTrail event name the guard handles; anything longer is not one. */
const MAX_EVENT_NAME_LENGTH = 40;
/** A role name never shrinks below this, so the subject still says which role. */
const MIN_ROLE_LENGTH = 12;
/** An account name is cut to this (the id beside it is what identifies the account). */
const MAX_ACCOUNT_NAME_LENGTH = 24;
/** Below this room an account name is left out: the id alone is clearer than a few letters and `...`. */
const MIN_ACCOUNT_NAME_LENGTH = 6;

/** The account an alert of the organization's central topic names (its id, and its name when readable). */
export interface SubjectAccount {
  readonly id: string | null;
  readonly name: string | null;
}

/** The subject without the role name: the role goes between `before` and `after`. */
interface SubjectParts {
  readonly tags: string;
  readonly before: string;
  readonly after: string;
}

function severityTag(decision: Decision): string {
  return decision.severity === null ? '' : `[${decision.severity.toUpperCase()}]`;
}

function tags(...parts: string[]): string {
  return parts.filter((part) => part.length > 0).join(' ');
}

function subjectParts(state: AlertState, decision: Decision): SubjectParts {
  const severity = severityTag(decision);
  const now = decision.event.name === null ? '' : ' now';
  switch (state) {
    case 'violation':
      return { tags: severity || '[ALERT]', before: 'EKS node role ', after: ` can${now} write to ECR` };
    case 'indeterminate':
      return { tags: '[CHECK]', before: 'Could not verify EKS node role ', after: '' };
    case 'exempt':
      return { tags: tags('[EXEMPT]', severity), before: 'EKS node role ', after: ' can write to ECR' };
    case 'compliant':
      return decision.scope === 'change'
        ? { tags: '[OK]', before: 'Change to role ', after: ' adds no ECR write access' }
        : { tags: '[OK]', before: 'EKS node role ', after: ' cannot write to ECR' };
    case 'not-node-role':
      return { tags: '[INFO]', before: 'Role ', after: ' is not an EKS node role' };
    case 'ignored':
      return { tags: '[INFO]', before: 'Ignored a change to role ', after: '' };
    case 'fixed':
      return { tags: '[FIXED]', before: 'ECR write removed from EKS node role ', after: '' };
    case 'already-fixed':
      return { tags: '[INFO]', before: 'EKS node role ', after: ' already fixed, no change' };
    case 'fix-failed':
      return { tags: tags('[ACTION NEEDED]', severity), before: 'Fix failed on EKS node role ', after: '' };
    case 'fix-failed-pulls-at-risk':
      return { tags: tags('[ACTION NEEDED]', severity), before: 'Pulls at risk, node role ', after: '' };
    case 'escalated-in-use':
      return {
        tags: tags('[ESCALATED]', severity),
        before: 'In use, not fixed: EKS node role ',
        after: ' pushes to ECR',
      };
    case 'held-usage-unknown':
      return {
        tags: tags('[CHECK]', severity),
        before: 'Not fixed, ECR usage unknown: EKS node role ',
        after: '',
      };
  }
}

/**
 * The subject for a decision, e.g. `[HIGH] EKS node role prod-ng-1 can now write to ECR (AttachRolePolicy)`; with an
 * account (the central topic's alerts), `[HIGH] prod-payments (111122223333): EKS node role prod-ng-1 can now write
 * to ECR (AttachRolePolicy)`. Untrusted parts are made single-line ASCII (anything else becomes `?`); a long role
 * name is shortened with `...` so the tags and the event name always fit. With an account, the tags, the account id
 * and at least 12 characters of the role come first: the account name is shortened or left out, and the event name
 * is left out when even those do not fit with it (the `eventName` attribute still carries it).
 */
export function alertSubject(
  decision: Decision,
  outcome: RemediationOutcome | null,
  account: SubjectAccount | null = null,
): string {
  const parts = subjectParts(alertState(decision, outcome), decision);
  const eventName =
    decision.event.name === null ? '' : truncateAscii(decision.event.name, MAX_EVENT_NAME_LENGTH);
  let eventPart = eventName.length > 0 ? ` (${eventName})` : '';
  const role = asciiLine(decision.role?.name ?? '', MAX_SUBJECT_LENGTH) || '(unknown)';
  const fixed = () => parts.tags.length + 1 + parts.before.length + parts.after.length + eventPart.length;
  const idPart = account?.id ? `${asciiLine(account.id, 20)}: ` : '';
  if (fixed() + idPart.length + MIN_ROLE_LENGTH > MAX_SUBJECT_LENGTH) eventPart = '';
  const accountPart =
    account === null ? '' : accountLabel(account, MAX_SUBJECT_LENGTH - fixed() - MIN_ROLE_LENGTH);
  const roleBudget = Math.max(MAX_SUBJECT_LENGTH - fixed() - accountPart.length, MIN_ROLE_LENGTH);
  const subject = `${parts.tags} ${accountPart}${parts.before}${truncateAscii(role, roleBudget)}${parts.after}${eventPart}`;
  return truncateAscii(subject, MAX_SUBJECT_LENGTH);
}

/** `name (id): `, `id: ` or `name: ` within `room` characters; the name shortened or left out first. */
function accountLabel(account: SubjectAccount, room: number): string {
  const id = asciiLine(account.id ?? '', 20);
  const name = asciiLine(account.name ?? '', MAX_SUBJECT_LENGTH);
  const idOnly = id.length > 0 ? `${id}: ` : '';
  const wrapping = id.length > 0 ? idOnly.length + 3 : 2;
  const nameBudget = Math.min(MAX_ACCOUNT_NAME_LENGTH, room - wrapping);
  if (name.length === 0 || nameBudget < MIN_ACCOUNT_NAME_LENGTH) return idOnly;
  const shortName = truncateAscii(name, nameBudget);
  return id.length > 0 ? `${shortName} (${id}): ` : `${shortName}: `;
}
