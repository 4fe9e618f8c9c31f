// Notify (pure): the alert's first screen, enough to act on a phone: what, who and when, where, what the guard did,
// the one fix command and its rollback, the console link; lines of at most 40 characters (a long name, link or
// command stands alone on its line, whole, so it copies intact). The e-mail opens with it; chat reuses its parts.
import { ownerLabel } from '../domain/owners';
import type { NodeRoleEvidence } from '../domain/types';
import { headOf, wrap } from '../present/text';
import { commandsToFix } from './alert-commands';
import { type AlertInput, type AlertState, alertAccount } from './alert-input';
import { field, formatUtc, INDENT, policyNameFromArn } from './alert-layout';
import { roleConsoleUrl } from './console-link';
import { checkCommands, stepsToUndo, unexemptCommand } from './remedies';
import { type CliCommand, isPrintable, renderCommandOneLine, rollbackCommands } from './shell';

/** Narrow enough for a phone held upright. */
export const FIRST_SCREEN_WIDTH = 40;
const MAX_CLUSTERS = 3;

/** What the guard did, in a few words. */
export function guardStatus(input: AlertInput, state: AlertState): string {
  switch (state) {
    case 'violation':
      return input.mode === 'alert' ? 'alert only, nothing changed' : 'no remediation ran, nothing changed';
    case 'indeterminate':
      return 'nothing changed: the role could not be verified';
    case 'exempt': {
      const until = input.decision.exemption?.until ?? null;
      return `nothing changed: exempt ${until === null ? 'with no end date' : `until ${field(until)}`}`;
    }
    case 'compliant':
    case 'not-node-role':
    case 'ignored':
      return 'nothing to do';
    case 'fixed':
      return 'fixed and verified';
    case 'already-fixed':
      return 'nothing changed: already fixed';
    case 'fix-failed':
      return 'fix not finished: image pulls still work, finish it by hand';
    case 'fix-failed-pulls-at-risk':
      return 'fix failed and image pulls may be broken: act now';
    case 'escalated-in-use':
      return 'not fixed: CloudTrail shows the role pushing to ECR; move the pushes to a pod role';
    case 'held-usage-unknown':
      return "not fixed: the role's ECR usage could not be looked up";
  }
}

const STATE_TAG: Record<AlertState, string> = {
  violation: '',
  indeterminate: '[CHECK]',
  exempt: '[EXEMPT]',
  compliant: '[OK]',
  'not-node-role': '[INFO]',
  ignored: '[INFO]',
  fixed: '[FIXED]',
  'already-fixed': '[INFO]',
  'fix-failed': '[ACTION NEEDED]',
  'fix-failed-pulls-at-risk': '[ACT NOW]',
  'escalated-in-use': '[ESCALATED]',
  'held-usage-unknown': '[CHECK]',
};

function headline(input: AlertInput, state: AlertState): string {
  const text: Record<AlertState, string> = {
    violation: 'node role can write to ECR',
    indeterminate: 'could not verify a node role',
    exempt: 'can write to ECR',
    compliant:
      input.decision.scope === 'change'
        ? 'this change adds no ECR write access'
        : 'node role cannot write to ECR',
    'not-node-role': 'role is not an EKS node role',
    ignored: 'the guard ignored a role change',
    fixed: 'ECR write removed',
    'already-fixed': 'node role was already fixed',
    'fix-failed': 'fix not finished',
    'fix-failed-pulls-at-risk': 'pulls at risk',
    'escalated-in-use': 'in use, not fixed',
    'held-usage-unknown': 'not fixed, ECR usage unknown',
  };
  const severity = input.decision.severity === null ? '' : `[${input.decision.severity.toUpperCase()}]`;
  const tags = [STATE_TAG[state], severity].filter((tag) => tag.length > 0).join(' ') || '[ALERT]';
  return `${tags} ${text[state]}`;
}

