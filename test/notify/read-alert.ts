// Test support for the alert format tests: reading an alert back (its sections and headings, the readable part)
// and running its AWS CLI commands through a shell to compare them with the plan.
import { execFileSync } from 'node:child_process';
import type { PlanStep, RemediationOutcome } from '../../lambda/domain/types';
import { ALERT_JSON_BEGIN, type FormattedAlert } from '../../lambda/notify/format';
import { ROLE_NAME } from './support';

/** The lines of one section: after its underlined heading, up to the next heading. */
export function section(body: string, title: string): string {
  const lines = body.split('\n');
  const start = lines.findIndex((line, i) => line === title && lines[i + 1] === '-'.repeat(title.length));
  if (start === -1) throw new Error(`no section ${title}`);
  const next = lines.findIndex(
    (line, i) => i > start + 1 && line.length > 0 && lines[i + 1] === '-'.repeat(line.length),
  );
  return lines.slice(start + 2, next === -1 ? undefined : next - 1).join('\n');
}

export function headings(body: string): string[] {
  const lines = body.split('\n');
  return lines.filter((line, i) => line.length > 0 && lines[i + 1] === '-'.repeat(line.length));
}

/** The SUMMARY section's opening sentence as one line (it follows the first screen). */
export const summaryHeadline = (alert: FormattedAlert): string =>
  (section(alert.body, 'SUMMARY').split('\n\n')[0] ?? '').replace(/\s+/g, ' ').trim();

/** The text above the JSON block (what people read). */
export const humanPart = (alert: FormattedAlert): string =>
  alert.body.slice(0, alert.body.indexOf(ALERT_JSON_BEGIN));

/** Runs the command lines of a section through a shell with `aws` stubbed; returns each call's arguments. */
export function commandsIn(text: string): string[][] {
  const script = text
    .split('\n')
    .filter((line, i, all) => /^\s+aws /.test(line) || /\\$/.test(all[i - 1] ?? '') || isInsideQuote(all, i))
    .join('\n');
  const stub = 'aws() { printf "%s\\0" "$@"; printf "\\n--END--\\n"; }';
  const output = execFileSync('sh', ['-c', `${stub}\n${script}`], { encoding: 'utf8' });
  return output
    .split('\n--END--\n')
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => chunk.split('\0').slice(0, -1));
}

/** True when line i is inside a single-quoted argument opened on an earlier line. */
function isInsideQuote(lines: readonly string[], i: number): boolean {
  let open = false;
  for (const line of lines.slice(0, i)) {
    if (!/^\s+aws /.test(line) && !open && !/^\s+--/.test(line)) continue;
    const quotes = line.split("'").length - 1;
    if (quotes % 2 === 1) open = !open;
  }
  return open;
}

export function asSteps(commands: readonly string[][]): unknown[] {
  return commands.map((argv) => {
    const flag = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
    switch (argv[1]) {
      case 'attach-role-policy':
        return { op: 'AttachRolePolicy', roleName: flag('--role-name'), policyArn: flag('--policy-arn') };
      case 'detach-role-policy':
        return { op: 'DetachRolePolicy', roleName: flag('--role-name'), policyArn: flag('--policy-arn') };
      case 'put-role-policy':
        return {
          op: 'PutRolePolicy',
          roleName: flag('--role-name'),
          policyName: flag('--policy-name'),
          policyDocument: JSON.parse(flag('--policy-document') ?? 'null'),
        };
      case 'delete-role-policy':
        return { op: 'DeleteRolePolicy', roleName: flag('--role-name'), policyName: flag('--policy-name') };
      default:
        return argv;
    }
  });
}

export const stepValues = (plan: readonly PlanStep[]): unknown[] =>
  plan.map((step) =>
    step.op === 'PutRolePolicy' ? { ...step, policyDocument: JSON.parse(step.policyDocument) } : step,
  );

/** The temporary pull bridge, as the remediator lists it among the applied steps. */
export const BRIDGE: PlanStep = {
  op: 'PutRolePolicy',
  roleName: ROLE_NAME,
  policyName: 'eks-ecr-guard-pull-bridge',
  policyDocument: '{"Version":"2012-10-17","Statement":[]}',
};

/** The first step done and left in place, the second failed (with those after it not done). */
export function failedOutcome(
  status: 'failed-safe' | 'failed-pulls-at-risk',
  plan: readonly PlanStep[],
  before: readonly PlanStep[] = [],
): RemediationOutcome {
  const [first, second] = plan;
  return {
    status,
    applied: [...before, ...(first === undefined ? [] : [first])],
    notDone: plan.slice(1),
    failedStep: second ?? null,
    error: 'LimitExceededException: Cannot exceed quota for PoliciesPerRole: 10',
    verification: null,
  };
}
