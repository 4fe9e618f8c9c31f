// Tests for the use case publish-findings over a scripted FindingsStore: batches of ≤ 100 findings and under 6 MB,
// refused findings retried once then reported (log + metric), the stored creation time kept and UpdatedAt always
// later, and a store that cannot be reached reported, never thrown.
import { METRIC } from '../../lambda/contract';
import type { RefusedFinding, StoredOwnedFinding } from '../../lambda/gateways/securityhub-gateway';
import { type AsffFinding, findingForDecision, findingId } from '../../lambda/report/asff';
import {
  FindingsPublisher,
  type FindingsStore,
  IMPORT_LIMITS,
  importBatches,
  stamped,
} from '../../lambda/usecases/publish-findings';
import { violationDecision } from '../notify/support';

const TARGET = { accountId: '111122223333', region: 'eu-west-1', partition: 'aws' };
const NOW = Date.parse('2026-11-20T10:00:00Z');

const decisionFor = (name: string) =>
  violationDecision({ role: { name, arn: `arn:aws:iam::111122223333:role/${name}` } });

function finding(name: string, reason = 'r'): AsffFinding {
  const built = findingForDecision({ ...decisionFor(name), reason }, TARGET, new Date(NOW).toISOString());
  if (built === null) throw new Error('no finding');
  return built;
}

/** A store that refuses the ids in `refuse` for the next `times` imports, and records every batch. */
function scriptedStore(
  options: { refuse?: ReadonlySet<string>; times?: number; stored?: StoredOwnedFinding[] } = {},
) {
  const batches: string[][] = [];
  let refusals = options.times ?? 0;
  const store: FindingsStore = {
    async importFindings(findings): Promise<RefusedFinding[]> {
      batches.push(findings.map((f) => f.Id));
      if (refusals === 0) return [];
      refusals -= 1;
      return findings
        .filter((f) => options.refuse?.has(f.Id))
        .map((f) => ({ id: f.Id, errorCode: 'InvalidInput', errorMessage: 'refused' }));
    },
    ownedFindings: async () => options.stored ?? [],
    findingsById: async (_product, ids) => (options.stored ?? []).filter((s) => ids.includes(s.id)),
  };
  return { store, batches };
}

function publisher(store: FindingsStore) {
  const metrics: Record<string, number> = {};
  const errors: string[] = [];
  const published = new FindingsPublisher({
    store,
    target: TARGET,
    now: () => NOW,
    logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
    metrics: {
      addMetric: (name, _unit, value) => {
        metrics[name] = (metrics[name] ?? 0) + value;
      },
    },
  });
  return { published, metrics, errors };
}

const processed = (names: readonly string[]) =>
  names.map((name) => ({ decision: decisionFor(name), outcome: null }));

describe('importBatches', () => {
  it('cuts 250 findings into batches of 100, 100 and 50, in order', () => {
    const findings = Array.from({ length: 250 }, (_, i) => finding(`role-${i}`));
    const batches = importBatches(findings);
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat()).toEqual(findings);
  });

  it('keeps each batch under the 6 MB request limit', () => {
    // ~80 KB findings: only about 75 fit in 6 MB, so the size, not the count, cuts the batches.
    const big = Array.from({ length: 200 }, (_, i) => ({
      ...finding(`role-${i}`),
      Description: 'x'.repeat(80_000),
    }));
    const batches = importBatches(big);
    expect(batches.length).toBe(3);
    expect(batches[0]?.length).toBeLessThan(100);
    for (const batch of batches) {
      expect(Buffer.byteLength(JSON.stringify(batch), 'utf8')).toBeLessThanOrEqual(IMPORT_LIMITS.bytes);
      expect(batch.length).toBeLessThanOrEqual(100);
    }
    expect(batches.flat()).toHaveLength(200);
  });
});

