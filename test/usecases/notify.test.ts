// Tests for the notify use case: what is published to which topic, with which attributes, and when nothing is.
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Decision, RemediationOutcome, Verdict } from '../../lambda/domain/types';
import { SnsGateway } from '../../lambda/gateways/sns-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { extractAlertJson } from '../../lambda/notify/document';
import {
  Notifier,
  type NotifierLogger,
  type NotifierOptions,
  type Publisher,
  type PublishRequest,
} from '../../lambda/usecases/notify';
import { ACCOUNT_ID, appliedOutcome, ROLE_NAME, violationDecision } from '../notify/support';

const ALERT_TOPIC = 'arn:aws:sns:us-east-1:111122223333:eks-ecr-guard-alerts';
const CHAT_TOPIC = 'arn:aws:sns:us-east-1:111122223333:eks-ecr-guard-chat';

/** Records every publish and answers with ids m-1, m-2, ... */
class FakePublisher implements Publisher {
  readonly published: PublishRequest[] = [];
  async publish(message: PublishRequest): Promise<string> {
    this.published.push(message);
    return `m-${this.published.length}`;
  }
}

function notifier(publisher: Publisher, overrides: Partial<NotifierOptions> = {}): Notifier {
  return new Notifier({
    publisher,
    alertTopicArn: ALERT_TOPIC,
    chatTopicArn: null,
    mode: 'alert',
    accountId: ACCOUNT_ID,
    partition: 'aws',
    replacementPolicyName: 'AmazonEC2ContainerRegistryReadOnly',
    notifyExempt: false,
    ...overrides,
  });
}

const decisionWith = (verdict: Verdict): Decision => violationDecision({ verdict });

