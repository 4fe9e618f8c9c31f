// Tests for the pod-role part of `audit` output (lambda/report/pod-roles.ts) in the table and the JSON: per
// cluster the pod roles that hold ECR push, the roles tied to no cluster, what a cluster could not show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { auditJson } from '../../lambda/report/json';
import { renderTable } from '../../lambda/report/table';
import { auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

const SAMPLE = join(__dirname, '..', '..', 'demo', 'sample-account.json');

async function auditOf(
  edit: (json: { eks: Record<string, { clusters: Record<string, unknown>[] }> }) => void = () => {},
) {
  const json = JSON.parse(readFileSync(SAMPLE, 'utf8'));
  edit(json);
  const view = new SnapshotAccountView(loadSnapshot(json));
  const evaluator = new ChangeEvaluator(
    view,
    evaluationSettings(parseConfig({}), view.partition, () => '2026-11-22'),
  );
  return auditAccount(view, evaluator, { today: '2026-11-22' });
}

describe('pod roles in audit output', () => {
  it('lists, per cluster, the pod roles with push and how they serve pods, then the ones tied to no cluster', async () => {
    const table = renderTable(await auditOf(), {}, { width: 200 });
    expect(table).toContain('Pod roles with ECR push (Pod Identity, IRSA): 2 of 2, in 1 of 2 cluster(s):\n');
    expect(table).toContain(
      '  eu-west-1/prod: 1 pod role(s), 1 with push: ci-image-pusher (pod-identity ci/image-pusher)\n',
    );
    expect(table).toContain('  us-east-2/staging: 0 pod role(s), none with push\n');
    expect(table).toContain('  Tied to no cluster read: ci-image-builder (push, pod-identity)\n');
    expect(table.indexOf('Pod roles with ECR push')).toBeLessThan(table.indexOf('Summary'));
  });

  it('says what a cluster could not show (associations refused)', async () => {
    const report = await auditOf((json) => {
      const staging = json.eks['us-east-2']?.clusters[0];
      if (staging === undefined) throw new Error('sample changed');
      staging.podIdentityAssociationsError = { code: 'AccessDeniedException', message: 'not allowed' };
    });
    expect(renderTable(report, {}, { width: 200 })).toContain(
      '  us-east-2/staging: 0 pod role(s), none with push (not seen: Pod Identity associations not readable (AccessDeniedException: not allowed))\n',
    );
  });

  it('puts the whole pod-role report in the JSON under podRoles', async () => {
    const json = auditJson(await auditOf());
    expect(json.podRoles?.summary).toEqual({
      podRoles: 2,
      withPush: 2,
      pushUnknown: 0,
      unattributed: 1,
      clustersWithPush: 1,
    });
    expect(json.podRoles?.clusters.map((cluster) => [cluster.cluster, cluster.pushRoles])).toEqual([
      ['prod', ['ci-image-pusher']],
      ['staging', []],
    ]);
    expect(JSON.parse(JSON.stringify(json)).podRoles.roles[1]).toMatchObject({
      roleName: 'ci-image-pusher',
      via: ['pod-identity'],
      push: 'push',
    });
  });
});
