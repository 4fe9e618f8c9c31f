// Notify (pure): the alert section on what the guard did (the applied, failed or skipped fix and its
// verification) or, when nothing ran, what it would do.
import { PULL_BRIDGE_POLICY_NAME } from '../contract';
import type { PlanStep, RemediationOutcome } from '../domain/types';
import { wrap } from '../present/text';
import type { AlertInput, AlertState } from './alert-input';
import { BODY_WIDTH, field, INDENT, paragraph, policyNameFromArn, section } from './alert-layout';

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

export function guardAction(input: AlertInput, state: AlertState): string[] {
  if (input.outcome !== null) return section('WHAT THE GUARD DID', outcomeLines(input.outcome, input));
  if (state === 'violation') {
    const lead =
      input.mode === 'alert'
        ? 'Nothing was changed: the guard runs in alert-only mode.'
        : 'Nothing was changed: no remediation ran for this decision.';
    return section('WHAT THE GUARD WOULD DO', plannedChange(input, lead));
  }
  if (state === 'escalated-in-use' || state === 'held-usage-unknown') {
    const why =
      state === 'escalated-in-use'
        ? 'Nothing was changed: CloudTrail shows the role pushing to ECR, and a fix would break those pushes.'
        : "Nothing was changed: the role's recent ECR use could not be looked up.";
    return section('WHAT THE GUARD WOULD DO', plannedChange(input, why));
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
