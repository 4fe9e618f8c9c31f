// Notify (pure): the alert sections about the finding: summary, what changed, who and when, where the role is
// used, what grants ECR write, why it matters, and the decision's warnings.
import { describeReach, verdictWords } from '../domain/decision';
import { ownerPhrase } from '../domain/owners';
import type { ActionReach, DenyNote, EksClusterNote, Grant, NodeRoleEvidence } from '../domain/types';
import { headOf, wrap } from '../present/text';
import { type AlertInput, type AlertState, alertAccount } from './alert-input';
import {
  BODY_WIDTH,
  type BodyOptions,
  describePolicy,
  field,
  formatUtc,
  INDENT,
  labelled,
  moreNote,
  paragraph,
  section,
  TEXT_LIST_LIMITS,
} from './alert-layout';
import { actionImpact, mostHarmfulFirst } from './ecr-impact';
import { usageLine } from './usage-section';

// ---- summary ------------------------------------------------------------------------------------

const roleLabel = (input: AlertInput): string => field(input.decision.role?.name ?? '(unknown role)');

function headline(state: AlertState, role: string, input: AlertInput): string {
  switch (state) {
    case 'violation':
      return `EKS node role ${role} can${input.decision.event.name === null ? '' : ' now'} write to Amazon ECR.`;
    case 'indeterminate':
      return `The guard could not verify whether EKS node role ${role} can write to Amazon ECR.`;
    case 'exempt': {
      const until = input.decision.exemption?.until ?? null;
      const term = until === null ? 'with no end date' : `until ${field(until)}`;
      return `EKS node role ${role} can write to Amazon ECR; it is exempt ${term}.`;
    }
    case 'compliant':
      // A decision about the change alone says nothing of the role's state.
      return input.decision.scope === 'change'
        ? `This change to role ${role} adds no ECR write access (the role's other policies were not re-read).`
        : `EKS node role ${role} cannot write to Amazon ECR beyond pulling images.`;
    case 'not-node-role':
      return `Role ${role} is not used by any EKS node.`;
    case 'ignored':
      return 'The guard ignored this change.';
    case 'fixed':
      return `The guard removed ECR write access from EKS node role ${role}.`;
    case 'already-fixed':
      return `EKS node role ${role} already matched the fix; the guard changed nothing.`;
    case 'fix-failed':
      return `The guard could not finish the fix of EKS node role ${role}. Image pulls still work; finish it by hand.`;
    case 'fix-failed-pulls-at-risk':
      return `ACT NOW: the guard's fix of EKS node role ${role} failed and image pulls may be broken.`;
    case 'escalated-in-use':
      return `ESCALATED: EKS node role ${role} can write to Amazon ECR and CloudTrail shows it pushing; the guard did not fix it, so the pushes do not break. Move them to a pod role first (USAGE EVIDENCE and PUSH ACCESS below).`;
    case 'held-usage-unknown':
      return `EKS node role ${role} can write to Amazon ECR; the guard did not fix it because its recent ECR use could not be looked up (USAGE EVIDENCE below).`;
  }
}

function modeLabel(input: AlertInput): string {
  return input.mode === 'alert' ? 'alert only (the guard changes nothing)' : 'remediate';
}

export function summary(input: AlertInput, state: AlertState): string[] {
  const { decision } = input;
  const severity = decision.severity === null ? 'none' : decision.severity.toUpperCase();
  return [
    ...paragraph(headline(state, roleLabel(input), input)),
    '',
    ...labelled('Reason', decision.reason),
    ...labelled('Severity', severity),
    ...labelled('Verdict', verdictWords(decision)),
    ...labelled('Mode', modeLabel(input)),
    ...(decision.owner === undefined ? [] : labelled('Owner', ownerPhrase(decision.owner))),
    ...usageLine(input),
  ];
}

// ---- what changed, who and when ----------------------------------------------------------------

export function whatChanged(input: AlertInput): string[] {
  const { event, role } = input.decision;
  const lines = labelled('Event', event.name ?? 'none (found by a scheduled check, not by a change)');
  const policy = event.policy ?? null;
  if (policy !== null) {
    const arn = policy.arn ?? null;
    const name = policy.name ?? null;
    const versionId = policy.versionId ?? null;
    if (arn !== null) lines.push(...labelled('Policy', arn));
    // A managed policy's ARN already ends with its name; an inline policy has only the name.
    if (name !== null && (arn === null || !arn.endsWith(`/${name}`)))
      lines.push(...labelled(arn === null ? 'Policy' : 'Policy name', name));
    if (versionId !== null) lines.push(...labelled('Version', versionId));
  }
  lines.push(...labelled('Role', role?.name ?? '(unknown)'));
  const roleArn = role?.arn ?? null;
  if (roleArn !== null) lines.push(...labelled('Role ARN', roleArn));
  if (event.id !== null) lines.push(...labelled('Event id', event.id));
  return section('WHAT CHANGED', lines);
}