describe('stamped', () => {
  const f = finding('a');
  it('keeps the stored creation time and moves UpdatedAt past the stored one when the clock is not later', () => {
    const stored = [
      {
        id: f.Id,
        roleArn: 'x',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: f.UpdatedAt,
        complianceStatus: 'FAILED',
        recordState: 'ACTIVE',
      },
    ];
    const next = stamped(f, stored);
    expect(next.CreatedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(Date.parse(next.UpdatedAt)).toBeGreaterThan(Date.parse(f.UpdatedAt));
  });

  it('leaves a new finding as built', () => {
    expect(stamped(f, [])).toBe(f);
  });
});

describe('FindingsPublisher', () => {
  it('retries refused findings once, alone, and they arrive', async () => {
    const refuse = new Set([findingId(TARGET, 'arn:aws:iam::111122223333:role/b')]);
    const { store, batches } = scriptedStore({ refuse, times: 1 });
    const { published, metrics, errors } = publisher(store);
    const result = await published.publishDecisions(processed(['a', 'b', 'c']));
    expect(batches.map((batch) => batch.length)).toEqual([3, 1]);
    expect(batches[1]).toEqual([...refuse]);
    expect(result).toEqual({ imported: 3, retired: 0, failed: [] });
    expect(metrics[METRIC.securityHubFindingsImported]).toBe(3);
    expect(metrics[METRIC.securityHubImportFailures]).toBeUndefined();
    expect(errors).toEqual([]);
  });

  it('reports findings refused twice: log and metric, never thrown', async () => {
    const refuse = new Set([findingId(TARGET, 'arn:aws:iam::111122223333:role/b')]);
    const { store, batches } = scriptedStore({ refuse, times: 5 });
    const { published, metrics, errors } = publisher(store);
    const result = await published.publishDecisions(processed(['a', 'b']));
    expect(batches).toHaveLength(2);
    expect(result.imported).toBe(1);
    expect(result.failed).toEqual([
      { id: [...refuse][0], errorCode: 'InvalidInput', errorMessage: 'refused' },
    ]);
    expect(metrics[METRIC.securityHubImportFailures]).toBe(1);
    expect(errors).toEqual(['Security Hub refused findings']);
  });

  it('reports every finding when the store cannot be read, and does not throw', async () => {
    const store: FindingsStore = {
      importFindings: async () => [],
      ownedFindings: async () => {
        throw new Error('InvalidAccessException');
      },
      findingsById: async () => {
        throw Object.assign(new Error('not subscribed'), { name: 'InvalidAccessException' });
      },
    };
    const { published, metrics } = publisher(store);
    const result = await published.publishDecisions(processed(['a', 'b']));
    expect(result.failed.map((f) => f.errorCode)).toEqual([
      'InvalidAccessException',
      'InvalidAccessException',
    ]);
    expect(metrics[METRIC.securityHubImportFailures]).toBe(2);
  });

  it('reconcile: imports every role and closes the stored findings of roles that left, not those already closed', async () => {
    const gone = findingId(TARGET, 'arn:aws:iam::111122223333:role/gone');
    const closed = findingId(TARGET, 'arn:aws:iam::111122223333:role/closed');
    const stored: StoredOwnedFinding[] = [
      {
        id: gone,
        roleArn: 'arn:aws:iam::111122223333:role/gone',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        complianceStatus: 'FAILED',
        recordState: 'ACTIVE',
      },
      {
        id: closed,
        roleArn: 'arn:aws:iam::111122223333:role/closed',
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-02T00:00:00.000Z',
        complianceStatus: 'PASSED',
        recordState: 'ARCHIVED',
      },
    ];
    const { store, batches } = scriptedStore({ stored });
    const { published } = publisher(store);
    const roles = ['a', 'b'].map((name) => ({ roleName: name, decision: decisionFor(name) }));
    const result = await published.reconcile(
      { roles: roles.map((r) => ({ ...fakeRoleAudit(), ...r })) },
      new Map(),
    );
    expect(result).toEqual({ imported: 3, retired: 1, failed: [] });
    expect(batches.flat()).toContain(gone);
    expect(batches.flat()).not.toContain(closed);
  });
});

/** The RoleAudit fields reconcile does not read. */
function fakeRoleAudit() {
  return {
    roleArn: '',
    verdict: 'violation' as const,
    severity: 'high' as const,
    writeActions: [],
    grants: [],
    clusters: [],
    nodegroups: [],
    evidenceKinds: [],
    exemption: null,
    exemptionEndsInDays: null,
    exemptionExpiringSoon: false,
    reason: '',
  };
}
