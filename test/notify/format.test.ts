// Tests for formatAlert: every section an on-call engineer needs, commands that equal the plan, the JSON block,
// message attributes, untrusted text, and the SNS 256 KiB cap on huge inputs.
import type { Decision, Grant } from '../../lambda/domain/types';
import {
  ALERT_JSON_BEGIN,
  ALERT_JSON_END,
  type AlertDocument,
  extractAlertJson,
  formatAlert,
  MAX_ATTRIBUTES,
  MAX_MESSAGE_BYTES,
  messageBytes,
} from '../../lambda/notify/format';
import { asSteps, commandsIn, headings, humanPart, section, stepValues, summaryHeadline } from './read-alert';
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

describe('formatAlert: a violation in alert mode', () => {
  const alert = formatAlert(alertInput());
  const text = humanPart(alert);

  it('has every section, in reading order', () => {
    expect(headings(alert.body)).toEqual([
      'SUMMARY',
      'WHAT CHANGED',
      'WHO AND WHEN',
      'WHERE THE ROLE IS USED',
      'WHAT GRANTS ECR WRITE ACCESS',
      'WHY IT MATTERS',
      'WHAT THE GUARD WOULD DO',
      'PUSH ACCESS: GIVE IT TO THE WORKLOAD, NOT THE NODE',
      'HOW TO FIX (AWS CLI)',
      'HOW TO ROLL BACK (AWS CLI)',
      'IN THE CONSOLE',
      'IF THIS ACCESS IS INTENDED',
      'MACHINE-READABLE',
    ]);
  });

  it('opens with the first screen, then a summary of what happened, the reason, severity and mode', () => {
    expect(text.split('\n')[0]).toBe('[HIGH] node role can write to ECR');
    expect(summaryHeadline(alert)).toBe(`EKS node role ${ROLE_NAME} can now write to Amazon ECR.`);
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
    const lines = text.split('\n');
    // The first screen's commands stand whole on their own line, so they copy intact (see the first-screen tests).
    const details = lines.slice(lines.indexOf('SUMMARY'));
    for (const line of details) {
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
