// Tests for the notify use case: what is published to which topic, with which attributes, and when nothing is.
import { Logger } from '@aws-lambda-powertools/logger';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Decision, RemediationOutcome, Verdict } from '../../lambda/domain/types';
import { SnsGateway } from '../../lambda/gateways/sns-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { extractAlertJson } from '../../lambda/notify/document';
import { MAX_ATTRIBUTES } from '../../lambda/notify/format';
import {
  CentralAlertPublishError,
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

describe('Notifier with a central topic', () => {
  const CENTRAL_TOPIC = 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts';
  const central = (publisher: Publisher, overrides: Partial<NotifierOptions> = {}) =>
    notifier(publisher, {
      centralAlertTopicArn: CENTRAL_TOPIC,
      accountName: async () => 'prod-payments',
      ...overrides,
    });

  it('publishes the alert topic first, then the same body to the central topic, named by account', async () => {
    const publisher = new FakePublisher();
    const decision = violationDecision({ role: { name: 'prod-ng-1', arn: null } });
    const result = await central(publisher, { chatTopicArn: CHAT_TOPIC }).notify(decision, null);
    expect(result.messageIds).toEqual(['m-1', 'm-2', 'm-3']);
    expect(publisher.published.map((m) => m.topicArn)).toEqual([ALERT_TOPIC, CHAT_TOPIC, CENTRAL_TOPIC]);
    const [local, , copy] = publisher.published;
    expect(copy?.message).toBe(local?.message);
    expect(local?.subject).toBe('[HIGH] EKS node role prod-ng-1 can now write to ECR (AttachRolePolicy)');
    expect(copy?.subject).toBe(
      `[HIGH] prod-payments (${ACCOUNT_ID}): EKS node role prod-ng-1 can now write to ECR`,
    );
    const { account: _local, ...rest } = local?.attributes ?? {};
    expect(copy?.attributes).toEqual({ ...rest, accountId: ACCOUNT_ID, accountName: 'prod-payments' });
    expect(Object.keys(copy?.attributes ?? {}).length).toBeLessThanOrEqual(MAX_ATTRIBUTES);
  });

  it('without a readable name, names the id alone and sends no accountName attribute', async () => {
    const publisher = new FakePublisher();
    await central(publisher, { accountName: async () => null }).notify(violationDecision(), null);
    const copy = publisher.published[1];
    expect(copy?.subject).toMatch(new RegExp(`^\\[HIGH\\] ${ACCOUNT_ID}: EKS node role `));
    expect(copy?.attributes).toMatchObject({ accountId: ACCOUNT_ID });
    expect(copy?.attributes).not.toHaveProperty('accountName');
  });

  it('publishes to the central topic alone when that is what is owed (a retry: the alert topic has it)', async () => {
    const publisher = new FakePublisher();
    const result = await central(publisher, { chatTopicArn: CHAT_TOPIC }).notify(
      violationDecision(),
      appliedOutcome(),
      'central',
    );
    expect(publisher.published.map((m) => m.topicArn)).toEqual([CENTRAL_TOPIC]);
    expect(result).toMatchObject({ sent: true, messageIds: ['m-1'] });
  });

  it('sends nothing anywhere for a decision that calls for no alert', async () => {
    const publisher = new FakePublisher();
    await central(publisher).notify(decisionWith('compliant'), null);
    expect(publisher.published).toEqual([]);
  });

  it('throws CentralAlertPublishError with what went out when the central topic refuses', async () => {
    const refusing: Publisher = {
      async publish(message) {
        if (message.topicArn === CENTRAL_TOPIC) throw new Error('AuthorizationError: not authorized');
        return 'local-1';
      },
    };
    const error = await central(refusing)
      .notify(violationDecision(), null)
      .then(
        () => null,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(CentralAlertPublishError);
    expect(error).toMatchObject({ topicArn: CENTRAL_TOPIC, published: ['local-1'] });
    expect(String(error)).toContain('AuthorizationError: not authorized');
  });

  it('never tries the central topic when the alert topic failed (the whole alert is retried)', async () => {
    const attempts: string[] = [];
    const failing: Publisher = {
      async publish(message) {
        attempts.push(message.topicArn);
        throw new Error('Throttling');
      },
    };
    await expect(central(failing).notify(violationDecision(), null)).rejects.toThrow('Throttling');
    expect(attempts).toEqual([ALERT_TOPIC]);
  });
});
