// Tests for formatAlert after a remediation (applied, failed safe, failed with pulls at risk, pull bridge) and for
// the other verdicts (indeterminate, exempt), grant qualifiers and deny kinds, account-wide heuristic evidence.
import type { Grant, PlanStep, RemediationOutcome } from '../../lambda/domain/types';
import { formatAlert } from '../../lambda/notify/format';
import {
  asSteps,
  BRIDGE,
  commandsIn,
  failedOutcome,
  headings,
  humanPart,
  section,
  stepValues,
  summaryHeadline,
} from './read-alert';
import {
  alertInput,
  appliedOutcome,
  FULL_ACCESS_ARN,
  FULL_ACCESS_GRANT,
  GUARD_STEP,
  READ_ONLY_ARN,
  ROLE_NAME,
  SWAP_PLAN,
  violationDecision,
} from './support';

describe('formatAlert: remediate mode', () => {
  it('applied: says what the guard did and verified, and how to roll the applied steps back', () => {
    const plan = [GUARD_STEP, ...SWAP_PLAN];
    const alert = formatAlert(
      alertInput({ mode: 'remediate', decision: violationDecision({ plan }), outcome: appliedOutcome(plan) }),
    );
    expect(alert.subject.startsWith('[FIXED] ')).toBe(true);
    const did = section(alert.body, 'WHAT THE GUARD DID');
    expect(did).toContain('Applied the fix');
    expect(did).toContain('no ECR write action is left; image pulls are still allowed');
    expect(headings(alert.body)).not.toContain('HOW TO FIX (AWS CLI)');
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO ROLL BACK (AWS CLI)')))).toEqual([
      { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: FULL_ACCESS_ARN },
      { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
      { op: 'DeleteRolePolicy', roleName: ROLE_NAME, policyName: 'eks-ecr-guard-deny-ecr-write' },
    ]);
    expect(alert.json.outcome).toEqual(appliedOutcome(plan));
  });

  it('failed, pulls safe: lists what stays and what is not done; fix finishes the rest, rollback undoes the rest', () => {
    const alert = formatAlert(
      alertInput({ mode: 'remediate', outcome: failedOutcome('failed-safe', SWAP_PLAN) }),
    );
    expect(alert.subject.startsWith('[ACTION NEEDED] [HIGH] Fix failed')).toBe(true);
    expect(summaryHeadline(alert)).toContain('Image pulls still work; finish it by hand.');
    const did = section(alert.body, 'WHAT THE GUARD DID');
    expect(did).toContain(
      'DetachRolePolicy AmazonEC2ContainerRegistryFullAccess failed: LimitExceededException',
    );
    expect(did).toContain('Done, and left in place');
    expect(did).toContain('Not done:');
    expect(did).toContain('Image pulls still work.');
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO FIX BY HAND (AWS CLI)')))).toEqual(
      stepValues(SWAP_PLAN.slice(1)),
    );
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO ROLL BACK (AWS CLI)')))).toEqual([
      { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
    ]);
  });

  it('failed with nothing done: says nothing was changed and nothing is to roll back', () => {
    const outcome: RemediationOutcome = { ...failedOutcome('failed-safe', SWAP_PLAN), applied: [] };
    const alert = formatAlert(alertInput({ mode: 'remediate', outcome: { ...outcome, notDone: SWAP_PLAN } }));
    expect(section(alert.body, 'WHAT THE GUARD DID')).toContain('Nothing was changed.');
    expect(section(alert.body, 'HOW TO ROLL BACK')).toContain('Nothing to roll back');
  });

  it('a pull bridge left in place: the fix ends by deleting it', () => {
    const detachFirst = [SWAP_PLAN[1], SWAP_PLAN[0]].filter((s): s is PlanStep => s !== undefined);
    const alert = formatAlert(
      alertInput({ mode: 'remediate', outcome: failedOutcome('failed-safe', detachFirst, [BRIDGE]) }),
    );
    expect(section(alert.body, 'WHAT THE GUARD DID')).toContain('it allows image pulls only');
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO FIX BY HAND (AWS CLI)')))).toEqual([
      { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
      { op: 'DeleteRolePolicy', roleName: ROLE_NAME, policyName: 'eks-ecr-guard-pull-bridge' },
    ]);
  });

  it('failed with pulls at risk (after every step ran): act now, attach the pull policy, never delete the bridge', () => {
    const outcome: RemediationOutcome = {
      status: 'failed-pulls-at-risk',
      applied: [...SWAP_PLAN, BRIDGE],
      notDone: [],
      failedStep: null,
      error: 'verification: image pulls would break (ecr:BatchGetImage)',
      verification: { writeActionsAfter: [], pullActionsAllowed: false },
    };
    const alert = formatAlert(alertInput({ mode: 'remediate', outcome }));
    expect(humanPart(alert).startsWith('[ACT NOW] [HIGH] pulls at risk\n')).toBe(true);
    expect(summaryHeadline(alert).startsWith('ACT NOW')).toBe(true);
    expect(alert.subject).toContain('Pulls at risk, node role');
    expect(section(alert.body, 'WHAT THE GUARD DID')).toContain('Image pulls may NOT work');
    const fix = section(alert.body, 'HOW TO FIX BY HAND (AWS CLI)');
    expect(asSteps(commandsIn(fix))).toEqual([
      { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
    ]);
    expect(fix).toContain('keeps image pulls working: delete it only');
  });

  it('a bridge the guard put to repair pulls is never offered for deletion in the fix', () => {
    const outcome: RemediationOutcome = {
      status: 'failed-safe',
      applied: [...SWAP_PLAN, BRIDGE],
      notDone: [],
      failedStep: null,
      error: 'verification: image pulls would break (ecr:BatchGetImage); the pull bridge was put',
      verification: { writeActionsAfter: [], pullActionsAllowed: true },
    };
    const alert = formatAlert(alertInput({ mode: 'remediate', outcome }));
    expect(headings(alert.body)).not.toContain('HOW TO FIX BY HAND (AWS CLI)');
    expect(section(alert.body, 'IMAGE PULLS')).toContain('keeps image pulls working');
  });

  it('no remediation ran for a violation: says nothing was changed and shows the plan', () => {
    const alert = formatAlert(alertInput({ mode: 'remediate' }));
    expect(section(alert.body, 'WHAT THE GUARD WOULD DO')).toContain('no remediation ran');
  });
});

