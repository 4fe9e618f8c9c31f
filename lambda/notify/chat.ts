// Notify (pure): the short Amazon Q Developer in chat applications custom notification for the chat topic.
import type { NodeRoleEvidence } from '../domain/types';
import { headOf, singleLine, truncate } from '../present/text';
import { type AlertInput, type AlertState, alertAccount, alertState } from './alert-input';
import { alertKind } from './alert-kind';
import { roleConsoleUrl } from './console-link';
import { mostHarmfulFirst } from './ecr-impact';
import { checkCommands, stepsToFix, stepsToUndo, unexemptCommand } from './remedies';
import { type CliCommand, fixCommands, isPrintable, renderCommandOneLine, rollbackCommands } from './shell';
import { alertSubject } from './subject';

/** The custom notification schema (version 1.0, source custom, client-markdown text). */
export interface ChatNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId?: string;
    readonly summary: string;
    readonly eventType: string;
    readonly relatedResources: readonly string[];
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

const MAX_SHOWN = { actions: 5, clusters: 5, policies: 3, commands: 4, resources: 6 } as const;
const MAX_TEXT = 300;

const plain = (value: string): string => truncate(singleLine(value), MAX_TEXT);
/** Inline code; a backtick inside would end it early, so it becomes a quote. */
const code = (value: string): string => `\`${singleLine(value).replaceAll('`', "'")}\``;

function listWithMore(items: readonly string[], max: number): string {
  const { shown, more } = headOf(items, max);
  return more === 0 ? shown.join(', ') : `${shown.join(', ')} … and ${more} more`;
}

function clusters(evidence: readonly NodeRoleEvidence[]): string[] {
  const byCluster = new Map<string, string[]>();
  for (const item of evidence) {
    if (item.cluster === null) continue;
    const key = `${item.region ?? '?'}/${item.cluster}`;
    const groups = byCluster.get(key) ?? [];
    if (item.nodegroup !== undefined) groups.push(item.nodegroup);
    byCluster.set(key, groups);
  }
  return [...byCluster.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, groups]) => plain(groups.length === 0 ? key : `${key} (${groups.join(', ')})`));
}

const GUARD_STATUS: Record<AlertState, (input: AlertInput) => string> = {
  violation: (input) =>
    input.mode === 'alert' ? 'alert only, nothing changed' : 'no remediation ran, nothing changed',
  indeterminate: () => 'nothing changed: the role could not be verified',
  exempt: () => 'nothing changed: the role is exempt',
  compliant: () => 'nothing to do',
  'not-node-role': () => 'nothing to do',
  ignored: () => 'nothing to do',
  fixed: () => 'fixed and verified',
  'already-fixed': () => 'nothing changed: already fixed',
  'fix-failed': () => 'fix not finished: image pulls still work, finish it by hand',
  'fix-failed-pulls-at-risk': () => 'fix failed and image pulls may be broken: act now',
  'escalated-in-use': () =>
    'not fixed: CloudTrail shows the role pushing to ECR; move the pushes to a pod role',
  'held-usage-unknown': () => "not fixed: the role's ECR usage could not be looked up",
};

function description(input: AlertInput, state: AlertState): string {
  const { decision } = input;
  const lines = [`Role: ${code(decision.role?.name ?? 'unknown')}`];
  const exposed = clusters(decision.nodeRole.evidence);
  if (exposed.length > 0) lines.push(`Clusters: ${listWithMore(exposed, MAX_SHOWN.clusters)}`);
  const actions = mostHarmfulFirst(decision.ecrWriteActions).map(plain);
  if (actions.length > 0)
    lines.push(`Write actions (${actions.length}): ${listWithMore(actions, MAX_SHOWN.actions)}`);
  const policies = [...new Set(decision.grants.map((grant) => plain(grant.policy.name)))];
  if (policies.length > 0) lines.push(`Granted by: ${listWithMore(policies, MAX_SHOWN.policies)}`);
  const event = decision.event;
  if (event.name !== null) {
    const who = event.actor === null ? '' : ` by ${code(event.actor)}`;
    const when = event.time === null ? '' : ` at ${plain(event.time)}`;
    lines.push(`Change: ${plain(event.name)}${who}${when}`);
  }
  if (state === 'indeterminate' || state === 'exempt') lines.push(`Reason: ${plain(decision.reason)}`);
  lines.push(`Guard: ${GUARD_STATUS[state](input)}`);
  return lines.join('\n');
}

