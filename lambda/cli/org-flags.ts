// CLI support for the organization paths: the flags only they take, declared and refused elsewhere. Apart from
// org.ts (the Organizations/STS clients) so that `audit --snapshot FILE`, which refuses them, loads no SDK client.
import { UsageError } from './io';

/** parseArgs options of the org paths (`audit --org`, `snapshot --org`). */
export const ORG_OPTIONS = {
  org: { type: 'boolean', default: false },
  'role-name': { type: 'string' },
  'external-id': { type: 'string' },
  concurrency: { type: 'string' },
} as const;

/** Options that only the org paths take: refused elsewhere so a typo does not silently do something else. */
export function refuseOrgOnlyFlags(values: Readonly<Record<string, unknown>>): void {
  const given = ['role-name', 'external-id', 'concurrency'].filter((flag) => values[flag] !== undefined);
  if (given.length > 0) throw new UsageError(`--${given.join(', --')} only apply with --org`);
}