describe('formatAlert: other verdicts', () => {
  it('indeterminate: names what could not be read and how to check it by hand, offers no fix', () => {
    const decision = violationDecision({
      verdict: 'indeterminate',
      severity: null,
      reason: 'AccessDenied on iam:GetPolicyVersion for arn:aws:iam::111122223333:policy/ci-push',
      grants: [],
      ecrWriteActions: [],
      plan: [],
      unknownPolicies: [
        { kind: 'customer-managed', name: 'ci-push', arn: 'arn:aws:iam::111122223333:policy/ci-push' },
        { kind: 'inline', name: 'extra', arn: null },
      ],
    });
    const alert = formatAlert(alertInput({ decision }));
    expect(alert.subject.startsWith('[CHECK] ')).toBe(true);
    expect(humanPart(alert)).toContain('AccessDenied on iam:GetPolicyVersion');
    expect(section(alert.body, 'WHAT COULD NOT BE CHECKED')).toContain('ci-push (customer managed policy)');
    const checks = commandsIn(section(alert.body, 'HOW TO CHECK BY HAND (AWS CLI)'));
    expect(checks.map((argv) => argv[1])).toEqual([
      'list-attached-role-policies',
      'list-role-policies',
      'get-policy',
      'get-policy-version',
      'get-role-policy',
      'simulate-principal-policy',
    ]);
    expect(headings(alert.body)).not.toContain('HOW TO FIX (AWS CLI)');
    expect(headings(alert.body)).not.toContain('HOW TO ROLL BACK (AWS CLI)');
  });

  it('exempt: says until when and why, and how to end the exemption', () => {
    const decision = violationDecision({
      verdict: 'exempt',
      plan: [],
      exemption: { source: 'tag', reason: 'image cache warmer', until: '2027-03-31' },
    });
    const alert = formatAlert(alertInput({ decision }));
    expect(summaryHeadline(alert)).toContain('it is exempt until 2027-03-31');
    expect(humanPart(alert).split('\n\n')[0]?.replace(/\s+/g, ' ')).toContain('exempt until 2027-03-31');
    const exemption = section(alert.body, 'EXEMPTION');
    expect(exemption).toContain('image cache warmer');
    expect(commandsIn(exemption)).toEqual([
      ['iam', 'untag-role', '--role-name', ROLE_NAME, '--tag-keys', 'eks-ecr-guard:exempt'],
    ]);
  });

  it('describes every grant qualifier and each kind of deny', () => {
    const grant = (overrides: Partial<Grant>): Grant => ({ ...FULL_ACCESS_GRANT, ...overrides });
    const decision = violationDecision({
      grants: [
        grant({ allServices: true, wholeService: false, statement: 'Admin' }),
        grant({
          wholeService: false,
          resourceScoped: true,
          conditional: true,
          statement: 'Scoped',
          actions: ['ecr:PutImage'],
        }),
      ],
      denies: [
        {
          policy: { kind: 'inline', name: 'deny-delete', arn: null },
          statement: '0',
          actions: ['ecr:DeleteRepository'],
          kind: 'conditional',
        },
      ],
    });
    const grants = section(formatAlert(alertInput({ decision })).body, 'WHAT GRANTS ECR WRITE ACCESS');
    expect(grants).toContain('Statement Admin: every action of every service, all resources, no condition');
    expect(grants).toContain('Statement Scoped: selected ECR actions, resource-scoped, conditional');
    expect(grants).toContain('Grants 1 write action: ecr:PutImage');
    expect(grants).toContain(
      'deny-delete (inline policy), statement 0, denies 1 action(s) (conditional, so not counted)',
    );
  });

  it('shows account-wide heuristic evidence apart from clusters', () => {
    const decision = violationDecision({
      nodeRole: {
        evidence: [{ kind: 'heuristic', region: null, cluster: null, detail: 'trusts ec2.amazonaws.com' }],
      },
    });
    const where = section(formatAlert(alertInput({ decision })).body, 'WHERE THE ROLE IS USED');
    expect(where).toContain('not tied to a cluster');
    expect(where).toContain('looks like a node role: trusts ec2.amazonaws.com');
  });

  it.each([
    ['aws-cn', 'https://console.amazonaws.cn/iam/home#/roles/details/r1'],
    ['aws-us-gov', 'https://console.amazonaws-us-gov.com/iam/home#/roles/details/r1'],
    ['aws-iso', 'No console link for partition aws-iso.'],
  ])('links the console of partition %s', (partition, expected) => {
    const decision = violationDecision({ role: { name: 'r1', arn: null } });
    expect(section(formatAlert(alertInput({ decision, partition })).body, 'IN THE CONSOLE').trim()).toBe(
      expected,
    );
  });
});
