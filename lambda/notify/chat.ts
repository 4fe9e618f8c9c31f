// Notify (pure): the short Amazon Q Developer in chat applications custom notification for the chat topic: an
// ASCII title within the subject limit, a short description, the fix and its rollback as the first next steps.
import { ownerLabel, ownerPhrase } from '../domain/owners';
import type { NodeRoleEvidence } from '../domain/types';
import { headOf, singleLine, truncate } from '../present/text';
import { fixAtAGlance, type GlanceCommand, guardStatus, oneLine, undoAtAGlance } from './alert-first-screen';
import { type AlertInput, type AlertState, alertAccount, alertState } from './alert-input';
import { alertKind } from './alert-kind';
import { roleConsoleUrl } from './console-link';
import { mostHarmfulFirst } from './ecr-impact';
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

function description(input: AlertInput, state: AlertState): string {
  const { decision } = input;
  const lines = [`Guard: ${guardStatus(input, state)}`, `Role: ${code(decision.role?.name ?? 'unknown')}`];
  const exposed = clusters(decision.nodeRole.evidence);
  if (exposed.length > 0) lines.push(`Clusters: ${listWithMore(exposed, MAX_SHOWN.clusters)}`);
  if (decision.owner !== undefined) lines.push(`Owner: ${plain(ownerPhrase(decision.owner))}`);
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
  return lines.join('\n');
}

/** The first-screen command (the fix, its steps joined with `&&`, or the undo) as one next step. */
function glanceStep(glance: GlanceCommand | null): string[] {
  if (glance === null) return [];
  if (glance.commands.length === 0) return [`${glance.label}: ${glance.none ?? 'none'}`];
  const { shown, more } = headOf(glance.commands, MAX_SHOWN.commands);
  const text = oneLine(shown);
  if (text === null) return [`${glance.label}: see the e-mail alert (a name holds control characters)`];
  return [`${glance.label}: ${code(text)}${more === 0 ? '' : ` … and ${more} more: see the e-mail alert`}`];
}

/** The fix and its rollback first (as on the e-mail's first screen), then the console link. */
function nextSteps(input: AlertInput, state: AlertState): string[] {
  const roleName = input.decision.role?.name ?? null;
  const steps = [...glanceStep(fixAtAGlance(input, state)), ...glanceStep(undoAtAGlance(input, state))];
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
    ...(decision.owner === undefined ? {} : { owner: plain(ownerLabel(decision.owner)) }),
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