export function whoAndWhen(input: AlertInput): string[] {
  const { event } = input.decision;
  const lines = [
    ...labelled('Actor', event.actor ?? 'unknown'),
    ...labelled('Source IP', event.sourceIp ?? 'unknown'),
    ...labelled('User agent', event.userAgent ?? 'unknown'),
    ...labelled('Time (UTC)', event.time === null ? 'unknown' : formatUtc(event.time)),
    ...labelled('Account', alertAccount(input) ?? 'unknown'),
  ];
  return section('WHO AND WHEN', lines);
}

// ---- where the role is used ---------------------------------------------------------------------

function describeEvidence(evidence: NodeRoleEvidence): string {
  switch (evidence.kind) {
    case 'managed-nodegroup':
      return `managed node group ${field(evidence.nodegroup ?? '(unnamed)')}`;
    case 'access-entry':
      return `access entry of type ${field(evidence.accessEntryType ?? 'unknown')} (self-managed, Karpenter or hybrid nodes)`;
    case 'auto-mode':
      return 'EKS Auto Mode node role';
    case 'fargate-profile':
      return `Fargate profile ${field(evidence.fargateProfile ?? '(unnamed)')} (pod execution role)`;
    case 'heuristic':
      return `looks like a node role${evidence.detail === undefined ? '' : `: ${field(evidence.detail)}`}`;
  }
}

function placeOf(evidence: NodeRoleEvidence): string {
  if (evidence.region === null && evidence.cluster === null) return 'not tied to a cluster';
  return `${field(evidence.region ?? 'unknown region')}, cluster ${field(evidence.cluster ?? 'unknown')}`;
}

export function whereUsed(input: AlertInput, options: BodyOptions): string[] {
  const evidence = input.decision.nodeRole.evidence;
  if (evidence.length === 0)
    return section('WHERE THE ROLE IS USED', [`${INDENT}No EKS cluster uses this role.`]);
  const sorted = [...evidence].sort((a, b) => placeOf(a).localeCompare(placeOf(b)));
  const { shown, more } = headOf(sorted, TEXT_LIST_LIMITS.evidence);
  const lines: string[] = [];
  let place = '';
  for (const item of shown) {
    if (placeOf(item) !== place) {
      place = placeOf(item);
      lines.push(`${INDENT}${place}`);
    }
    lines.push(...wrap(describeEvidence(item), BODY_WIDTH, `${INDENT}  - `, `${INDENT}    `));
  }
  return section('WHERE THE ROLE IS USED', [
    ...lines,
    ...moreNote(more, options, INDENT),
    ...awsAuthLines(input.decision.nodeRole.clusterNotes ?? []),
  ]);
}

/** Clusters whose aws-auth ConfigMap may map the role: AWS APIs cannot show it, so the heuristic is the evidence. */
function awsAuthLines(notes: readonly EksClusterNote[]): string[] {
  const clusters = notes
    .filter((note) => note.kind === 'aws-auth-not-visible')
    .map((note) => `${note.region}/${note.cluster} (${note.authenticationMode ?? 'mode unknown'})`);
  if (clusters.length === 0) return [];
  const text =
    `Node roles mapped only in the aws-auth ConfigMap cannot be seen through AWS APIs; these clusters use it: ` +
    `${clusters.join(', ')}. The trust-policy heuristic above is the evidence.`;
  return wrap(field(text), BODY_WIDTH, `${INDENT}`, `${INDENT}`);
}

// ---- what grants write --------------------------------------------------------------------------

function grantScope(grant: Grant): string {
  const breadth = grant.allServices
    ? 'every action of every service'
    : grant.wholeService
      ? 'a whole ECR service'
      : 'selected ECR actions';
  const resources = grant.resourceScoped ? 'resource-scoped' : 'all resources';
  const condition = grant.conditional ? 'conditional' : 'no condition';
  return `${breadth}, ${resources}, ${condition}`;
}

function sameActions(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return a.length === b.length && b.every((action) => set.has(action));
}

function grantActionsText(grant: Grant, inEffect: readonly string[]): string {
  const count = `${grant.actions.length} write action${grant.actions.length === 1 ? '' : 's'}`;
  if (grant.actions.length > 1 && sameActions(grant.actions, inEffect))
    return `Grants all ${count} in effect (below).`;
  return `Grants ${count}: ${grant.actions.join(', ')}`;
}

function grantLines(grant: Grant, index: number, inEffect: readonly string[]): string[] {
  const number = `${INDENT}${index + 1}. `;
  const inner = ' '.repeat(number.length);
  const lines = wrap(describePolicy(grant.policy), BODY_WIDTH, number, inner);
  if (grant.policy.arn !== null) lines.push(`${inner}${field(grant.policy.arn)}`);
  lines.push(...wrap(`Statement ${field(grant.statement)}: ${grantScope(grant)}`, BODY_WIDTH, inner));
  lines.push(...wrap(grantActionsText(grant, inEffect), BODY_WIDTH, inner, `${inner}  `));
  return lines;
}

