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
 * The subject for a decision, e.g. `[HIGH] EKS node role prod-ng-1 can now write to ECR (AttachRolePolicy)`.
 * Untrusted parts are made single-line ASCII (anything else becomes `?`); a long role name is shortened with `...`
 * so the tags and the event name always fit.
 */
export function alertSubject(decision: Decision, outcome: RemediationOutcome | null): string {
  const parts = subjectParts(alertState(decision, outcome), decision);
  const eventName =
    decision.event.name === null ? '' : truncateAscii(decision.event.name, MAX_EVENT_NAME_LENGTH);
  const eventPart = eventName.length > 0 ? ` (${eventName})` : '';
  const role = asciiLine(decision.role?.name ?? '', MAX_SUBJECT_LENGTH) || '(unknown)';
  const fixedLength = parts.tags.length + 1 + parts.before.length + parts.after.length + eventPart.length;
  const roleBudget = Math.max(MAX_SUBJECT_LENGTH - fixedLength, MIN_ROLE_LENGTH);
  const subject = `${parts.tags} ${parts.before}${truncateAscii(role, roleBudget)}${parts.after}${eventPart}`;
  return truncateAscii(subject, MAX_SUBJECT_LENGTH);
}
