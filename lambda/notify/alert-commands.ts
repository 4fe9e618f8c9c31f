// Notify (pure): the alert sections a person acts on: AWS CLI commands to fix, roll back, check by hand or
// exempt the role, and its console link.
import { EXEMPT_TAG_KEY, PULL_BRIDGE_POLICY_NAME } from '../contract';
import type { PlanStep } from '../domain/types';
import { headOf, wrap } from '../present/text';
import type { AlertInput, AlertState } from './alert-input';
import {
  BODY_WIDTH,
  type BodyOptions,
  commandLines,
  describePolicy,
  field,
  INDENT,
  labelled,
  moreNote,
  paragraph,
  section,
  TEXT_LIST_LIMITS,
} from './alert-layout';
import { roleConsoleUrl } from './console-link';
import { checkCommands, exemptCommand, stepsToFix, stepsToUndo, unexemptCommand } from './remedies';
import { type CliCommand, fixCommands, rollbackCommands } from './shell';

// ---- commands -----------------------------------------------------------------------------------

/** The pull bridge the guard left on the role, and whether it may go now. */
function pullBridge(
  input: AlertInput,
  state: AlertState,
  steps: readonly PlanStep[],
): { readonly bridge: readonly PlanStep[]; readonly canGo: boolean } {
  // A pull bridge left on the role goes only once a pull policy is attached: after a fix (the replacement is on)
  // or after the replacement attach among the steps to finish. Otherwise it is what keeps the nodes pulling.
  const bridge = (input.outcome?.applied ?? []).filter(isPullBridge);
  const canGo =
    state === 'fixed' || (state === 'fix-failed' && steps.some((step) => step.op === 'AttachRolePolicy'));
  return { bridge, canGo };
}

/** The commands still to run on the role, in order: the steps to fix, then deleting a pull bridge that may go. */
export function commandsToFix(input: AlertInput, state: AlertState): CliCommand[] {
  const steps = stepsToFix(state, input);
  const { bridge, canGo } = pullBridge(input, state, steps);
  return [...fixCommands(steps), ...(canGo ? rollbackCommands(bridge) : [])];
}

export function fixSection(input: AlertInput, state: AlertState): string[] {
  const commands = commandsToFix(input, state);
  const { bridge, canGo: bridgeCanGo } = pullBridge(input, state, stepsToFix(state, input));
  const bridgeNote =
    bridge.length > 0 && !bridgeCanGo
      ? paragraph(
          `The temporary inline policy ${PULL_BRIDGE_POLICY_NAME} keeps image pulls working: delete it only once a ` +
            'pull policy (AmazonEC2ContainerRegistryReadOnly or PullOnly) is attached and the nodes pull again.',
        )
      : [];
  if (commands.length === 0) return bridgeNote.length === 0 ? [] : section('IMAGE PULLS', bridgeNote);
  const held = state === 'escalated-in-use' || state === 'held-usage-unknown';
  const title =
    state === 'violation' || held
      ? held
        ? 'HOW TO FIX, ONCE NOTHING PUSHES WITH THE NODE ROLE (AWS CLI)'
        : 'HOW TO FIX (AWS CLI)'
      : state === 'fixed'
        ? 'TO FINISH (AWS CLI)'
        : 'HOW TO FIX BY HAND (AWS CLI)';
  const note =
    state === 'violation' || held
      ? 'Run in this order.'
      : 'Run in this order; a step that is in effect by now may fail with NoSuchEntity or change nothing.';
  return section(title, [...paragraph(note), ...commandLines(commands), ...bridgeNote]);
}

const isPullBridge = (step: PlanStep): boolean =>
  step.op === 'PutRolePolicy' && step.policyName === PULL_BRIDGE_POLICY_NAME;

export function rollbackSection(input: AlertInput, state: AlertState): string[] {
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

export function checkByHand(input: AlertInput, options: BodyOptions): string[] {
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

export function exemptionSection(input: AlertInput, state: AlertState): string[] {
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
        `${EXEMPT_TAG_KEY}: its value gives a reason and, ideally, until=YYYY-MM-DD (after that date the ` +
        'guard alerts again). Tag values allow letters, digits, spaces and _ . : / = + - @ only.',
    ),
    ...commandLines([exemptCommand(roleName)]),
  ]);
}

export function consoleSection(input: AlertInput): string[] {
  const roleName = input.decision.role?.name ?? null;
  if (roleName === null) return [];
  const url = roleConsoleUrl(input.partition, roleName);
  const line = url === null ? `No console link for partition ${field(input.partition)}.` : url;
  return section('IN THE CONSOLE', [`${INDENT}${line}`]);
}
