// In-memory AWS replay: a recorded call is performed on the fake account, and a recorded removal first gets the
// state it implies (the policy was there) when the account does not hold it, never silently skipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeRepositoryCreationTemplatesCommand } from '@aws-sdk/client-ecr';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';
import {
  replayRecordedCall,
  SEEDED_INLINE_POLICY_DOCUMENT,
  seedRecordedPrecondition,
} from '../../lambda/in-memory-aws/replay';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'events', 'fixtures');
const SAMPLE: unknown = JSON.parse(readFileSync(join(ROOT, 'demo', 'sample-account.json'), 'utf8'));
const NODE_ROLE = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
const FULL = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const readFixture = (name: string): unknown => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

describe('seedRecordedPrecondition', () => {
  it('a recorded DeleteRolePolicy of a policy the account lacks: the policy is put first, then deleted', async () => {
    const fake = FakeAws.fromSnapshot(SAMPLE);
    const raw = readFixture('iam-DeleteRolePolicy.json');
    await expect(replayRecordedCall(fake.iamClient(), raw)).rejects.toThrow(/ecr-push/);

    const seeded = await seedRecordedPrecondition(fake.iamClient(), raw);
    expect(seeded).toContain('put inline policy ecr-push');
    expect(fake.roleState(NODE_ROLE).inline['ecr-push']).toEqual(JSON.parse(SEEDED_INLINE_POLICY_DOCUMENT));
    await expect(replayRecordedCall(fake.iamClient(), raw)).resolves.toContain(
      'delete inline policy ecr-push',
    );
    expect(fake.roleState(NODE_ROLE).inline).not.toHaveProperty('ecr-push');
  });

  it('a recorded DetachRolePolicy of a policy not attached: it is attached first, then detached', async () => {
    const fake = FakeAws.fromSnapshot(SAMPLE);
    const raw = readFixture('iam-DetachRolePolicy.json');
    const before = fake.roleState(NODE_ROLE).attached;
    expect(await seedRecordedPrecondition(fake.iamClient(), raw)).toContain(`attached ${FULL}`);
    expect(fake.roleState(NODE_ROLE).attached).toContain(FULL);
    await replayRecordedCall(fake.iamClient(), raw);
    expect(fake.roleState(NODE_ROLE).attached).toEqual(before);
  });

  it('seeds nothing when the account already holds the policy, or the call implies nothing', async () => {
    const fake = FakeAws.fromSnapshot(SAMPLE);
    const detach = readFixture('iam-DetachRolePolicy.json');
    await seedRecordedPrecondition(fake.iamClient(), detach);
    fake.resetCalls();
    expect(await seedRecordedPrecondition(fake.iamClient(), detach)).toBeNull();
    // Only reads (the fake pages the list), no write.
    expect(new Set(fake.calls.map((call) => call.command))).toEqual(new Set(['ListAttachedRolePolicies']));
    expect(
      await seedRecordedPrecondition(fake.iamClient(), readFixture('iam-AttachRolePolicy.json')),
    ).toBeNull();
  });
});

describe('replayRecordedCall of an ECR creation template', () => {
  it('a recorded create for a prefix the account already has leaves that template with the recorded policy', async () => {
    const fake = FakeAws.fromSnapshot(SAMPLE);
    const ecrFor = (region: string) => fake.ecrClientFor(region);
    const templates = async () =>
      (await ecrFor('eu-west-1').send(new DescribeRepositoryCreationTemplatesCommand({})))
        .repositoryCreationTemplates ?? [];
    const before = (await templates()).find((t) => t.prefix === 'docker-hub');
    expect(before?.repositoryPolicy).toContain('NodesPullCached');

    const replayed = await replayRecordedCall(
      fake.iamClient(),
      readFixture('ecr-CreateRepositoryCreationTemplate.json'),
      {
        ecrFor,
      },
    );
    expect(replayed).toContain('update the repository creation template docker-hub');
    const after = (await templates()).filter((t) => t.prefix === 'docker-hub');
    expect(after).toHaveLength(1);
    expect(after[0]?.repositoryPolicy).toContain('NodesPushCached');
  });
});
