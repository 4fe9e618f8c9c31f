// Report (pure): the decisions of `evaluate` as plain text for people (`--format table`), one block a decision,
// wrapped to the terminal width.
import { ownerPhrase } from '../domain/owners';
import type { Decision, PlanStep } from '../domain/types';
import { singleLine, wrap } from '../present/text';
import { DEFAULT_WIDTH } from './table';

const LABEL_WIDTH = 9;

/** One block per decision: the verdict line, then the event, the write actions, the reason and the plan. */
export function renderDecisionTable(
  decisions: readonly Decision[],
  options: { readonly width?: number } = {},
): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const blocks = decisions.map((decision) => decisionLines(decision, width).join('\n'));
  return `${blocks.join('\n\n')}\n`;
}

function decisionLines(decision: Decision, width: number): string[] {
  const severity = decision.severity === null ? '' : ` (${decision.severity})`;
  const role = decision.role === null ? 'no role' : `role ${decision.role.name}`;
  const { event } = decision;
  const rows: [string, string][] = [
    [
      'event',
      `${event.name ?? 'unknown event'} by ${event.actor ?? 'unknown'} at ${event.time ?? 'unknown time'}`,
    ],
    ['write', decision.ecrWriteActions.length === 0 ? 'none' : decision.ecrWriteActions.join(', ')],
    ['reason', decision.reason],
    ...(decision.owner === undefined ? [] : [['owner', ownerPhrase(decision.owner)] as [string, string]]),
  ];
  if (decision.plan.length > 0) rows.push(['fix', decision.plan.map(planStep).join('; ')]);
  for (const warning of decision.warnings) rows.push(['warning', warning]);
  const indent = ' '.repeat(LABEL_WIDTH + 2);
  return [
    ...wrap(`${decision.verdict}${severity}: ${singleLine(role)}`, width, ''),
    ...rows.flatMap(([label, value]) =>
      wrap(value.length === 0 ? '-' : value, width, `  ${`${label}:`.padEnd(LABEL_WIDTH)}`, indent),
    ),
  ];
}

function planStep(step: PlanStep): string {
  return 'policyArn' in step ? `${step.op} ${step.policyArn}` : `${step.op} ${step.policyName}`;
}