function commandSteps(label: string, commands: readonly CliCommand[]): string[] {
  const { shown, more } = headOf(commands, MAX_SHOWN.commands);
  const steps = shown.map((command) =>
    isPrintable(command)
      ? `${label}: ${code(renderCommandOneLine(command))}`
      : `${label}: see the e-mail alert (a name holds control characters)`,
  );
  return more === 0 ? steps : [...steps, `… and ${more} more: see the e-mail alert`];
}

function nextSteps(input: AlertInput, state: AlertState): string[] {
  const { decision } = input;
  const roleName = decision.role?.name ?? null;
  const steps: string[] = [];
  if (state === 'indeterminate') steps.push(...commandSteps('Check', checkCommands(decision)));
  steps.push(...commandSteps('Fix', fixCommands(stepsToFix(state, input))));
  if (state !== 'violation') steps.push(...commandSteps('Undo', rollbackCommands(stepsToUndo(input))));
  if (state === 'exempt' && roleName !== null)
    steps.push(...commandSteps('End the exemption', [unexemptCommand(roleName)]));
  const url = roleName === null ? null : roleConsoleUrl(input.partition, roleName);
  if (url !== null) steps.push(`Open the role: ${url}`);
  return steps;
}

function keywords(input: AlertInput): string[] {
  const { decision } = input;
  const words = [
    decision.severity?.toUpperCase() ?? '',
    decision.verdict,
    decision.event.name ?? '',
    'CIS EKS 5.1.3',
  ];
  return [...new Set(words.map(plain).filter((word) => word.length > 0))];
}

function relatedResources(input: AlertInput): string[] {
  const { decision } = input;
  const role = decision.role === null ? [] : [decision.role.arn ?? decision.role.name];
  const policies = decision.grants.flatMap((grant) => (grant.policy.arn === null ? [] : [grant.policy.arn]));
  return [...new Set([...role, ...policies].map(plain))].slice(0, MAX_SHOWN.resources);
}

function additionalContext(input: AlertInput, state: AlertState): Record<string, string> {
  const { decision, outcome } = input;
  return {
    account: plain(alertAccount(input) ?? 'unknown'),
    severity: decision.severity ?? 'none',
    verdict: decision.verdict,
    alertState: state,
    mode: input.mode,
    remediation: outcome?.status ?? 'none',
    eventName: plain(decision.event.name ?? 'none'),
    eventId: plain(decision.event.id ?? 'none'),
  };
}

/** A short chat notification: title, role, clusters, the most harmful write actions, commands as next steps. */
export function formatChatNotification(input: AlertInput): ChatNotification {
  const { decision, outcome } = input;
  const state = alertState(decision, outcome);
  const subject = alertSubject(decision, outcome);
  const roleKey = plain(decision.role?.arn ?? decision.role?.name ?? '');
  const kind = alertKind(decision, outcome, { notifyExempt: true }) ?? state;
  return {
    version: '1.0',
    source: 'custom',
    ...(decision.event.id === null ? {} : { id: plain(`${decision.event.id}:${roleKey}:${state}`) }),
    content: {
      textType: 'client-markdown',
      title: subject,
      description: description(input, state),
      nextSteps: nextSteps(input, state),
      keywords: keywords(input),
    },
    metadata: {
      ...(roleKey.length === 0 ? {} : { threadId: `eks-ecr-guard:${roleKey}` }),
      summary: subject,
      eventType: `eks-ecr-guard-${kind}`,
      relatedResources: relatedResources(input),
      additionalContext: additionalContext(input, state),
    },
  };
}
