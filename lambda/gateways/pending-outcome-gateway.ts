// Gateway (DynamoDB): the pending-outcome store in the idempotency table, one small item per event whose
// remediation alert could not be published; the item expires with the table's TTL attribute.
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { IDEMPOTENCY_TABLE_KEY, IDEMPOTENCY_TABLE_TTL_ATTRIBUTE } from '../contract';
import { decodePendingOutcomes, encodePendingOutcomes, type PendingOutcome } from '../domain/pending-outcome';

/** Items are kept a day: async retries end within six hours; the rest is for the on-call's look. */
export const PENDING_OUTCOME_TTL_SECONDS = 24 * 60 * 60;
/** Powertools' idempotency keys are `<function>#<hash>`: this prefix cannot collide with them. */
export const PENDING_OUTCOME_KEY_PREFIX = 'pending-outcome#';

export class PendingOutcomeGateway {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => number = Date.now,
  ) {}

  private key(eventKey: string) {
    return { [IDEMPOTENCY_TABLE_KEY]: { S: `${PENDING_OUTCOME_KEY_PREFIX}${eventKey}` } };
  }

  async load(eventKey: string): Promise<readonly PendingOutcome[]> {
    const result = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: this.key(eventKey), ConsistentRead: true }),
    );
    const text = result.Item?.pending?.S;
    return text === undefined ? [] : decodePendingOutcomes(text);
  }

  async save(eventKey: string, pending: readonly PendingOutcome[]): Promise<void> {
    const expiresAt = Math.floor(this.now() / 1000) + PENDING_OUTCOME_TTL_SECONDS;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          ...this.key(eventKey),
          pending: { S: encodePendingOutcomes(pending) },
          [IDEMPOTENCY_TABLE_TTL_ATTRIBUTE]: { N: String(expiresAt) },
        },
      }),
    );
  }

  async clear(eventKey: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: this.key(eventKey) }));
  }
}