describe('Notifier', () => {
  it('publishes a violation to the alert topic: subject, readable body with the JSON, String attributes', async () => {
    const publisher = new FakePublisher();
    const result = await notifier(publisher).notify(violationDecision(), null);

    expect(result).toEqual({ sent: true, kind: 'violation', messageIds: ['m-1'] });
    expect(publisher.published).toHaveLength(1);
    const [message] = publisher.published;
    expect(message?.topicArn).toBe(ALERT_TOPIC);
    expect(message?.subject).toMatch(/^\[HIGH\] EKS node role eksctl-prod-nodegroup.+\(AttachRolePolicy\)$/);
    expect(message?.message).toContain('HOW TO FIX (AWS CLI)');
    expect(extractAlertJson(message?.message ?? '')).toMatchObject({ decision: violationDecision() });
    expect(message?.attributes).toEqual({
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

  it('also publishes the chat notification, as a plain JSON message, when a chat topic is configured', async () => {
    const publisher = new FakePublisher();
    const result = await notifier(publisher, { chatTopicArn: CHAT_TOPIC }).notify(violationDecision(), null);

    expect(result.messageIds).toEqual(['m-1', 'm-2']);
    expect(publisher.published.map((m) => m.topicArn)).toEqual([ALERT_TOPIC, CHAT_TOPIC]);
    const chat = publisher.published[1];
    expect(chat?.subject).toBeUndefined();
    expect(JSON.parse(chat?.message ?? '')).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    expect(chat?.attributes).toEqual(publisher.published[0]?.attributes);
  });

  it('treats an empty chat topic ARN as no chat topic', async () => {
    const publisher = new FakePublisher();
    await notifier(publisher, { chatTopicArn: '' }).notify(violationDecision(), null);
    expect(publisher.published.map((m) => m.topicArn)).toEqual([ALERT_TOPIC]);
  });

  it.each<Verdict>(['compliant', 'not-node-role', 'ignored'])('sends nothing for %s', async (verdict) => {
    const publisher = new FakePublisher();
    const result = await notifier(publisher, { chatTopicArn: CHAT_TOPIC, notifyExempt: true }).notify(
      decisionWith(verdict),
      null,
    );
    expect(result).toEqual({ sent: false, kind: null, messageIds: [] });
    expect(publisher.published).toEqual([]);
  });

  it('sends an indeterminate decision', async () => {
    const publisher = new FakePublisher();
    const decision = violationDecision({ verdict: 'indeterminate', severity: null, plan: [] });
    const result = await notifier(publisher).notify(decision, null);
    expect(result.kind).toBe('indeterminate');
    expect(publisher.published[0]?.subject?.startsWith('[CHECK] ')).toBe(true);
    expect(publisher.published[0]?.attributes?.verdict).toBe('indeterminate');
  });

  it('sends exempt decisions only when notifyExempt is set, and logs them either way', async () => {
    const quiet = new FakePublisher();
    const logged: string[] = [];
    const logger = { info: (message: string) => logged.push(message) };
    const skipped = await notifier(quiet, { logger }).notify(decisionWith('exempt'), null);
    expect(skipped.sent).toBe(false);
    expect(quiet.published).toEqual([]);
    expect(logged).toEqual(['no alert for this decision']);

    const told = new FakePublisher();
    const sent = await notifier(told, { notifyExempt: true }).notify(decisionWith('exempt'), null);
    expect(sent).toEqual({ sent: true, kind: 'exempt-info', messageIds: ['m-1'] });
    expect(told.published[0]?.subject?.startsWith('[EXEMPT] ')).toBe(true);
  });

  it('sends every remediation outcome with its status as the remediation attribute', async () => {
    for (const status of ['applied', 'not-needed', 'failed-safe', 'failed-pulls-at-risk'] as const) {
      const publisher = new FakePublisher();
      const outcome: RemediationOutcome = { ...appliedOutcome(), status };
      const result = await notifier(publisher, { mode: 'remediate' }).notify(violationDecision(), outcome);
      expect(result.kind).toBe('remediation');
      expect(publisher.published[0]?.attributes).toMatchObject({ remediation: status, mode: 'remediate' });
    }
  });

  it('lets a publish error propagate, and does not try the chat topic after the alert topic failed', async () => {
    const attempts: string[] = [];
    const failing: Publisher = {
      async publish(message) {
        attempts.push(message.topicArn);
        throw new Error('Throttling: Rate exceeded');
      },
    };
    await expect(
      notifier(failing, { chatTopicArn: CHAT_TOPIC }).notify(violationDecision(), null),
    ).rejects.toThrow('Throttling: Rate exceeded');
    expect(attempts).toEqual([ALERT_TOPIC]);
  });

  it('keeps a chat publish error from failing the invocation once the alert went out (no duplicate e-mail)', async () => {
    const attempts: string[] = [];
    const chatFails: Publisher = {
      async publish(message) {
        attempts.push(message.topicArn);
        if (message.topicArn === CHAT_TOPIC) throw new Error('AuthorizationError');
        return 'm-1';
      },
    };
    const warnings: string[] = [];
    const logger: NotifierLogger = { info() {}, warn: (message) => warnings.push(message) };
    const result = await notifier(chatFails, { chatTopicArn: CHAT_TOPIC, logger }).notify(
      violationDecision(),
      null,
    );
    expect(result).toMatchObject({ sent: true, messageIds: ['m-1'] });
    expect(attempts).toEqual([ALERT_TOPIC, CHAT_TOPIC]);
    expect(warnings).toEqual(['chat notification failed; the e-mail alert was sent']);
  });

  it('takes the SNS gateway as its publisher and a Powertools logger as its logger', () => {
    const publisher: Publisher = new SnsGateway(new SNSClient({ region: 'us-east-1' }));
    const logger: NotifierLogger = new Logger({ serviceName: 'eks-ecr-guard-test' });
    expect(notifier(publisher, { logger })).toBeInstanceOf(Notifier);
  });

  it('publishes alerts that the (fake) SNS service accepts: subject, size and attribute rules', async () => {
    const fake = new FakeAws();
    const alertTopicArn = fake.addTopic('eks-ecr-guard-alerts');
    const chatTopicArn = fake.addTopic('eks-ecr-guard-chat');
    const publisher = new SnsGateway(fake.snsClient());
    const guard = notifier(publisher, { alertTopicArn, chatTopicArn, notifyExempt: true });
    const manyGrants = Array.from({ length: 5000 }, (_, i) => ({
      ...violationDecision().grants[0],
      policy: { kind: 'inline' as const, name: `inline-${i}`, arn: null },
      statement: `${i}`,
      actions: ['ecr:PutImage'],
      resourceScoped: false,
      conditional: false,
      allServices: false,
      wholeService: false,
    }));
    const decisions: Decision[] = [
      violationDecision(),
      violationDecision({ grants: manyGrants }),
      violationDecision({ role: { name: `x\r\n${'long-name-'.repeat(30)}\u0000`, arn: null } }),
      violationDecision({
        verdict: 'exempt',
        exemption: { source: 'tag', reason: 'cache warmer', until: null },
      }),
    ];
    for (const decision of decisions) await guard.notify(decision, null);
    await guard.notify(violationDecision(), { ...appliedOutcome(), status: 'failed-pulls-at-risk' });

    expect(fake.published).toHaveLength(10);
    expect(fake.published.filter((m) => m.topicArn === alertTopicArn)).toHaveLength(5);
    for (const message of fake.published.filter((m) => m.topicArn === chatTopicArn)) {
      expect(JSON.parse(message.message)).toMatchObject({ version: '1.0', source: 'custom' });
    }
  });
});
