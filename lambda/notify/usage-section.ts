// Notify (pure): the alert sections about the role's CloudTrail usage evidence (did it push lately, who, where)
// and the pod-role path for push access (EKS Pod Identity role, push policy, association) with its commands.
import type { UsageEvidence } from '../domain/usage';
import { podRolePath } from '../present/pod-role';
import { headOf } from '../present/text';
import { type AlertInput, type AlertState, alertAccount } from './alert-input';
import { commandLines, field, INDENT, labelled, paragraph, section } from './alert-layout';

/** How many sessions and repositories the text shows; the JSON carries them all. */
const USAGE_LIST_LIMIT = 10;

const regionsText = (regions: readonly string[]): string =>
  regions.length === 0 ? 'no region' : regions.join(', ');

const listText = (values: readonly string[]): string => {
  const { shown, more } = headOf(values, USAGE_LIST_LIMIT);
  return `${shown.join(', ')}${more > 0 ? ` … and ${more} more` : ''}`;
};

/** One line for the first block: what CloudTrail says, in a few words. Empty when no lookup was made. */
export function usageLine(input: AlertInput): string[] {
  const usage = input.decision.usage;
  if (usage === undefined) return [];
  return labelled('ECR usage', usageSummary(usage));
}

export function usageSummary(usage: UsageEvidence): string {
  switch (usage.status) {
    case 'used':
      return `IN USE: ${usage.calls} ECR write call(s) by this role in the last ${usage.windowDays} days, last at ${usage.lastTime}`;
    case 'not-used':
      return `no ECR write call by this role in the last ${usage.windowDays} days (${regionsText(usage.regions)})`;
    case 'unknown':
      return `unknown (${usage.reason}): ${usage.detail}`;
  }
}

/** USAGE EVIDENCE: the lookup's answer in detail, and what it did to the fix. */
export function usageSection(input: AlertInput, state: AlertState): string[] {
  const usage = input.decision.usage;
  if (usage === undefined) return [];
  const lines: string[] = [];
  if (usage.status === 'used') {
    lines.push(
      ...paragraph(
        `CloudTrail shows this role writing to Amazon ECR: something on its nodes (often a CI agent) pushes images ` +
          'with the node credentials, and removing the access would break it.',
      ),
      ...labelled('Calls', `${usage.calls}${usage.complete ? '' : ' or more (the search stopped early)'}`),
      ...labelled('Last call', usage.lastTime),
      ...labelled('Sessions', listText(usage.sessions)),
      ...labelled('Writes', usage.eventNames.join(', ')),
      ...labelled('Repos', usage.repositories.length === 0 ? '(not named)' : listText(usage.repositories)),
    );
  } else if (usage.status === 'not-used') {
    lines.push(
      ...paragraph(
        `CloudTrail shows no ECR write call by this role since ${usage.since} in ${regionsText(usage.regions)}.`,
      ),
    );
  } else {
    lines.push(
      ...paragraph('The guard could not tell whether this role pushes to Amazon ECR.'),
      ...labelled('Why', `${usage.reason}: ${field(usage.detail)}`),
      ...labelled('Searched', `${regionsText(usage.regions)} since ${usage.since}`),
    );
  }
  if (state === 'escalated-in-use') {
    lines.push(
      '',
      ...paragraph(
        'The guard did not fix the role, so these pushes keep working. Move them to a pod role (PUSH ACCESS ' +
          'below), check that CloudTrail shows no more writes by the node role, then fix it (HOW TO FIX) or let ' +
          'the next sweep do it.',
      ),
    );
  }
  if (state === 'held-usage-unknown') {
    lines.push(
      '',
      ...paragraph(
        'The guard does not fix a role whose use it could not check (config fixWhenUsageUnknown=true changes ' +
          'that). Look at CloudTrail Event history (event source ecr.amazonaws.com) for this role, then fix it ' +
          'by hand or let the next sweep try again.',
      ),
    );
  }
  return section('USAGE EVIDENCE (CLOUDTRAIL)', lines);
}

const PUSH_STATES: readonly AlertState[] = ['violation', 'escalated-in-use', 'held-usage-unknown'];

/** PUSH ACCESS: where push access belongs (a pod role through EKS Pod Identity), with the commands. */
export function podRoleSection(input: AlertInput, state: AlertState): string[] {
  const { decision } = input;
  const roleName = decision.role?.name ?? null;
  if (roleName === null) return [];
  if (!PUSH_STATES.includes(state) && decision.usage?.status !== 'used') return [];
  const path = podRolePath({
    partition: input.partition,
    accountId: alertAccount(input),
    nodeRoleName: roleName,
    evidence: decision.nodeRole.evidence,
    repositories: decision.usage?.status === 'used' ? decision.usage.repositories : [],
  });
  const placeholders =
    path.placeholders.length === 0
      ? []
      : paragraph(`Replace ${path.placeholders.join(', ')} before running them.`);
  return section('PUSH ACCESS: GIVE IT TO THE WORKLOAD, NOT THE NODE', [
    ...paragraph(
      'A workload that pushes images needs its own role, through EKS Pod Identity (needs the ' +
        'eks-pod-identity-agent add-on) or IRSA: every pod on a node can use the node role. Create the role, give ' +
        "it push rights on its repositories only, and associate it with the workload's service account:",
    ),
    ...commandLines(path.commands),
    ...placeholders,
    `${INDENT}Then restart the workload's pods so they get the new credentials.`,
  ]);
}
