// In-memory AWS: Powertools' own cache persistence layer over an in-memory key-value client, so the real
// idempotency logic runs without DynamoDB.
import { CachePersistenceLayer } from '@aws-lambda-powertools/idempotency/cache';
import type { CacheClient } from '@aws-lambda-powertools/idempotency/cache/types';

/** Just enough of a Redis-style client: SET with NX/EX, GET, DEL. */
export class InMemoryCacheClient implements CacheClient {
  private readonly entries = new Map<string, { value: string; expiresAt: number | null }>();

  constructor(private readonly now: () => number = Date.now) {}

  async get(name: string): Promise<string | null> {
    const entry = this.entries.get(name);
    if (entry === undefined) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= this.now()) {
      this.entries.delete(name);
      return null;
    }
    return entry.value;
  }

  async set(name: string | Uint8Array, value: unknown, options?: unknown): Promise<string | null> {
    const key = typeof name === 'string' ? name : Buffer.from(name).toString('utf8');
    const opts = typeof options === 'object' && options !== null ? options : {};
    const nx = 'NX' in opts && opts.NX === true;
    const ex = 'EX' in opts && typeof opts.EX === 'number' ? opts.EX : null;
    if (nx && (await this.get(key)) !== null) return null;
    this.entries.set(key, { value: String(value), expiresAt: ex === null ? null : this.now() + ex * 1000 });
    return 'OK';
  }

  async del(keys: string[]): Promise<number> {
    let removed = 0;
    for (const key of keys) if (this.entries.delete(key)) removed += 1;
    return removed;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function inMemoryPersistence(
  client: InMemoryCacheClient = new InMemoryCacheClient(),
): CachePersistenceLayer {
  return new CachePersistenceLayer({ client });
}
