// Notify (pure): which commands an alert offers (fix, roll back, check by hand, exempt) for each alert state.
import { EXEMPT_TAG_KEY } from '../contract';
import { awsManagedPolicyArn } from '../domain/arn';
import type { Decision, PlanStep } from '../domain/types';
import { type AlertInput, type AlertState, alertState } from './alert-input';
import type { CliCommand } from './shell';

/** Actions a by-hand check asks IAM about: push, delete, and take over a repository. */
const SIMULATED_ACTIONS = [
  'ecr:PutImage',
  'ecr:BatchDeleteImage',
  'ecr:DeleteRepository',
  'ecr:SetRepositoryPolicy',
];

/**
 * The steps still to be done on the role: the plan in alert mode; after a failed run, the steps the guard did not
 * get to (in the order they would have run); with pulls at risk, attaching the replacement pull policy.
 */
export function stepsToFix(state: AlertState, input: AlertInput): readonly PlanStep[] {
  switch (state) {
    case 'violation':
    case 'escalated-in-use':
    case 'held-usage-unknown':
      return input.decision.plan;
    case 'fix-failed':
      return input.outcome?.notDone ?? [];
    case 'fix-failed-pulls-at-risk': {
      // Only reached after every step ran (the re-read found pulls lost): attach the pull policy again.
      const roleName = input.decision.role?.name ?? null;
      if (roleName === null) return [];
      const policyArn = awsManagedPolicyArn(input.partition, input.replacementPolicyName);
      return [{ op: 'AttachRolePolicy', roleName, policyArn }];
    }
    default:
      return [];
  }
}

/**
 * The steps a rollback would undo: what the guard left in effect (after a fix, or a failed run, which the guard
 * never rolls back itself); in alert mode, the plan (for whoever runs the fix by hand and needs to undo it).
 */
export function stepsToUndo(input: AlertInput): readonly PlanStep[] {
  if (input.outcome !== null) return input.outcome.status === 'not-needed' ? [] : input.outcome.applied;
  return alertState(input.decision, null) === 'violation' ? input.decision.plan : [];
}

/** Read-only commands that show by hand what the guard could not read. */
export function checkCommands(decision: Decision): CliCommand[] {
  const roleName = decision.role?.name ?? null;
  if (roleName === null) return [];
  const commands: CliCommand[] = [
    ['aws', 'iam', 'list-attached-role-policies', '--role-name', roleName],
    ['aws', 'iam', 'list-role-policies', '--role-name', roleName],
  ];
  for (const policy of decision.unknownPolicies) {
    if (policy.arn === null) {
      commands.push(['aws', 'iam', 'get-role-policy', '--role-name', roleName, '--policy-name', policy.name]);
    } else {
      commands.push(['aws', 'iam', 'get-policy', '--policy-arn', policy.arn]);
      commands.push([
        'aws',
        'iam',
        'get-policy-version',
        '--policy-arn',
        policy.arn,
        '--version-id',
        'VERSION_ID',
      ]);
    }
  }
  const roleArn = decision.role?.arn ?? null;
  if (roleArn !== null) {
    commands.push([
      'aws',
      'iam',
      'simulate-principal-policy',
      '--policy-source-arn',
      roleArn,
      '--action-names',
      ...SIMULATED_ACTIONS,
    ]);
  }
  return commands;
}

/** Tags the role exempt; the value holds the reason and an optional end date. */
export function exemptCommand(roleName: string): CliCommand {
  const tags = JSON.stringify([{ Key: EXEMPT_TAG_KEY, Value: 'REASON until=YYYY-MM-DD' }]);
  return ['aws', 'iam', 'tag-role', '--role-name', roleName, '--tags', tags];
}

/** Ends a tag exemption. */
export function unexemptCommand(roleName: string): CliCommand {
  return ['aws', 'iam', 'untag-role', '--role-name', roleName, '--tag-keys', EXEMPT_TAG_KEY];
}
