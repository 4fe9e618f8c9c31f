// Tests for the owner in alerts: the `owner` SNS message attribute (valid for SNS, absent without an owner), the
// first-screen line (still ~15 lines at 40 columns), the summary line, the chat notification and the alert JSON.
import { UNTAGGED_FINDING } from '../../lambda/domain/owners';
import type { Decision } from '../../lambda/domain/types';
import { isAttributeName } from '../../lambda/in-memory-aws/sns';
import { FIRST_SCREEN_WIDTH } from '../../lambda/notify/alert-first-screen';
import { centralAlertAttributes } from '../../lambda/notify/attributes';
import { formatChatNotification } from '../../lambda/notify/chat';
import { formatAlert, MAX_ATTRIBUTES } from '../../lambda/notify/format';
import { humanPart } from './read-alert';
import { alertInput, appliedOutcome, violationDecision } from './support';

const fromNodegroup: Decision = violationDecision({
  owner: {
    status: 'owned',
    owner: 'ml-team',
    source: {
      level: 'nodegroup',
      tagKey: 'owner',
      region: 'eu-west-1',
      cluster: 'prod',
      nodegroup: 'ng-gpu',
    },
  },
});
const untagged: Decision = violationDecision({
  owner: {
    status: 'untagged',
    owner: null,
    source: null,
    reason: 'no owner or team tag on the role or cluster eu-west-1/prod',
    finding: UNTAGGED_FINDING,
  },
});
const unknown: Decision = violationDecision({
  owner: {
    status: 'unknown',
    owner: null,
    source: null,
    reason: 'eks:DescribeNodegroup on eu-west-1/prod/ng-1 was denied (AccessDenied)',
  },
});

function firstScreen(decision: Decision, mode: 'alert' | 'remediate' = 'alert'): string[] {
  const outcome = mode === 'remediate' ? appliedOutcome() : null;
  const text = humanPart(formatAlert(alertInput({ decision, outcome, mode })));
  return text.slice(0, text.indexOf('\n\nSUMMARY\n')).split('\n');
}

describe('the owner message attribute', () => {
  it('carries the owner tag value, untagged or unknown, as a valid String attribute', () => {
    expect(formatAlert(alertInput({ decision: fromNodegroup })).attributes.owner).toBe('ml-team');
    expect(formatAlert(alertInput({ decision: untagged })).attributes.owner).toBe('untagged');
    expect(formatAlert(alertInput({ decision: unknown })).attributes.owner).toBe('unknown');
    for (const decision of [fromNodegroup, untagged, unknown]) {
      const { attributes } = formatAlert(alertInput({ decision }));
      expect(Object.keys(attributes).length).toBeLessThanOrEqual(MAX_ATTRIBUTES);
      for (const [name, value] of Object.entries(attributes)) {
        expect(isAttributeName(name)).toBe(true);
        expect(value.length).toBeGreaterThan(0);
      }
    }
  });

  it('stays on the central topic too, within the 10 attributes of SQS raw delivery', () => {
    const { attributes } = formatAlert(alertInput({ decision: fromNodegroup }));
    const central = centralAlertAttributes(attributes, { id: '111122223333', name: 'prod-payments' });
    expect(central).toMatchObject({
      owner: 'ml-team',
      accountId: '111122223333',
      accountName: 'prod-payments',
    });
    expect(central).not.toHaveProperty('account');
    expect(Object.keys(central)).toHaveLength(MAX_ATTRIBUTES);
  });

  it('is absent when the decision has no owner (not about a node role), so no team filter matches it', () => {
    expect(formatAlert(alertInput()).attributes).not.toHaveProperty('owner');
  });

  it('keeps an untrusted tag value on one line and within 256 characters, and never empty', () => {
    const long = violationDecision({
      owner: {
        status: 'owned',
        owner: `team\nx${'y'.repeat(400)}`,
        source: { level: 'role', tagKey: 'owner' },
      },
    });
    const value = formatAlert(alertInput({ decision: long })).attributes.owner ?? '';
    expect(value).not.toContain('\n');
    expect(value.length).toBeLessThanOrEqual(256);
    const blank = violationDecision({
      owner: { status: 'owned', owner: '\u0007', source: { level: 'role', tagKey: 'owner' } },
    });
    expect(formatAlert(alertInput({ decision: blank })).attributes.owner).toBe('unknown');
  });
});

describe('the owner in the alert text', () => {
  it.each([
    [fromNodegroup, 'Owner: ml-team (node group tag)'],
    [untagged, 'Owner: untagged (no owner tag)'],
    [unknown, 'Owner: unknown (tags unread)'],
  ])(
    'puts one owner line on the first screen, which stays about 15 lines at 40 columns',
    (decision, line) => {
      for (const mode of ['alert', 'remediate'] as const) {
        const lines = firstScreen(decision, mode);
        expect(lines).toContain(line);
        expect(lines.length).toBeLessThanOrEqual(18);
        for (const text of lines) {
          // Longer only when unbreakable: one token (ARN, link) or one whole command line.
          if (text.length > FIRST_SCREEN_WIDTH)
            expect(!/\s/.test(text.trim()) || /^ {2}aws iam /.test(text)).toBe(true);
        }
      }
      const fix = firstScreen(decision).indexOf('Fix:');
      expect(fix + 1).toBeLessThan(15);
    },
  );

  it('has no owner line without an owner', () => {
    expect(firstScreen(violationDecision()).some((line) => line.startsWith('Owner:'))).toBe(false);
  });

  it('says in the summary where the owner came from, or why there is none', () => {
    const text = humanPart(formatAlert(alertInput({ decision: fromNodegroup })));
    expect(text).toMatch(/^ {2}Owner: +ml-team \(tag owner of node group ng-gpu \(eu-west-1\/prod\)\)$/m);
    const none = humanPart(formatAlert(alertInput({ decision: unknown })));
    expect(none).toMatch(/Owner: +unknown \(eks:DescribeNodegroup on eu-west-1\/prod\/ng-1 was denied/);
  });

  it('puts the owner in the chat notification and in the alert JSON', () => {
    const chat = formatChatNotification(alertInput({ decision: fromNodegroup }));
    expect(chat.content.description).toContain(
      'Owner: ml-team (tag owner of node group ng-gpu (eu-west-1/prod))',
    );
    expect(chat.metadata.additionalContext.owner).toBe('ml-team');
    expect(formatChatNotification(alertInput()).metadata.additionalContext).not.toHaveProperty('owner');
    expect(formatAlert(alertInput({ decision: untagged })).json.decision.owner).toEqual(untagged.owner);
  });
});
