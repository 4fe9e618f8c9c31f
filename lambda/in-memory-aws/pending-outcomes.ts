// In-memory AWS: the pending-outcome store as the DynamoDB item would hold it (encoded on save, decoded on load),
// for the demo and the tests of the retry after a failed alert publish.
import { decodePendingOutcomes, encodePendingOutcomes, type PendingOutcome } from '../domain/pending-outcome';

export class InMemoryPendingOutcomes {
  private readonly items = new Map<string, string>();

  async load(eventKey: string): Promise<readonly PendingOutcome[]> {
    const text = this.items.get(eventKey);
    return text === undefined ? [] : decodePendingOutcomes(text);
  }

  async save(eventKey: string, pending: readonly PendingOutcome[]): Promise<void> {
    this.items.set(eventKey, encodePendingOutcomes(pending));
  }

  async clear(eventKey: string): Promise<void> {
    this.items.delete(eventKey);
  }

  get size(): number {
    return this.items.size;
  }
}
