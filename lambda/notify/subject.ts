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
 * to ECR`. Untrusted parts are made single-line ASCII (anything else becomes `?`); a long role name is shortened with
 * `...` so the tags and the event name always fit. With an account, what gives way first when it is too long is the
 * event name (the `eventName` attribute and the body keep it), then the account name (shortened, then left out: the
 * id stays), then the role name, never below 12 characters.
 */
export function alertSubject(
  decision: Decision,
  outcome: RemediationOutcome | null,
  account: SubjectAccount | null = null,
): string {
  const parts = subjectParts(alertState(decision, outcome), decision);
  const eventName =
    decision.event.name === null ? '' : truncateAscii(decision.event.name, MAX_EVENT_NAME_LENGTH);
  const eventPart = eventName.length > 0 ? ` (${eventName})` : '';
  const role = asciiLine(decision.role?.name ?? '', MAX_SUBJECT_LENGTH) || '(unknown)';
  const compose = (accountPart: string, roleText: string, event: string) =>
    `${parts.tags} ${accountPart}${parts.before}${roleText}${parts.after}${event}`;
  const fixedLength = (event: string) =>
    parts.tags.length + 1 + parts.before.length + parts.after.length + event.length;

  if (account === null) {
    const roleBudget = Math.max(MAX_SUBJECT_LENGTH - fixedLength(eventPart), MIN_ROLE_LENGTH);
    return truncateAscii(compose('', truncateAscii(role, roleBudget), eventPart), MAX_SUBJECT_LENGTH);
  }
  const label = accountLabel(account);
  const whole = label.of(label.name);
  for (const event of [eventPart, '']) {
    const subject = compose(whole, role, event);
    if (subject.length <= MAX_SUBJECT_LENGTH) return subject;
  }
  // Without the event name it is still too long: the account name shrinks first, then the role.
  const room = MAX_SUBJECT_LENGTH - fixedLength('') - label.of('').length;
  let nameLength = Math.min(label.name.length, SQUEEZED_ACCOUNT_NAME_LENGTH);
  if (room - label.wrapping - nameLength < MIN_ROLE_LENGTH)
    nameLength = room - label.wrapping - MIN_ROLE_LENGTH;
  const withName = label.name.length > 0 && nameLength >= MIN_ACCOUNT_NAME_LENGTH;
  const accountPart = withName ? label.of(truncateAscii(label.name, nameLength)) : label.of('');
  const roleBudget = Math.max(MAX_SUBJECT_LENGTH - fixedLength('') - accountPart.length, MIN_ROLE_LENGTH);
  return truncateAscii(compose(accountPart, truncateAscii(role, roleBudget), ''), MAX_SUBJECT_LENGTH);
}

/** An account name that must share the line with a long role name keeps this much. */
const SQUEEZED_ACCOUNT_NAME_LENGTH = 16;

/** The account as the subject writes it: `name (id): `, `id: ` or `name: `; `wrapping` is what a name adds to it. */
function accountLabel(account: SubjectAccount): {
  readonly name: string;
  readonly wrapping: number;
  readonly of: (name: string) => string;
} {
  const id = asciiLine(account.id ?? '', 20);
  const name = truncateAscii(account.name ?? '', MAX_ACCOUNT_NAME_LENGTH);
  if (id.length === 0) return { name, wrapping: 2, of: (shown) => (shown.length > 0 ? `${shown}: ` : '') };
  return { name, wrapping: 3, of: (shown) => (shown.length > 0 ? `${shown} (${id}): ` : `${id}: `) };
}
