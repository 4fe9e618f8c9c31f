// Tests for the DynamoDB pending-outcome gateway: the item it writes (key prefix, TTL attribute, encoded outcomes),
// what it reads back, and that a foreign item shape is refused rather than misread.
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import type { PendingOutcome } from '../../lambda/domain/pending-outcome';
import {
  PENDING_OUTCOME_KEY_PREFIX,
  PENDING_OUTCOME_TTL_SECONDS,
  PendingOutcomeGateway,
} from '../../lambda/gateways/pending-outcome-gateway';

const ddb = mockClient(DynamoDBClient);
beforeEach(() => ddb.reset());

const NOW = Date.parse('2026-11-20T10:00:00Z');
const pending: PendingOutcome = {
  decision: {
    verdict: 'violation',
    reason: 'FullAccess attached',
    severity: 'critical',
    event: { id: 'evt-1', name: 'AttachRolePolicy', time: '2026-11-20T09:59:00Z', actor: null },
    role: { name: 'nodes', arn: 'arn:aws:iam::111122223333:role/nodes' },
    nodeRole: { evidence: [] },
    ecrWriteActions: ['ecr:PutImage'],
    grants: [],
    denies: [],
    plan: [],
    unknownPolicies: [],
    exemption: null,
    warnings: [],
  },
  outcome: { status: 'applied', applied: [], notDone: [], failedStep: null, error: null, verification: null },
};

describe('PendingOutcomeGateway', () => {
  const gateway = () => new PendingOutcomeGateway(new DynamoDBClient({}), 'idem', () => NOW);

  it('saves one item keyed by the event, with the TTL attribute a day ahead', async () => {
    ddb.on(PutItemCommand).resolves({});
    await gateway().save('evt-1#AttachRolePolicy', [pending]);
    const input = ddb.commandCalls(PutItemCommand)[0]?.args[0].input;
    expect(input?.TableName).toBe('idem');
    expect(input?.Item?.id).toEqual({ S: `${PENDING_OUTCOME_KEY_PREFIX}evt-1#AttachRolePolicy` });
    expect(input?.Item?.expiration).toEqual({ N: String(NOW / 1000 + PENDING_OUTCOME_TTL_SECONDS) });
    expect(JSON.parse(input?.Item?.pending?.S ?? '{}').pending).toEqual([pending]);
  });

  it('loads what it saved (consistent read) and nothing for an unknown event', async () => {
    ddb.on(PutItemCommand).resolves({});
    await gateway().save('k', [pending]);
    const item = ddb.commandCalls(PutItemCommand)[0]?.args[0].input.Item;
    ddb.on(GetItemCommand, { Key: { id: { S: `${PENDING_OUTCOME_KEY_PREFIX}k` } } }).resolves({ Item: item });
    ddb.on(GetItemCommand, { Key: { id: { S: `${PENDING_OUTCOME_KEY_PREFIX}other` } } }).resolves({});
    expect(await gateway().load('k')).toEqual([pending]);
    expect(await gateway().load('other')).toEqual([]);
    expect(ddb).toHaveReceivedCommandWith(GetItemCommand, { ConsistentRead: true });
  });

  it('refuses an item that is not in its format', async () => {
    ddb
      .on(GetItemCommand)
      .resolves({ Item: { id: { S: 'x' }, pending: { S: '{"format":9,"pending":[]}' } } });
    await expect(gateway().load('k')).rejects.toThrow(/expected format 1/);
    ddb.on(GetItemCommand).resolves({ Item: { pending: { S: '{"format":1,"pending":[{"decision":1}]}' } } });
    await expect(gateway().load('k')).rejects.toThrow(/not a decision and outcome/);
  });

  it('clears the item', async () => {
    ddb.on(DeleteItemCommand).resolves({});
    await gateway().clear('k');
    expect(ddb).toHaveReceivedCommandWith(DeleteItemCommand, {
      TableName: 'idem',
      Key: { id: { S: `${PENDING_OUTCOME_KEY_PREFIX}k` } },
    });
  });
});
