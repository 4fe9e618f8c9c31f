// End-to-end: owners on the event path, the real composition (live account view, EKS and IAM gateways, notifier, SNS
// gateway) against the in-memory fake AWS: the owner from the role, node group or cluster tags in the published alert
// and its `owner` message attribute (what a team's filter policy matches); `unknown` with why when DescribeNodegroup
// is denied; the untagged finding that neither remediates nor turns a compliant role into a violation.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildDependencies } from '../lambda/composition';
import { type LambdaSettings, parseConfig } from '../lambda/config';
import { FakeAws } from '../lambda/in-memory-aws/fake-aws';
import { extractAlertJson } from '../lambda/notify/format';

const SAMPLE = JSON.parse(readFileSync(join(__dirname, '..', 'demo', 'sample-account.json'), 'utf8'));
const EVENT = {
  id: 'e-1',
  name: 'AttachRolePolicy',
  time: '2026-11-22T05:59:00Z',
  actor: 'arn:aws:iam::111122223333:user/dev',
};
const IAM_WRITES = ['AttachRolePolicy', 'DetachRolePolicy', 'PutRolePolicy', 'DeleteRolePolicy'];

function setup(config: Record<string, unknown> = {}) {
  const fake = FakeAws.fromSnapshot(SAMPLE);
  const topic = fake.addTopic('eks-ecr-guard-alerts');
  const settings: LambdaSettings = {
    config: parseConfig(config),
    partition: 'aws',
    accountId: fake.accountId,
    alertTopicArn: topic,
    chatTopicArn: null,
    idempotencyTableName: null,
    guardRoleArn: `arn:aws:iam::${fake.accountId}:role/guard`,
  };
  const deps = buildDependencies(settings, fake.clients(), { sleep: async () => undefined });
  const alertFor = async (roleName: string) => {
    const decision = await deps.evaluator.evaluateRole(roleName, EVENT);
    await deps.notifier.notify(decision, null);
    return { decision, message: fake.published.at(-1) };
  };
  return { fake, deps, alertFor };
}

describe('owners on the event path', () => {
  it('publishes the node group owner in the alert and as the owner message attribute', async () => {
    const { alertFor } = setup();
    const { decision, message } = await alertFor('prod-gpu-nodes');
    expect(decision.verdict).toBe('violation');
    expect(decision.owner).toMatchObject({
      status: 'owned',
      owner: 'ml-team',
      source: { level: 'nodegroup' },
    });
    expect(message?.attributes.owner).toBe('ml-team');
    expect(message?.message).toContain('Owner: ml-team (node group tag)');
    expect(extractAlertJson(message?.message ?? '')).toMatchObject({
      decision: { owner: { owner: 'ml-team' } },
    });
  });

  it('falls back to the cluster owner, and takes the role owner first', async () => {
    const { fake, alertFor } = setup();
    fake.addRole({
      name: 'prod-gpu-nodes',
      tags: { team: 'gpu-squad' },
      attached: fake.roleState('prod-gpu-nodes').attached,
    });
    expect((await alertFor('prod-gpu-nodes')).message?.attributes.owner).toBe('gpu-squad');
    const karpenter = await setup().deps.evaluator.evaluateRole('KarpenterNodeRole-prod', EVENT);
    expect(karpenter.owner).toMatchObject({
      owner: 'platform',
      source: { level: 'cluster', cluster: 'prod' },
    });
  });

  it('says unknown, with why, when DescribeNodegroup is denied (not untagged)', async () => {
    const { fake, alertFor } = setup();
    fake.failOn({ service: 'eks', command: 'DescribeNodegroup', error: 'AccessDenied' });
    const { decision, message } = await alertFor('prod-gpu-nodes');
    expect(decision.verdict).toBe('indeterminate');
    expect(decision.owner).toMatchObject({ status: 'unknown', owner: null });
    expect(decision.owner?.reason).toMatch(/DescribeNodegroup/);
    expect(message?.attributes.owner).toBe('unknown');
  });

  it('reports an untagged compliant node role as untagged and compliant, with no alert and no IAM write', async () => {
    const { fake, deps } = setup({ mode: 'remediate' });
    const decision = await deps.evaluator.evaluateRole('AmazonEKSAutoNodeRole', EVENT);
    expect(decision.verdict).toBe('compliant');
    expect(decision.owner).toMatchObject({
      status: 'untagged',
      finding: { kind: 'untagged-node-role', severity: 'low' },
    });
    expect(decision.plan).toEqual([]);
    const sent = await deps.notifier.notify(decision, null);
    expect(sent.sent).toBe(false);
    expect(fake.calls.filter((call) => call.service === 'iam' && IAM_WRITES.includes(call.command))).toEqual(
      [],
    );
  });

  it('reads the owner from the configured keys', async () => {
    const { deps } = setup({ ownerTagKeys: ['environment'] });
    const decision = await deps.evaluator.evaluateRole('prod-gpu-nodes', EVENT);
    expect(decision.owner).toMatchObject({
      owner: 'prod',
      source: { level: 'cluster', tagKey: 'environment' },
    });
  });
});