/** Each `region/cluster` that uses the role, once, sorted. */
export function clusterNames(evidence: readonly NodeRoleEvidence[]): string[] {
  const names = evidence.flatMap((item) =>
    item.cluster === null ? [] : [`${item.region ?? '?'}/${item.cluster}`],
  );
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

/** A labelled command set at a glance: what to run next, or why there is nothing to run. */
export interface GlanceCommand {
  readonly label: string;
  readonly commands: readonly CliCommand[];
  /** Shown instead of a command when there is none. */
  readonly none?: string;
}

/** The one command to run first: the fix (its steps joined with `&&`), or the check, or ending an exemption. */
export function fixAtAGlance(input: AlertInput, state: AlertState): GlanceCommand | null {
  const roleName = input.decision.role?.name ?? null;
  if (state === 'indeterminate') {
    const checks = checkCommands(input.decision);
    const simulate = checks.filter((command) => command[2] === 'simulate-principal-policy');
    return {
      label: 'Check',
      commands: simulate.length > 0 ? simulate : checks.slice(0, 1),
      none: 'see below',
    };
  }
  if (state === 'exempt')
    return roleName === null ? null : { label: 'End the exemption', commands: [unexemptCommand(roleName)] };
  const commands = commandsToFix(input, state);
  const label: Partial<Record<AlertState, string>> = {
    violation: 'Fix',
    fixed: 'Finish',
    'fix-failed': 'Finish the fix',
    'fix-failed-pulls-at-risk': 'Restore pulls now',
  };
  const chosen = label[state];
  if (chosen === undefined || (commands.length === 0 && state === 'fixed')) return null;
  return { label: chosen, commands, none: 'by hand, see below' };
}

/** The rollback of the fix, joined the same way: of the guard's changes, or (alert mode) of the fix above. */
export function undoAtAGlance(input: AlertInput, state: AlertState): GlanceCommand | null {
  const commands = rollbackCommands(stepsToUndo(input));
  if (commands.length > 0) return { label: state === 'violation' ? 'Undo the fix' : 'Undo', commands };
  return state === 'fix-failed'
    ? { label: 'Undo', commands: [], none: 'nothing, the guard changed nothing' }
    : null;
}

/** Commands as one shell line (`a && b`), or null when one of them cannot be shown as it is. */
export function oneLine(commands: readonly CliCommand[]): string | null {
  if (!commands.every(isPrintable)) return null;
  return commands.map(renderCommandOneLine).join(' && ');
}

const line = (text: string): string[] => wrap(text, FIRST_SCREEN_WIDTH, '', INDENT);

function commandLines(glance: GlanceCommand | null): string[] {
  if (glance === null) return [];
  if (glance.commands.length === 0) return line(`${glance.label}: ${glance.none ?? 'none'}`);
  const text = oneLine(glance.commands);
  if (text === null) return line(`${glance.label}: left out (a name holds control characters)`);
  return [`${glance.label}:`, `${INDENT}${text}`];
}

function eventLines(input: AlertInput): string[] {
  const { event } = input.decision;
  if (event.name === null) return line('Event: none (a scheduled check)');
  const arn = event.policy?.arn ?? null;
  const policy = event.policy?.name ?? (arn === null ? null : policyNameFromArn(arn));
  return [
    ...line(`Event: ${field(event.name)}${policy === null ? '' : `, ${field(policy)}`}`),
    ...line(`By: ${field(event.actor ?? 'unknown')}`),
    ...line(`At: ${event.time === null ? 'unknown' : formatUtc(event.time)}`),
  ];
}

function clusterLine(input: AlertInput): string[] {
  const names = clusterNames(input.decision.nodeRole.evidence).map(field);
  if (names.length === 0) return line('Clusters: none found');
  const { shown, more } = headOf(names, MAX_CLUSTERS);
  return line(`Clusters: ${shown.join(', ')}${more === 0 ? '' : ` and ${more} more`}`);
}

const OWNER_FROM = { role: 'role tag', nodegroup: 'node group tag', cluster: 'cluster tag' } as const;

/** `Owner: team-a (role tag)`, `Owner: untagged (no owner tag)`, `Owner: unknown (tags unread)`; none without one. */
function ownerLine(input: AlertInput): string[] {
  const owner = input.decision.owner;
  if (owner === undefined) return [];
  const from =
    owner.source !== null
      ? OWNER_FROM[owner.source.level]
      : owner.status === 'untagged'
        ? 'no owner tag'
        : 'tags unread';
  return line(`Owner: ${field(ownerLabel(owner))} (${from})`);
}

function consoleLines(input: AlertInput): string[] {
  const roleName = input.decision.role?.name ?? null;
  if (roleName === null) return [];
  const url = roleConsoleUrl(input.partition, roleName);
  return url === null
    ? line(`Console: no link for partition ${field(input.partition)}`)
    : ['Console:', `${INDENT}${url}`];
}

/** The first block of the e-mail, in reading order; the detail sections follow it. */
export function firstScreen(input: AlertInput, state: AlertState): string[] {
  const account = alertAccount(input);
  return [
    ...line(headline(input, state)),
    ...line(
      `Role${account === null ? '' : ` in ${field(account)}`}: ${field(input.decision.role?.name ?? 'unknown')}`,
    ),
    ...eventLines(input),
    ...clusterLine(input),
    ...ownerLine(input),
    ...line(`Guard: ${guardStatus(input, state)}`),
    ...commandLines(fixAtAGlance(input, state)),
    ...commandLines(undoAtAGlance(input, state)),
    ...consoleLines(input),
  ];
}
