// Tests for the alert's first screen: within ~15 lines for every state, 40 columns (a whole command, ARN or link
// alone on its line aside), with the fix and rollback commands where the state has them, copyable as they are.
import type { Decision, RemediationOutcome } from '../../lambda/domain/types';
import { FIRST_SCREEN_WIDTH } from '../../lambda/notify/alert-first-screen';
import { formatAlert } from '../../lambda/notify/format';
import { commandsIn, failedOutcome, humanPart } from './read-alert';
import {
  alertInput,
  appliedOutcome,
  FULL_ACCESS_ARN,
  GUARD_POLICY_NAME,
  GUARD_STEP,
  READ_ONLY_ARN,
  ROLE_NAME,
  SWAP_PLAN,
  violationDecision,
} from './support';

interface Case {
  readonly decision: Decision;
  readonly outcome: RemediationOutcome | null;
  readonly fix: string | null;
  readonly undo: string | null;
}

const guardDenyDeleted = violationDecision({
  event: {
    ...violationDecision().event,
    name: 'DeleteRolePolicy',
    policy: { arn: null, name: GUARD_POLICY_NAME, versionId: null },
  },
  plan: [GUARD_STEP],
});

const CASES: Record<string, Case> = {
  'violation, alert only': {
    decision: violationDecision(),
    outcome: null,
    fix: 'Fix:',
    undo: 'Undo the fix:',
  },
  'fixed ([FIXED])': { decision: violationDecision(), outcome: appliedOutcome(), fix: null, undo: 'Undo:' },
  'fix failed, pulls safe': {
    decision: violationDecision(),
    outcome: failedOutcome('failed-safe', SWAP_PLAN),
    fix: 'Finish the fix:',
    undo: 'Undo:',
  },
  'fix failed, pulls at risk': {
    decision: violationDecision(),
    outcome: { ...failedOutcome('failed-pulls-at-risk', SWAP_PLAN), applied: SWAP_PLAN, notDone: [] },
    fix: 'Restore pulls now:',
    undo: 'Undo:',
  },
  'already fixed': {
    decision: violationDecision(),
    outcome: { ...appliedOutcome(), status: 'not-needed' },
    fix: null,
    undo: null,
  },
  exempt: {
    decision: violationDecision({
      verdict: 'exempt',
      plan: [],
      exemption: { source: 'tag', reason: 'cache', until: null },
    }),
    outcome: null,
    fix: 'End the exemption:',
    undo: null,
  },
  indeterminate: {
    decision: violationDecision({ verdict: 'indeterminate', severity: null, plan: [], grants: [] }),
    outcome: null,
    fix: 'Check:',
    undo: null,
  },
  "guard's deny deleted": { decision: guardDenyDeleted, outcome: null, fix: 'Fix:', undo: 'Undo the fix:' },
  "guard's deny restored": {
    decision: guardDenyDeleted,
    outcome: appliedOutcome([GUARD_STEP]),
    fix: null,
    undo: 'Undo:',
  },
};

function firstScreenOf(testCase: Case): string[] {
  const mode = testCase.outcome === null ? 'alert' : 'remediate';
  const alert = formatAlert(alertInput({ decision: testCase.decision, outcome: testCase.outcome, mode }));
  const text = humanPart(alert);
  return text.slice(0, text.indexOf('\n\nSUMMARY\n')).split('\n');
}

/** A line that may pass 40 columns: one unbreakable token (ARN, name, link) or one whole command line. */
const unbreakable = (line: string): boolean => !/\s/.test(line.trim()) || /^ {2}aws iam /.test(line);

describe('the first screen of the alert e-mail', () => {
  it.each(Object.entries(CASES))('%s: about 15 lines, 40 columns, what to run', (_name, testCase) => {
    const lines = firstScreenOf(testCase);
    expect(lines.length).toBeLessThanOrEqual(18);
    for (const line of lines) {
      if (line.length > FIRST_SCREEN_WIDTH) expect(unbreakable(line)).toBe(true);
    }
    const roleLine = lines.findIndex((line) => line.trim() === ROLE_NAME);
    expect(roleLine).toBeGreaterThan(0);
    expect(lines.some((line) => line.startsWith('Guard: '))).toBe(true);
    expect(lines.some((line) => line.startsWith('Clusters: eu-west-1/prod'))).toBe(true);
    expect(lines.some((line) => line.includes('console.aws.amazon.com/iam/home#/roles/details/'))).toBe(true);
    for (const label of [testCase.fix, testCase.undo]) {
      if (label === null) continue;
      const at = lines.indexOf(label);
      expect(at).toBeGreaterThan(0);
      expect(at + 1).toBeLessThan(15);
      expect(lines[at + 1]).toMatch(/^ {2}aws iam /);
    }
    if (testCase.fix === null)
      expect(lines.filter((line) => /^(Fix|Finish the fix):$/.test(line))).toEqual([]);
  });

  it('gives the whole fix as one line that runs the plan in order, and the undo as its exact inverse', () => {
    const lines = firstScreenOf(CASES['violation, alert only'] ?? fail());
    const fix = lines[lines.indexOf('Fix:') + 1] ?? '';
    const undo = lines[lines.indexOf('Undo the fix:') + 1] ?? '';
    const asRun = (line: string): string[][] => commandsIn(line.replaceAll(' && ', '\n  '));
    expect(asRun(fix)).toEqual([
      ['iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', READ_ONLY_ARN],
      ['iam', 'detach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', FULL_ACCESS_ARN],
    ]);
    expect(asRun(undo)).toEqual([
      ['iam', 'attach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', FULL_ACCESS_ARN],
      ['iam', 'detach-role-policy', '--role-name', ROLE_NAME, '--policy-arn', READ_ONLY_ARN],
    ]);
  });

  it("restores the guard's deny with one put-role-policy whose document survives the shell", () => {
    const lines = firstScreenOf(CASES["guard's deny deleted"] ?? fail());
    expect(lines).toContain('Event: DeleteRolePolicy,');
    const [put] = commandsIn(lines[lines.indexOf('Fix:') + 1] ?? '');
    expect(put?.slice(0, 6)).toEqual([
      'iam',
      'put-role-policy',
      '--role-name',
      ROLE_NAME,
      '--policy-name',
      GUARD_POLICY_NAME,
    ]);
    expect(JSON.parse(put?.[7] ?? 'null')).toEqual(
      JSON.parse(GUARD_STEP.op === 'PutRolePolicy' ? GUARD_STEP.policyDocument : ''),
    );
  });

  it('leaves out a command holding control characters instead of showing it altered', () => {
    const evil = `${ROLE_NAME}\u202E`;
    const plan = SWAP_PLAN.map((step) => ({ ...step, roleName: evil }));
    const lines = firstScreenOf({
      decision: violationDecision({ role: { name: evil, arn: null }, plan }),
      outcome: null,
      fix: null,
      undo: null,
    });
    expect(lines.filter((line) => /^ {2}aws /.test(line))).toEqual([]);
    expect(lines.join('\n')).toContain('Fix: left out');
  });
});

function fail(): never {
  throw new Error('missing case');
}
