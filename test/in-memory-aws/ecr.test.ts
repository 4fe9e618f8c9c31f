// Tests for the in-memory ECR: the errors ECR answers (names and messages), the writes the demo replays, and
// policies kept re-serialised as ECR does.
import {
  DeleteRepositoryPolicyCommand,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
  PutRegistryPolicyCommand,
  SetRepositoryPolicyCommand,
  UpdateRepositoryCreationTemplateCommand,
} from '@aws-sdk/client-ecr';
import { ecrSerialised } from '../../lambda/in-memory-aws/ecr';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const POLICY =
  '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":["ecr:BatchGetImage"]}]}';

function fake(): FakeAws {
  const aws = new FakeAws({ regions: ['eu-west-1'] });
  aws.addEcr('eu-west-1', { repositories: [{ name: 'team/app' }] });
  return aws;
}

describe('in-memory ECR', () => {
  it('answers RepositoryPolicyNotFoundException with the message ECR writes', async () => {
    const ecr = fake().ecrClientFor('eu-west-1');
    await expect(
      ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/app' })),
    ).rejects.toMatchObject({
      name: 'RepositoryPolicyNotFoundException',
      message:
        "Repository policy does not exist for the repository with name 'team/app' in the registry with id '111122223333'",
    });
    await expect(ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'nope' }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
    await expect(ecr.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({
      name: 'RegistryPolicyNotFoundException',
    });
  });

  it('sets, reads back re-serialised, and deletes a repository policy', async () => {
    const ecr = fake().ecrClientFor('eu-west-1');
    const set = await ecr.send(
      new SetRepositoryPolicyCommand({ repositoryName: 'team/app', policyText: POLICY }),
    );
    expect(set.policyText).toBe(ecrSerialised(JSON.parse(POLICY)));
    expect(set.policyText).toContain('"Statement" : [ {');
    const read = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/app' }));
    expect(JSON.parse(read.policyText ?? '')).toEqual(JSON.parse(POLICY));
    await ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'team/app' }));
    await expect(
      ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/app' })),
    ).rejects.toMatchObject({
      name: 'RepositoryPolicyNotFoundException',
    });
  });

  it('rejects a policy that is not JSON, and a template update of an unknown prefix', async () => {
    const ecr = fake().ecrClientFor('eu-west-1');
    await expect(ecr.send(new PutRegistryPolicyCommand({ policyText: 'nope' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
    });
    await expect(
      ecr.send(new UpdateRepositoryCreationTemplateCommand({ prefix: 'missing', repositoryPolicy: POLICY })),
    ).rejects.toMatchObject({ name: 'TemplateNotFoundException' });
  });

  it('keeps each region separate and logs the calls under the ecr service', async () => {
    const aws = fake();
    aws.addRegion('us-west-2');
    await aws.ecrClientFor('us-west-2').send(new PutRegistryPolicyCommand({ policyText: POLICY }));
    await expect(aws.ecrClientFor('eu-west-1').send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({
      name: 'RegistryPolicyNotFoundException',
    });
    expect(aws.callCount('ecr', 'PutRegistryPolicy')).toBe(1);
  });
});
