// CLI tests for `evaluate` on EKS and trust events: a CreateNodegroup whose node role holds FullAccess is a
// violation before the inventory shows the node group; a trust change that makes no node role is answered as is.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMain } from './capture';

const ROOT = join(__dirname, '..', '..');
const SNAPSHOT = join(ROOT, 'demo', 'sample-account.json');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';

const run = runMain;

const tmp = mkdtempSync(join(tmpdir(), 'eks-ecr-guard-cli-eks-'));

interface SnapshotJson {
  iam: {
    RoleDetailList: {
      RoleName: string;
      AttachedManagedPolicies: { PolicyName: string; PolicyArn: string }[];
    }[];
  };
  eks?: unknown;
}

/** The sample account before the node group exists (no EKS section), with the event's node role holding FullAccess. */
function snapshotBeforeNodegroup(): string {
  const snapshot: SnapshotJson = JSON.parse(readFileSync(SNAPSHOT, 'utf8'));
  const role = snapshot.iam.RoleDetailList.find((candidate) => candidate.RoleName === NODE_ROLE);
  if (role === undefined) throw new Error('sample role missing');
  role.AttachedManagedPolicies.push({
    PolicyName: 'AmazonEC2ContainerRegistryFullAccess',
    PolicyArn: FULL_ACCESS,
  });
  snapshot.eks = {};
  const path = join(tmp, 'before-nodegroup.json');
  writeFileSync(path, JSON.stringify(snapshot));
  return path;
}

describe('eks-ecr-guard evaluate on EKS events', () => {
  it('CreateNodegroup whose nodeRole holds FullAccess → violation, the event itself the node-role evidence', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'eks-CreateNodegroup.json'),
      '--snapshot',
      snapshotBeforeNodegroup(),
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({ verdict: 'violation', role: { name: NODE_ROLE } });
    expect(decision.event).toMatchObject({ name: 'CreateNodegroup' });
    expect(decision.nodeRole.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'managed-nodegroup',
        region: 'eu-west-1',
        cluster: 'prod',
        nodegroup: 'ng-1',
      }),
    );
    expect(decision.ecrWriteActions).toContain('ecr:PutImage');
    expect(decision.grants).toContainEqual(
      expect.objectContaining({ policy: expect.objectContaining({ arn: FULL_ACCESS }) }),
    );
  });

  it('the same event on the sample account (the role holds ReadOnly) → compliant, evidence not listed twice', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'eks-CreateNodegroup.json'),
      '--snapshot',
      SNAPSHOT,
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision.verdict).toBe('compliant');
    const ng1 = decision.nodeRole.evidence.filter(
      (item: { kind: string; nodegroup?: string }) =>
        item.kind === 'managed-nodegroup' && item.nodegroup === 'ng-1',
    );
    expect(ng1).toHaveLength(1);
  });

  it('UpdateAssumeRolePolicy trusting only EKS Pod Identity → compliant from the change, with the wording', async () => {
    const { code, stdout } = await run([
      'evaluate',
      '--event',
      join(FIXTURES, 'iam-UpdateAssumeRolePolicy.json'),
      '--snapshot',
      SNAPSHOT,
    ]);
    expect(code).toBe(0);
    const decision = JSON.parse(stdout);
    expect(decision).toMatchObject({
      verdict: 'compliant',
      scope: 'change',
      role: { name: 'ci-image-pusher' },
    });
    expect(decision.reason).toMatch(
      /this change adds no ECR write access and does not make the role a node role/,
    );
  });

  it('a STANDARD access entry → ignored with a reason', async () => {
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'eks-CreateAccessEntry.json'), 'utf8'));
    raw.detail.requestParameters.type = 'STANDARD';
    const path = join(tmp, 'standard-entry.json');
    writeFileSync(path, JSON.stringify(raw));
    const { code, stdout } = await run(['evaluate', '--event', path, '--snapshot', SNAPSHOT]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      verdict: 'ignored',
      reason: expect.stringMatching(/STANDARD/),
    });
  });
});
