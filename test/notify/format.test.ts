// Tests for formatAlert: every section an on-call engineer needs, commands that equal the plan, the JSON block,
// message attributes, and the SNS 256 KiB cap on huge inputs.
import { execFileSync } from 'node:child_process';
import type { Decision, Grant, PlanStep, RemediationOutcome } from '../../lambda/domain/types';
import {
  ALERT_JSON_BEGIN,
  ALERT_JSON_END,
  type AlertDocument,
  extractAlertJson,
  type FormattedAlert,
  formatAlert,
  MAX_ATTRIBUTES,
  MAX_MESSAGE_BYTES,
  messageBytes,
} from '../../lambda/notify/format';
import {
  ACCOUNT_ID,
  alertInput,
  appliedOutcome,
  FULL_ACCESS_ARN,
  FULL_ACCESS_GRANT,
  GUARD_STEP,
  READ_ONLY_ARN,
  ROLE_ARN,
  ROLE_NAME,
  SWAP_PLAN,
  violationDecision,
} from './support';

/** The lines of one section: after its underlined heading, up to the next heading. */
function section(body: string, title: string): string {
  const lines = body.split('\n');
  const start = lines.findIndex((line, i) => line === title && lines[i + 1] === '-'.repeat(title.length));
  if (start === -1) throw new Error(`no section ${title}`);
  const next = lines.findIndex(
    (line, i) => i > start + 1 && line.length > 0 && lines[i + 1] === '-'.repeat(line.length),
  );
  return lines.slice(start + 2, next === -1 ? undefined : next - 1).join('\n');
}

function headings(body: string): string[] {
  const lines = body.split('\n');
  return lines.filter((line, i) => line.length > 0 && lines[i + 1] === '-'.repeat(line.length));
}

/** The text above the JSON block (what people read). */
const humanPart = (alert: FormattedAlert): string =>
  alert.body.slice(0, alert.body.indexOf(ALERT_JSON_BEGIN));

