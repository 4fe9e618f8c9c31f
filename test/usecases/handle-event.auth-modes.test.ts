// The event pipeline (the real handler, composition root and gateways) over the in-memory AWS with a CONFIG_MAP
// cluster: the event still evaluates, the alert says where aws-auth mappings cannot be seen, and a cluster whose
// access entries EKS refuses gives a warning on the decision and a metric, never a failed invocation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidRequestException } from '@aws-sdk/client-eks';
import type { Context } from 'aws-lambda';
import { buildDependencies } from '../../lambda/composition';
import { type LambdaSettings, parseConfig } from '../../lambda/config';
import { METRIC } from '../../lambda/contract';
import { createEventHandler } from '../../lambda/event-handler';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { InMemoryCacheClient, inMemoryPersistence } from '../../lambda/in-memory-aws/idempotency';
import { replayRecordedCall } from '../../lambda/in-memory-aws/replay';
import { ALERT_JSON_BEGIN, ALERT_JSON_END } from '../../lambda/notify/format';
import { configMapAccount, MODE_ERROR } from '../support/config-map-account';

const ATTACH = join(__dirname, '..', 'events', 'fixtures', 'iam-AttachRolePolicy.json');
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const context = { getRemainingTimeInMillis: () => 30_000, awsRequestId: 'test' } as unknown as Context;

function attachEvent(roleName: string): unknown {
  const raw = JSON.parse(readFileSync(ATTACH, 'utf8'));
  raw.detail.requestParameters = { roleName, policyArn: FULL };
  return raw;
}

function setup(fake: FakeAws) {
  const topicArn = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig({}),
    partition: 'aws',
    accountId: '111122223333',
    alertTopicArn: topicArn,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: null,
  };
  const metrics: Record<string, number> = {};
  const deps = buildDependencies(settings, fake.clients(), {
    metrics: { addMetric: (name, _unit, value) => (metrics[name] = (metrics[name] ?? 0) + value) },
    logger: { info() {}, warn() {}, error() {} },
    sleep: async () => undefined,
    today: () => '2026-11-22',
    now: () => Date.parse('2026-11-20T10:15:42Z'),
  });
  const handler = createEventHandler({ deps, persistence: inMemoryPersistence(new InMemoryCacheClient()) });
  return {
    metrics,
    async run(raw: unknown) {
      await replayRecordedCall(fake.iamClient(), raw);
      return handler(raw, context);
    },
  };
}

function alertOf(fake: FakeAws): { text: string; decision: Record<string, unknown> } {
  const message = fake.published[0]?.message ?? '';
  const start = message.indexOf(ALERT_JSON_BEGIN) + ALERT_JSON_BEGIN.length;
  const json = JSON.parse(message.slice(start, message.indexOf(ALERT_JSON_END)));
  return { text: message, decision: json.decision };
}

describe('the event pipeline with a CONFIG_MAP cluster', () => {
  it('evaluates the event and says in the alert where aws-auth mappings cannot be seen', async () => {
    const fake = FakeAws.fromSnapshot(configMapAccount());
    const { run, metrics } = setup(fake);
    const result = await run(attachEvent('legacy-self-managed-nodes'));
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', alerted: true })]);
    // No access-entry call reached the CONFIG_MAP cluster.
    expect(
      fake.calls.filter((call) => call.command.includes('AccessEntr') && call.input.clusterName === 'legacy'),
    ).toEqual([]);
    const { text } = alertOf(fake);
    const where = text.slice(text.indexOf('WHERE THE ROLE IS USED'));
    expect(where.replace(/\s+/g, ' ')).toContain(
      'Node roles mapped only in the aws-auth ConfigMap cannot be seen through AWS APIs; these clusters use it: eu-west-1/legacy (CONFIG_MAP). The trust-policy heuristic above is the evidence.',
    );
    expect(metrics[METRIC.accessEntriesUnreadable]).toBeUndefined();
  });

  it('keeps the roles EKS names: no aws-auth note for a role tied to a cluster', async () => {
    const fake = FakeAws.fromSnapshot(configMapAccount());
    const { run } = setup(fake);
    await run(attachEvent('eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F'));
    expect(alertOf(fake).text).not.toContain('aws-auth ConfigMap cannot be seen');
  });

  it('turns an InvalidRequestException from the access-entry APIs into a warning and a metric', async () => {
    const fake = FakeAws.fromSnapshot(configMapAccount());
    // The mode is not returned for `prod` (DescribeCluster omits it), and EKS refuses its access entries anyway.
    fake.failOn({
      service: 'eks',
      command: 'ListAccessEntries',
      match: (input) => input.clusterName === 'prod',
      error: new InvalidRequestException({ message: MODE_ERROR, $metadata: { httpStatusCode: 400 } }),
    });
    const { run, metrics } = setup(fake);
    const result = await run(attachEvent('legacy-self-managed-nodes'));
    expect(result.outcomes).toEqual([expect.objectContaining({ verdict: 'violation', alerted: true })]);
    const { decision } = alertOf(fake);
    expect(decision.warnings).toEqual(
      expect.arrayContaining([
        `The access entries of EKS cluster eu-west-1/prod could not be read (InvalidRequestException: ${MODE_ERROR}); a node role named only there is not seen.`,
      ]),
    );
    expect(metrics[METRIC.accessEntriesUnreadable]).toBe(1);
  });
});