const DENY_EFFECT: Record<DenyNote['kind'], string> = {
  unconditional: 'removes them',
  conditional: 'conditional, so not counted',
  'resource-scoped': 'resource-scoped, so not counted',
};

function denyLines(denies: readonly DenyNote[], options: BodyOptions): string[] {
  if (denies.length === 0) return [`${INDENT}Denies: none touch ECR write actions.`];
  const { shown, more } = headOf(denies, TEXT_LIST_LIMITS.denies);
  const lines = [`${INDENT}Denies:`];
  for (const deny of shown) {
    const text = `${describePolicy(deny.policy)}, statement ${field(deny.statement)}, denies ${deny.actions.length} action(s) (${DENY_EFFECT[deny.kind]})`;
    lines.push(...wrap(text, BODY_WIDTH, `${INDENT}  - `, `${INDENT}    `));
  }
  return [...lines, ...moreNote(more, options, `${INDENT}  `)];
}

function effectiveActionLines(
  actions: readonly string[],
  reach: readonly ActionReach[] | undefined,
): string[] {
  if (actions.length === 0) return [`${INDENT}No ECR write action is in effect.`];
  const notable = mostHarmfulFirst(actions)
    .map((action) => ({ action, impact: actionImpact(action) }))
    .filter((item) => item.impact !== null)
    .slice(0, 5)
    .map((item) => `${item.action} (${item.impact})`);
  const lines = wrap(
    `In effect, after denies and the permissions boundary: ${actions.length} ECR write actions.`,
    BODY_WIDTH,
    INDENT,
  );
  if (notable.length > 0)
    lines.push(...wrap(`Among them: ${notable.join(', ')}.`, BODY_WIDTH, INDENT, `${INDENT}  `));
  lines.push(...wrap(`All: ${actions.join(', ')}`, BODY_WIDTH, INDENT, `${INDENT}  `));
  return [...lines, ...reachLines(reach)];
}

/** What the actions reach: the scoped or conditional ones by name, the rest summed up (severity follows it). */
function reachLines(reach: readonly ActionReach[] | undefined): string[] {
  if (reach === undefined || reach.length === 0) return [];
  const limited = reach.filter((item) => !item.all || item.conditional);
  const everywhere = reach.length - limited.length;
  const parts = [
    ...limited.map(describeReach),
    ...(everywhere === 0
      ? []
      : [
          `${limited.length === 0 ? 'all' : `the other ${everywhere}`} on every repository (or the registry)`,
        ]),
  ];
  return wrap(`Reach: ${parts.join('; ')}.`, BODY_WIDTH, INDENT, `${INDENT}  `);
}

export function whatGrants(input: AlertInput, options: BodyOptions): string[] {
  const { decision } = input;
  if (decision.grants.length === 0 && decision.ecrWriteActions.length === 0) return [];
  const { shown, more } = headOf(decision.grants, TEXT_LIST_LIMITS.grants);
  const lines = [
    ...shown.flatMap((grant, index) => grantLines(grant, index, decision.ecrWriteActions)),
    ...moreNote(more, options, INDENT),
    '',
    ...denyLines(decision.denies, options),
    '',
    ...effectiveActionLines(decision.ecrWriteActions, decision.reach),
  ];
  return section('WHAT GRANTS ECR WRITE ACCESS', lines);
}

// ---- why it matters -----------------------------------------------------------------------------

const WHY_IT_MATTERS =
  'CIS Amazon EKS Benchmark 5.1.3 (Kubescape control C-0223) asks that node IAM roles have read-only access ' +
  'to Amazon ECR. A node role is available to every pod on the node that can reach the instance metadata ' +
  'service (IMDS), so write access lets a compromised node or pod push poisoned images that other workloads ' +
  'then pull, or delete images and repositories.';

export function whyItMatters(state: AlertState): string[] {
  const relevant: readonly AlertState[] = [
    'violation',
    'exempt',
    'fix-failed',
    'fix-failed-pulls-at-risk',
    'fixed',
    'escalated-in-use',
    'held-usage-unknown',
  ];
  return relevant.includes(state) ? section('WHY IT MATTERS', paragraph(WHY_IT_MATTERS)) : [];
}

export function warningSection(input: AlertInput, options: BodyOptions): string[] {
  const { shown, more } = headOf(input.decision.warnings, TEXT_LIST_LIMITS.warnings);
  const lines = shown.flatMap((warning) => wrap(field(warning), BODY_WIDTH, `${INDENT}- `, `${INDENT}  `));
  return section('WARNINGS', [...lines, ...moreNote(more, options, INDENT)]);
}
