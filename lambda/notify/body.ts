// Notify (pure): the human part of the alert e-mail: plain text, sections with headings, lines of ~100 characters.
import { PULL_BRIDGE_POLICY_NAME } from '../contract';
import type {
  DenyNote,
  Grant,
  NodeRoleEvidence,
  PlanStep,
  PolicyKind,
  PolicyRef,
  RemediationOutcome,
} from '../domain/types';
import { type AlertInput, type AlertState, alertAccount, alertState } from './alert-input';
import { roleConsoleUrl } from './console-link';
import { actionImpact, mostHarmfulFirst } from './ecr-impact';
import {
  checkCommands,
  EXEMPT_TAG_KEY,
  exemptCommand,
  stepsToFix,
  stepsToUndo,
  unexemptCommand,
} from './remedies';
import { type CliCommand, fixCommands, isPrintable, renderCommand, rollbackCommands } from './shell';
import { andMore, heading, headOf, singleLine, truncate, wrap } from './text';

export const BODY_WIDTH = 100;
/** Longest value shown for one untrusted field (actor, user agent, reason...). */
const MAX_FIELD_LENGTH = 1000;
const LABEL_WIDTH = 12;
const INDENT = '  ';

/** How many entries of each list the text shows; the JSON block carries the rest. */
export const TEXT_LIST_LIMITS = {
  evidence: 30,
  grants: 20,
  denies: 10,
  unknownPolicies: 20,
  warnings: 10,
} as const;

export interface BodyOptions {
  /** The JSON block below the text is shortened too, so "see the JSON" would be a lie. */
  readonly jsonTruncated: boolean;
  /** The text itself was rendered from a shortened decision (last resort for huge inputs). */
  readonly textShortened?: boolean;
}

const field = (value: string): string => truncate(singleLine(value), MAX_FIELD_LENGTH);

function labelled(label: string, value: string): string[] {
  // A label as wide as the column still gets one space before its value.
  const prefix = `${INDENT}${`${label}: `.padEnd(LABEL_WIDTH)}`;
  return wrap(field(value), BODY_WIDTH, prefix, ' '.repeat(prefix.length));
}

function paragraph(text: string, indent = INDENT): string[] {
  return wrap(text, BODY_WIDTH, indent);
}

function section(title: string, lines: readonly string[]): string[] {
  return lines.length === 0 ? [] : ['', ...heading(title), ...lines];
}

function moreNote(more: number, options: BodyOptions, indent: string): string[] {
  if (more === 0) return [];
  const where = options.jsonTruncated
    ? '(not shown: the message size limit was reached)'
    : '(see the JSON below)';
  return [`${indent}${andMore(more, where)}`];
}

const UNPRINTABLE_COMMAND = `${INDENT}(command left out: a name in it holds control or invisible characters)`;

function commandLines(commands: readonly CliCommand[]): string[] {
  return commands.flatMap((command) =>
    isPrintable(command)
      ? renderCommand(command, { indent: INDENT, width: BODY_WIDTH }).split('\n')
      : [UNPRINTABLE_COMMAND],
  );
}

const roleLabel = (input: AlertInput): string => field(input.decision.role?.name ?? '(unknown role)');

const policyKindLabel: Record<PolicyKind, string> = {
  'aws-managed': 'AWS managed policy',
  'customer-managed': 'customer managed policy',
  inline: 'inline policy',
};

const describePolicy = (policy: PolicyRef): string =>
  `${field(policy.name)} (${policyKindLabel[policy.kind]})`;

function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

// ---- summary ------------------------------------------------------------------------------------

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
      return `EKS node role ${role} cannot write to Amazon ECR beyond pulling images.`;
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
  }
}

function modeLabel(input: AlertInput): string {
  return input.mode === 'alert' ? 'alert only (the guard changes nothing)' : 'remediate';
}

function summary(input: AlertInput, state: AlertState): string[] {
  const { decision } = input;
  const severity = decision.severity === null ? 'none' : decision.severity.toUpperCase();
  return [
    ...paragraph(headline(state, roleLabel(input), input), ''),
    '',
    ...labelled('Reason', decision.reason),
    ...labelled('Severity', severity),
    ...labelled('Verdict', decision.verdict),
    ...labelled('Mode', modeLabel(input)),
  ];
}

// ---- what changed, who and when ----------------------------------------------------------------

function formatUtc(time: string): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return field(time);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