/** Runs the command lines of a section through a shell with `aws` stubbed; returns each call's arguments. */
function commandsIn(text: string): string[][] {
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

function asSteps(commands: readonly string[][]): unknown[] {
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

const stepValues = (plan: readonly PlanStep[]): unknown[] =>
  plan.map((step) =>
    step.op === 'PutRolePolicy' ? { ...step, policyDocument: JSON.parse(step.policyDocument) } : step,
  );

/** The temporary pull bridge, as the remediator lists it among the applied steps. */
const BRIDGE: PlanStep = {
  op: 'PutRolePolicy',
  roleName: ROLE_NAME,
  policyName: 'eks-ecr-guard-pull-bridge',
  policyDocument: '{"Version":"2012-10-17","Statement":[]}',
};

/** The first step done and left in place, the second failed (with those after it not done). */
function failedOutcome(
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

describe('formatAlert: a violation in alert mode', () => {
  const alert = formatAlert(alertInput());
  const text = humanPart(alert);

  it('has every section, in reading order', () => {
    expect(headings(alert.body)).toEqual([
      'WHAT CHANGED',
      'WHO AND WHEN',
      'WHERE THE ROLE IS USED',
      'WHAT GRANTS ECR WRITE ACCESS',
      'WHY IT MATTERS',
      'WHAT THE GUARD WOULD DO',
      'HOW TO FIX (AWS CLI)',
      'HOW TO ROLL BACK (AWS CLI)',
      'IN THE CONSOLE',
      'IF THIS ACCESS IS INTENDED',
      'MACHINE-READABLE',
    ]);
  });

  it('opens with what happened, the reason, severity and mode', () => {
    expect(text.split('\n')[0]).toBe(`EKS node role ${ROLE_NAME} can now write to Amazon ECR.`);
    expect(text).toMatch(/Severity: +HIGH/);
    expect(text).toMatch(/Mode: +alert only/);
  });

  it('says what changed, who did it, from where, with what and when (UTC), in which account', () => {
    const changed = section(alert.body, 'WHAT CHANGED');
    expect(changed).toContain('AttachRolePolicy');
    expect(changed).toContain(FULL_ACCESS_ARN);
    expect(changed).toContain(ROLE_ARN);
    const who = section(alert.body, 'WHO AND WHEN');
    expect(who).toContain(
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_0123456789abcdef/alice@example.com',
    );
    expect(who).toContain('203.0.113.10');
    expect(who.replace(/\n\s+/g, ' ')).toContain('aws-cli/2.22.0 md/awscrt#0.23.4 ua/2.1');
    expect(who).toMatch(/Time \(UTC\): 2026-11-20 09:15:42 UTC/);
    expect(who).toMatch(/Account: +111122223333/);
  });

  it('groups where the role is used by region and cluster', () => {
    expect(section(alert.body, 'WHERE THE ROLE IS USED')).toBe(
      [
        '  eu-west-1, cluster prod',
        '    - managed node group ng-1',
        '    - access entry of type EC2_LINUX (self-managed, Karpenter or hybrid nodes)',
      ].join('\n'),
    );
  });

  it('names the policy and statement that grant write, with qualifiers, and the harmful actions', () => {
    const grants = section(alert.body, 'WHAT GRANTS ECR WRITE ACCESS');
    expect(grants).toContain('1. AmazonEC2ContainerRegistryFullAccess (AWS managed policy)');
    expect(grants).toContain('Statement 0: a whole ECR service, all resources, no condition');
    expect(grants).toContain('Denies: none');
    expect(grants).toContain('34 ECR write actions');
    expect(grants).toContain('ecr:PutImage (push or overwrite images)');
    expect(grants).toContain('ecr:DeleteRepository (delete repositories)');
  });

  it('explains why it matters: CIS EKS 5.1.3, Kubescape C-0223, IMDS, poisoned images', () => {
    const why = section(alert.body, 'WHY IT MATTERS').replace(/\n\s+/g, ' ');
    expect(why).toContain('CIS Amazon EKS Benchmark 5.1.3');
    expect(why).toContain('C-0223');
    expect(why).toContain('IMDS');
    expect(why).toContain('poisoned images');
  });

  it('says nothing was changed and what the guard would do', () => {
    const plan = section(alert.body, 'WHAT THE GUARD WOULD DO');
    expect(plan).toContain('alert-only mode');
    expect(plan).toContain('1. Attach AmazonEC2ContainerRegistryReadOnly');
    expect(plan).toContain('2. Detach AmazonEC2ContainerRegistryFullAccess');
  });

  it('gives fix commands that, run by a shell, are exactly the plan', () => {
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO FIX (AWS CLI)')))).toEqual(stepValues(SWAP_PLAN));
  });

  it('gives rollback commands that are the exact inverse of the plan, in reverse order', () => {
    expect(asSteps(commandsIn(section(alert.body, 'HOW TO ROLL BACK (AWS CLI)')))).toEqual([
      { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: FULL_ACCESS_ARN },
      { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
    ]);
  });

  it('links the role in the console and shows how to exempt it with a reason and an end date', () => {
    expect(section(alert.body, 'IN THE CONSOLE').trim()).toBe(
      `https://console.aws.amazon.com/iam/home#/roles/details/${ROLE_NAME}`,
    );
    const exempt = commandsIn(section(alert.body, 'IF THIS ACCESS IS INTENDED'));
    expect(exempt).toEqual([
      [
        'iam',
        'tag-role',
        '--role-name',
        ROLE_NAME,
        '--tags',
        '[{"Key":"eks-ecr-guard:exempt","Value":"REASON until=YYYY-MM-DD"}]',
      ],
    ]);
  });

  it('appends the full decision as JSON between marker lines, the same object it returns', () => {
    expect(alert.body.trimEnd().endsWith(ALERT_JSON_END)).toBe(true);
    const embedded = extractAlertJson(alert.body);
    expect(embedded).toEqual(alert.json);
    expect(alert.json.decision).toEqual(violationDecision());
    expect(alert.json).toMatchObject({
      type: 'eks-ecr-guard.alert',
      version: 1,
      kind: 'violation',
      mode: 'alert',
      account: ACCOUNT_ID,
      truncated: false,
      omitted: {},
      outcome: null,
      subject: alert.subject,
    });
  });

  it('keeps the readable lines within 100 characters unless one long value (ARN, URL) cannot be broken', () => {
    for (const line of text.split('\n')) {
      if (line.length <= 100) continue;
      expect(
        line
          .trim()
          .split(' ')
          .some((word) => word.length > 60),
      ).toBe(true);
    }
  });
});

describe('formatAlert: the changed policy', () => {
  const changedWith = (policy: { arn: string | null; name: string | null; versionId: string | null }) => {
    const decision = violationDecision();
    return section(
      formatAlert(alertInput({ decision: { ...decision, event: { ...decision.event, policy } } })).body,
      'WHAT CHANGED',
    );
  };

  it('shows a managed policy by ARN only, since the ARN ends with its name', () => {
    const changed = changedWith({
      arn: FULL_ACCESS_ARN,
      name: 'AmazonEC2ContainerRegistryFullAccess',
      versionId: null,
    });
    expect(changed).toMatch(/Policy: +arn:aws:iam::aws:policy\/AmazonEC2ContainerRegistryFullAccess/);
    expect(changed).not.toContain('Policy name');
  });

  it('shows an inline policy by name, and a name the ARN does not end with under its own label', () => {
    expect(changedWith({ arn: null, name: 'ecr-push', versionId: null })).toMatch(/Policy: +ecr-push/);
    const renamed = changedWith({ arn: 'arn:aws:iam::111122223333:policy/a', name: 'b', versionId: 'v3' });
    expect(renamed).toMatch(/Policy name: b$/m);
    expect(renamed).toMatch(/Version: +v3/);
  });
});

describe('formatAlert: message attributes', () => {
  it('are at most 10 non-empty Strings: severity, verdict, account, eventName, remediation and more', () => {
    const { attributes } = formatAlert(alertInput());
    expect(Object.keys(attributes).length).toBeLessThanOrEqual(MAX_ATTRIBUTES);
    expect(MAX_ATTRIBUTES).toBe(10);
    for (const value of Object.values(attributes)) {
      expect(typeof value).toBe('string');
      expect(value.length).toBeGreaterThan(0);
    }
    expect(attributes).toEqual({
      severity: 'high',
      verdict: 'violation',
      account: ACCOUNT_ID,
      eventName: 'AttachRolePolicy',
      remediation: 'none',
      alertKind: 'violation',
      mode: 'alert',
      roleName: ROLE_NAME,
    });
  });

  it('carry the remediation status and fall back to words where the decision has nothing', () => {
    const decision = violationDecision({
      severity: null,
      verdict: 'indeterminate',
      role: null,
      event: { id: null, name: null, time: null, actor: null },
    });
    const { attributes } = formatAlert(alertInput({ decision, accountId: null }));
    expect(attributes).toMatchObject({
      severity: 'none',
      verdict: 'indeterminate',
      account: 'unknown',
      eventName: 'none',
      remediation: 'none',
      roleName: 'none',
    });
    const fixed = formatAlert(alertInput({ mode: 'remediate', outcome: appliedOutcome() }));
    expect(fixed.attributes).toMatchObject({
      remediation: 'applied',
      alertKind: 'remediation',
      mode: 'remediate',
    });
  });

  it("use the guard's account when the event names none", () => {
    const decision = violationDecision({ event: { ...violationDecision().event, account: null } });
    expect(formatAlert(alertInput({ decision, accountId: '444455556666' })).attributes.account).toBe(
      '444455556666',
    );
  });
});

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
    expect(humanPart(alert)).toContain('Image pulls still work; finish it by hand.');
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
    expect(humanPart(alert).startsWith('ACT NOW')).toBe(true);
    expect(alert.subject).toContain('Pulls at risk, EKS node role');
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
    expect(humanPart(alert).split('\n\n')[0]?.replace(/\n/g, ' ')).toContain('it is exempt until 2027-03-31');
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

describe('formatAlert: untrusted text', () => {
  it('cannot inject lines or control characters into the readable part', () => {
    const nasty = 'role\r\nBcc: victim@example.com\u0000\u202E\u2028WHAT CHANGED';
    const decision = violationDecision({
      role: { name: nasty, arn: null },
      reason: `reason\nFAKE SECTION\n------------`,
      event: { ...violationDecision().event, actor: 'actor\nInjected: yes', userAgent: 'ua\r\n\r\nbody' },
      warnings: ['warn\nings'],
    });
    const alert = formatAlert(alertInput({ decision }));
    const lines = humanPart(alert).split('\n');
    for (const line of lines) expect(line).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(lines.some((line) => line.startsWith('Bcc:'))).toBe(false);
    expect(lines.some((line) => line.startsWith('Injected:'))).toBe(false);
    expect(headings(alert.body).filter((h) => h === 'WHAT CHANGED')).toHaveLength(1);
    expect(headings(alert.body)).not.toContain('FAKE SECTION');
    expect(humanPart(alert)).toContain(
      '(command left out: a name in it holds control or invisible characters)',
    );
    expect(extractAlertJson(alert.body)).toEqual(alert.json);
  });

  it('finds the JSON block even when text above it repeats the marker lines', () => {
    const decision = violationDecision({ reason: `${ALERT_JSON_BEGIN} {"fake": true} ${ALERT_JSON_END}` });
    const alert = formatAlert(alertInput({ decision }));
    expect(extractAlertJson(alert.body)).toEqual(alert.json);
    expect(extractAlertJson('no block here')).toBeNull();
    expect(extractAlertJson(`${ALERT_JSON_BEGIN}\n{broken\n${ALERT_JSON_END}`)).toBeNull();
  });
});

describe('formatAlert: the SNS 256 KiB limit', () => {
  const manyGrants = (count: number): Grant[] =>
    Array.from({ length: count }, (_, i) => ({
      ...FULL_ACCESS_GRANT,
      policy: { kind: 'inline', name: `inline-policy-${i}`, arn: null },
      statement: `Statement${i}`,
    }));

  it('with 5,000 grants: stays under the limit, shortens the lists and says so', () => {
    const decision = violationDecision({ grants: manyGrants(5000) });
    const alert = formatAlert(alertInput({ decision }));
    expect(messageBytes(alert)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(Buffer.byteLength(alert.body, 'utf8')).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    expect(alert.json.truncated).toBe(true);
    const kept = alert.json.decision.grants.length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(5000);
    expect(alert.json.omitted['decision.grants']).toBe(5000 - kept);
    expect(humanPart(alert)).toContain('… and 4980 more (not shown: the message size limit was reached)');
    expect(extractAlertJson(alert.body)).toEqual(alert.json);
    expect(alert.json.decision.plan).toEqual(SWAP_PLAN);
    expect(alert.json.decision.ecrWriteActions).toEqual(decision.ecrWriteActions);
  });

  it('with 150 grants: keeps everything in the JSON and points the text there', () => {
    const grants = manyGrants(150).map((grant) => ({ ...grant, actions: ['ecr:PutImage'] }));
    const alert = formatAlert(alertInput({ decision: violationDecision({ grants }) }));
    expect(alert.json.truncated).toBe(false);
    expect(alert.json.decision.grants).toHaveLength(150);
    expect(humanPart(alert)).toContain('… and 130 more (see the JSON below)');
  });

  it('with huge strings and lists everywhere: still under the limit (last resort cuts strings too)', () => {
    const big = 'x'.repeat(300_000);
    const decision: Decision = violationDecision({
      reason: big,
      event: { ...violationDecision().event, userAgent: big, actor: big },
      grants: manyGrants(3000).map((g) => ({
        ...g,
        actions: Array.from({ length: 500 }, (_, i) => `ecr:Action${i}`),
      })),
      ecrWriteActions: Array.from({ length: 20_000 }, (_, i) => `ecr:Action${i}`),
      warnings: Array.from({ length: 5000 }, () => big.slice(0, 1000)),
      plan: Array.from({ length: 2000 }, () => GUARD_STEP),
    });
    const alert = formatAlert(alertInput({ decision }));
    expect(messageBytes(alert)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES);
    const json: AlertDocument = alert.json;
    expect(json.truncated).toBe(true);
    expect(json.omitted.longStrings).toBeGreaterThan(0);
    expect(json.decision.reason.length).toBeLessThan(1000);
    expect(humanPart(alert)).toContain('this alert was shortened');
    expect(extractAlertJson(alert.body)).toEqual(json);
  });
});
