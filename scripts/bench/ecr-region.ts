// Dev script (benchmark measurement): the sweep/snapshot read of one synthetic 1,000-repository ECR region over
// the in-memory AWS (simulated latency): calls, time, calls in flight and heap; then the audit of that snapshot.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ECRClient } from '@aws-sdk/client-ecr';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { EcrGateway } from '../../lambda/gateways/ecr-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import { auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';
import { type Measurement, mib, ms, table, text } from './measurement';

// A region the sample account has no ECR section for: only the synthetic repositories are read.
const REGION = 'ap-southeast-2';
const REPOSITORIES = 1_000;
/** What the in-memory AWS waits before answering each call (a stand-in for the network). */
const LATENCY_MS = 5;
const CALLS_PER_REGION = 8;
/** The sweep function's limits (lib/eks-ecr-guard.ts): 10 minutes, 1,024 MB. */
const SWEEP_TIMEOUT_MS = 10 * 60 * 1000;
const SWEEP_MEMORY_BYTES = 1024 * 1024 * 1024;
const NODE_ROLE = 'arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';

/** Every other repository has a policy; one in fifty names a node role. */
function repositoryPolicy(index: number): string | null {
  if (index % 2 === 1) return null;
  const principal = index % 50 === 0 ? { AWS: NODE_ROLE } : { AWS: 'arn:aws:iam::444455556666:root' };
  const actions = index % 50 === 0 ? ['ecr:PutImage'] : ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'];
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: `S${index}`, Effect: 'Allow', Principal: principal, Action: actions }],
  });
}

/** The client with its calls in flight counted (the gateway's bound is what is measured). */
function counted(client: ECRClient, inFlight: { now: number; most: number }): ECRClient {
  const send = client.send.bind(client);
  return Object.assign(Object.create(client), {
    send: async (...args: Parameters<typeof send>) => {
      inFlight.now += 1;
      inFlight.most = Math.max(inFlight.most, inFlight.now);
      try {
        return await send(...args);
      } finally {
        inFlight.now -= 1;
      }
    },
  });
}

export const ecrRegion: Measurement = {
  name: 'ECR region of 1,000 repositories',
  run: async ({ root, log }) => {
    const sample: Record<string, unknown> = JSON.parse(
      readFileSync(join(root, 'demo', 'sample-account.json'), 'utf8'),
    );
    const fake = FakeAws.fromSnapshot(sample, { latencyMs: LATENCY_MS, regions: [REGION] });
    fake.addEcr(REGION, {
      repositories: Array.from({ length: REPOSITORIES }, (_, i) => ({
        name: `team-${i % 20}/service-${i}`,
        policyText: repositoryPolicy(i),
      })),
    });
    fake.resetCalls();
    const inFlight = { now: 0, most: 0 };
    const gateway = new EcrGateway((region) => counted(fake.ecrClientFor(region), inFlight), {
      callsPerRegion: CALLS_PER_REGION,
    });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { inventory } = await gateway.inventory([REGION], { concurrency: 1 });
    const readMs = performance.now() - started;
    const heapAfter = process.memoryUsage().heapUsed;
    const byCommand = new Map<string, number>();
    for (const call of fake.calls) byCommand.set(call.command, (byCommand.get(call.command) ?? 0) + 1);
    const calls = fake.calls.length;
    const expectedCalls = REPOSITORIES + 3;

    const view = new SnapshotAccountView(loadSnapshot({ ...sample, ecr: inventory }, 'bench snapshot'));
    const evaluator = new ChangeEvaluator(
      view,
      evaluationSettings(parseConfig({}), 'aws', () => '2026-11-22'),
    );
    const auditStarted = performance.now();
    const report = await auditAccount(view, evaluator, { today: '2026-11-22' });
    const auditMs = performance.now() - auditStarted;
    const granted = report.roles.filter((role) => (role.resourceGrants ?? []).length > 0).length;

    log(
      `ECR region: ${calls} calls (${[...byCommand].map(([c, n]) => `${c}×${n}`).join(', ')}), ${ms(readMs)}, ` +
        `at most ${inFlight.most} in flight, heap +${mib(Math.max(0, heapAfter - heapBefore))}; audit ${ms(auditMs)}`,
    );
    return {
      targets: [
        {
          name: `ECR read of ${REPOSITORIES.toLocaleString('en-US')} repositories: one call per repository + 3, ≤ ${CALLS_PER_REGION} in flight`,
          pass: calls === expectedCalls && inFlight.most <= CALLS_PER_REGION,
          detail: `${calls} calls (expected ${expectedCalls}), at most ${inFlight.most} in flight`,
        },
        {
          name: 'ECR read within the sweep function (10 min, 1,024 MB)',
          pass: readMs + auditMs < SWEEP_TIMEOUT_MS && heapAfter < SWEEP_MEMORY_BYTES,
          detail: `read ${ms(readMs)} at ${LATENCY_MS} ms per call, audit ${ms(auditMs)}, heap ${mib(heapAfter)}`,
        },
      ],
      notes: [],
      sections: [
        {
          heading: 'ECR region of 1,000 repositories',
          level: 3,
          blocks: [
            text(
              `One region with ${REPOSITORIES} repositories (every other with a policy, one in fifty naming a node role), read by`,
              `the ECR gateway over the in-memory AWS answering each call after ${LATENCY_MS} ms, ${CALLS_PER_REGION} calls in flight at most;`,
              `then the audit of the sample account with that ECR section (${granted} node role(s) with resource grants).`,
            ),
            table(
              [
                ['command', 'left'],
                ['calls', 'right'],
              ],
              [...[...byCommand].map(([command, n]) => [command, String(n)]), ['total', String(calls)]],
            ),
          ],
        },
      ],
    };
  },
};