function whatChanged(input: AlertInput): string[] {
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

function whoAndWhen(input: AlertInput): string[] {
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

function whereUsed(input: AlertInput, options: BodyOptions): string[] {
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
  return section('WHERE THE ROLE IS USED', [...lines, ...moreNote(more, options, INDENT)]);
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

function effectiveActionLines(actions: readonly string[]): string[] {
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
  return lines;
}

function whatGrants(input: AlertInput, options: BodyOptions): string[] {
  const { decision } = input;
  if (decision.grants.length === 0 && decision.ecrWriteActions.length === 0) return [];
  const { shown, more } = headOf(decision.grants, TEXT_LIST_LIMITS.grants);
  const lines = [
    ...shown.flatMap((grant, index) => grantLines(grant, index, decision.ecrWriteActions)),
    ...moreNote(more, options, INDENT),
    '',
    ...denyLines(decision.denies, options),
    '',
    ...effectiveActionLines(decision.ecrWriteActions),
  ];
  return section('WHAT GRANTS ECR WRITE ACCESS', lines);
}

// ---- why it matters -----------------------------------------------------------------------------

const WHY_IT_MATTERS =
  'CIS Amazon EKS Benchmark 5.1.3 (Kubescape control C-0223) asks that node IAM roles have read-only access ' +
  'to Amazon ECR. A node role is available to every pod on the node that can reach the instance metadata ' +
  'service (IMDS), so write access lets a compromised node or pod push poisoned images that other workloads ' +
  'then pull, or delete images and repositories.';

function whyItMatters(state: AlertState): string[] {
  const relevant: readonly AlertState[] = [
    'violation',
    'exempt',
    'fix-failed',
    'fix-failed-pulls-at-risk',
    'fixed',
  ];
  return relevant.includes(state) ? section('WHY IT MATTERS', paragraph(WHY_IT_MATTERS)) : [];
}

// ---- what the guard did -------------------------------------------------------------------------

function describeStep(step: PlanStep, input: AlertInput): string {
  switch (step.op) {
    case 'AttachRolePolicy': {
      const name = policyNameFromArn(step.policyArn);
      const why = name === input.replacementPolicyName ? ' so image pulls keep working' : '';
      return `Attach ${field(name)} (${field(step.policyArn)})${why}.`;
    }
    case 'DetachRolePolicy':
      return `Detach ${field(policyNameFromArn(step.policyArn))} (${field(step.policyArn)}).`;
    case 'PutRolePolicy':
      return step.policyName === PULL_BRIDGE_POLICY_NAME
        ? `Add the temporary inline policy ${field(step.policyName)}: it allows image pulls only, while no pull policy is attached.`
        : `Add the inline policy ${field(step.policyName)}: an explicit Deny of the ECR write actions (pulls keep working).`;
  }
}

/** A step in a few words, e.g. `AttachRolePolicy AmazonEC2ContainerRegistryReadOnly`. */
function stepLabel(step: PlanStep): string {
  const target = step.op === 'PutRolePolicy' ? step.policyName : policyNameFromArn(step.policyArn);
  return `${step.op} ${field(target)}`;
}

function stepList(steps: readonly PlanStep[], input: AlertInput): string[] {
  return steps.flatMap((step, index) => {
    const number = `${INDENT}  ${index + 1}. `;
    return wrap(describeStep(step, input), BODY_WIDTH, number, ' '.repeat(number.length));
  });
}

function plannedChange(input: AlertInput, lead: string): string[] {
  const plan = input.decision.plan;
  if (plan.length === 0)
    return paragraph(`${lead} No automatic fix is planned for this role: fix it by hand.`);
  return [...paragraph(`${lead} The fix it would apply:`), ...stepList(plan, input)];
}

function verificationLines(outcome: RemediationOutcome): string[] {
  const check = outcome.verification;
  if (check === null) return paragraph('Verification did not run.');
  const writes =
    check.writeActionsAfter.length === 0
      ? 'no ECR write action is left'
      : `${check.writeActionsAfter.length} ECR write action(s) are still allowed: ${check.writeActionsAfter.join(', ')}`;
  const pulls = check.pullActionsAllowed
    ? 'image pulls are still allowed'
    : 'image pulls are NOT allowed any more';
  return paragraph(`Verified after the change: ${writes}; ${pulls}.`);
}

function failureLines(outcome: RemediationOutcome, input: AlertInput): string[] {
  const failed =
    outcome.failedStep === null ? 'The verification' : `The step ${stepLabel(outcome.failedStep)}`;
  const lines = paragraph(`${failed} failed: ${field(outcome.error ?? 'unknown error')}`);
  if (outcome.applied.length > 0) {
    lines.push(
      ...paragraph(
        'Done, and left in place (each step only takes write access away or only adds pull access; the guard ' +
          'may not grant write access, so it never rolls back on its own):',
      ),
      ...stepList(outcome.applied, input),
    );
  } else {
    lines.push(...paragraph('Nothing was changed.'));
  }
  if (outcome.notDone.length > 0) lines.push(...paragraph('Not done:'), ...stepList(outcome.notDone, input));
  return [...lines, ...verificationLines(outcome)];
}

function outcomeLines(outcome: RemediationOutcome, input: AlertInput): string[] {
  switch (outcome.status) {
    case 'applied':
      return [
        ...paragraph('Applied the fix:'),
        ...stepList(outcome.applied, input),
        ...verificationLines(outcome),
        ...(outcome.error === null ? [] : paragraph(`Note: ${field(outcome.error)}.`)),
      ];
    case 'not-needed':
      return paragraph('Nothing: the role already matched the fix.');
    case 'failed-safe':
      return [
        ...failureLines(outcome, input),
        ...paragraph(
          'Image pulls still work. Finish the fix with the commands below, or roll back what was done.',
        ),
      ];
    case 'failed-pulls-at-risk':
      return [
        ...failureLines(outcome, input),
        ...paragraph(
          'Image pulls may NOT work on the nodes of this role: attach a pull policy now (command below) and check why.',
        ),
      ];
  }
}

function guardAction(input: AlertInput, state: AlertState): string[] {
  if (input.outcome !== null) return section('WHAT THE GUARD DID', outcomeLines(input.outcome, input));
  if (state === 'violation') {
    const lead =
      input.mode === 'alert'
        ? 'Nothing was changed: the guard runs in alert-only mode.'
        : 'Nothing was changed: no remediation ran for this decision.';
    return section('WHAT THE GUARD WOULD DO', plannedChange(input, lead));
  }
  if (state === 'indeterminate') {
    return section(
      'WHAT THE GUARD DID',
      paragraph('Nothing: the guard never changes a role it could not verify.'),
    );
  }
  if (state === 'exempt') {
    return section(
      'WHAT THE GUARD DID',
      paragraph('Nothing: the role is exempt. This is for your information.'),
    );
  }
  return [];
}

// ---- commands -----------------------------------------------------------------------------------

function fixSection(input: AlertInput, state: AlertState): string[] {
  const steps = stepsToFix(state, input);
  // A pull bridge left on the role goes only once a pull policy is attached: after a fix (the replacement is on)
  // or after the replacement attach among the steps to finish. Otherwise it is what keeps the nodes pulling.
  const bridge = (input.outcome?.applied ?? []).filter(isPullBridge);
  const bridgeCanGo =
    state === 'fixed' || (state === 'fix-failed' && steps.some((step) => step.op === 'AttachRolePolicy'));
  const commands = [...fixCommands(steps), ...(bridgeCanGo ? rollbackCommands(bridge) : [])];
  const bridgeNote =
    bridge.length > 0 && !bridgeCanGo
      ? paragraph(
          `The temporary inline policy ${PULL_BRIDGE_POLICY_NAME} keeps image pulls working: delete it only once a ` +
            'pull policy (AmazonEC2ContainerRegistryReadOnly or PullOnly) is attached and the nodes pull again.',
        )
      : [];
  if (commands.length === 0) return bridgeNote.length === 0 ? [] : section('IMAGE PULLS', bridgeNote);
  const title =
    state === 'violation'
      ? 'HOW TO FIX (AWS CLI)'
      : state === 'fixed'
        ? 'TO FINISH (AWS CLI)'
        : 'HOW TO FIX BY HAND (AWS CLI)';
  const note =
    state === 'violation'
      ? 'Run in this order.'
      : 'Run in this order; a step that is in effect by now may fail with NoSuchEntity or change nothing.';
  return section(title, [...paragraph(note), ...commandLines(commands), ...bridgeNote]);
}

const isPullBridge = (step: PlanStep): boolean =>
  step.op === 'PutRolePolicy' && step.policyName === PULL_BRIDGE_POLICY_NAME;

function rollbackSection(input: AlertInput, state: AlertState): string[] {
  const steps = stepsToUndo(input);
  if (steps.length === 0) {
    return state === 'fix-failed'
      ? section('HOW TO ROLL BACK', paragraph('Nothing to roll back: the guard changed nothing.'))
      : [];
  }
  const note =
    state === 'violation'
      ? 'If you applied the fix above and must undo it, run in this order:'
      : 'To undo the changes still in effect, run in this order:';
  const caveat = steps.some((step) => step.op === 'PutRolePolicy')
    ? paragraph(
        'If an inline policy of that name existed before, deleting it does not bring back its old content.',
      )
    : [];
  return section('HOW TO ROLL BACK (AWS CLI)', [
    ...paragraph(note),
    ...commandLines(rollbackCommands(steps)),
    ...caveat,
  ]);
}

function unknownPolicyLines(input: AlertInput, options: BodyOptions): string[] {
  const unknown = input.decision.unknownPolicies;
  if (unknown.length === 0)
    return paragraph('No policy content is missing; a read the guard needs failed (see Reason).');
  const { shown, more } = headOf(unknown, TEXT_LIST_LIMITS.unknownPolicies);
  const lines = paragraph('Policies whose content could not be read or parsed:');
  for (const policy of shown) {
    const arn = policy.arn === null ? '' : `, ${field(policy.arn)}`;
    lines.push(...wrap(`${describePolicy(policy)}${arn}`, BODY_WIDTH, `${INDENT}  - `, `${INDENT}    `));
  }
  return [...lines, ...moreNote(more, options, `${INDENT}  `)];
}

function checkByHand(input: AlertInput, options: BodyOptions): string[] {
  const commands = checkCommands(input.decision);
  const how =
    commands.length === 0
      ? paragraph('The role could not be identified; check the reason above and the guard logs.')
      : [
          ...paragraph(
            'Read the role and its policies yourself (VERSION_ID: the DefaultVersionId that get-policy shows), ' +
              'and ask IAM whether the role can write. Then check that the guard may read them: its role needs ' +
              'iam:GetRole, iam:List*RolePolicies, iam:GetRolePolicy, iam:GetPolicy and iam:GetPolicyVersion.',
          ),
          ...commandLines(commands),
        ];
  return [
    ...section('WHAT COULD NOT BE CHECKED', unknownPolicyLines(input, options)),
    ...section('HOW TO CHECK BY HAND (AWS CLI)', how),
  ];
}

function exemptionSection(input: AlertInput, state: AlertState): string[] {
  const roleName = input.decision.role?.name ?? null;
  if (roleName === null) return [];
  if (state === 'exempt') {
    const exemption = input.decision.exemption;
    const lines: string[] = [];
    if (exemption !== null) {
      lines.push(
        ...labelled('Exempt by', exemption.source === 'tag' ? `role tag ${EXEMPT_TAG_KEY}` : 'configuration'),
      );
      lines.push(...labelled('Why', exemption.reason));
      lines.push(...labelled('Until', exemption.until ?? 'no end date'));
    }
    lines.push(
      ...paragraph('To end a tag exemption now (config exemptions: remove the role from exemptRoles):'),
    );
    lines.push(...commandLines([unexemptCommand(roleName)]));
    return section('EXEMPTION', lines);
  }
  const relevant: readonly AlertState[] = ['violation', 'fixed', 'fix-failed', 'fix-failed-pulls-at-risk'];
  if (!relevant.includes(state)) return [];
  const rollBackFirst = state === 'fixed' ? 'roll the fix back (above) and ' : '';
  return section('IF THIS ACCESS IS INTENDED', [
    ...paragraph(
      'Prefer giving push rights to the workload that needs them (an EKS Pod Identity or IRSA role) rather ' +
        `than to every pod on the node. If the node role really needs them, ${rollBackFirst}exempt it with the tag ` +
        'eks-ecr-guard:exempt: its value gives a reason and, ideally, until=YYYY-MM-DD (after that date the ' +
        'guard alerts again). Tag values allow letters, digits, spaces and _ . : / = + - @ only.',
    ),
    ...commandLines([exemptCommand(roleName)]),
  ]);
}

function consoleSection(input: AlertInput): string[] {
  const roleName = input.decision.role?.name ?? null;
  if (roleName === null) return [];
  const url = roleConsoleUrl(input.partition, roleName);
  const line = url === null ? `No console link for partition ${field(input.partition)}.` : url;
  return section('IN THE CONSOLE', [`${INDENT}${line}`]);
}

function warningSection(input: AlertInput, options: BodyOptions): string[] {
  const { shown, more } = headOf(input.decision.warnings, TEXT_LIST_LIMITS.warnings);
  const lines = shown.flatMap((warning) => wrap(field(warning), BODY_WIDTH, `${INDENT}- `, `${INDENT}  `));
  return section('WARNINGS', [...lines, ...moreNote(more, options, INDENT)]);
}

const SHORTENED_NOTE =
  'NOTE: this alert was shortened to fit the SNS message size limit: lists and long values below are cut.';

/** The readable part of the alert, every section that applies to the decision's state, in reading order. */
export function alertText(input: AlertInput, options: BodyOptions): string {
  const state = alertState(input.decision, input.outcome);
  const shortened = options.textShortened === true ? ['', ...paragraph(SHORTENED_NOTE, '')] : [];
  const lines = [
    ...summary(input, state),
    ...shortened,
    ...whatChanged(input),
    ...whoAndWhen(input),
    ...whereUsed(input, options),
    ...whatGrants(input, options),
    ...whyItMatters(state),
    ...guardAction(input, state),
    ...(state === 'indeterminate' ? checkByHand(input, options) : []),
    ...fixSection(input, state),
    ...rollbackSection(input, state),
    ...consoleSection(input),
    ...exemptionSection(input, state),
    ...warningSection(input, options),
  ];
  return lines.join('\n');
}
