// Tests for the ECR gateway over the in-memory AWS: pagination, "no policy" errors, bounded concurrency, region
// warnings and AccessDenied.
import { ReadAccessDeniedError } from '../../lambda/domain/errors';
import { EcrGateway } from '../../lambda/gateways/ecr-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'Pull', Effect: 'Allow', Principal: '*', Action: 'ecr:BatchGetImage' }],
});

function account(repositories = 5): FakeAws {
  const fake = new FakeAws({ regions: ['eu-west-1', 'us-east-2'], pageSize: 2 });
  fake.addEcr('eu-west-1', {
    registryPolicy: POLICY,
    repositories: Array.from({ length: repositories }, (_, i) => ({
      name: `repo-${i}`,
      policyText: i % 2 === 0 ? POLICY : null,
    })),
    templates: [{ prefix: 'cache', repositoryPolicy: POLICY }, { prefix: 'ROOT' }],
  });
  return fake;
}

describe('EcrGateway', () => {
  it('reads every repository (paginated), its policy or none, the registry policy and the templates', async () => {
    const fake = account();
    const { inventory, warnings } = await new EcrGateway((r) => fake.ecrClientFor(r)).inventory(
      ['eu-west-1', 'us-east-2'],
      { concurrency: 2 },
    );
    expect(warnings).toEqual([]);
    const eu = inventory['eu-west-1'];
    expect(eu?.repositories.map((r) => [r.repositoryName, typeof r.policyText])).toEqual([
      ['repo-0', 'string'],
      ['repo-1', 'undefined'],
      ['repo-2', 'string'],
      ['repo-3', 'undefined'],
      ['repo-4', 'string'],
    ]);
    expect(eu?.repositories[0]?.repositoryArn).toBe('arn:aws:ecr:eu-west-1:111122223333:repository/repo-0');
    // ECR re-serialises the policies it keeps.
    expect(eu?.registryPolicy).toContain('"Version" : "2012-10-17"');
    expect(eu?.repositoryCreationTemplates).toEqual([
      { prefix: 'cache', repositoryPolicy: expect.any(String) },
      { prefix: 'ROOT' },
    ]);
    expect(inventory['us-east-2']).toEqual({
      registryPolicy: null,
      repositories: [],
      repositoryCreationTemplates: [],
    });
    // One page per call at the largest page ECR allows: 1 DescribeRepositories per region.
    expect(
      fake.calls.filter((c) => c.command === 'DescribeRepositories').map((c) => c.input.maxResults),
    ).toEqual([1000, 1000]);
  });

  it('follows nextToken to the last page', async () => {
    const fake = account(5);
    const gateway = new EcrGateway((r) => fake.ecrClientFor(r), { pageSize: 2 });
    const { inventory } = await gateway.inventory(['eu-west-1'], { concurrency: 1 });
    expect(inventory['eu-west-1']?.repositories).toHaveLength(5);
    expect(inventory['eu-west-1']?.repositoryCreationTemplates).toHaveLength(2);
    expect(fake.callCount('ecr', 'DescribeRepositories')).toBe(3);
    expect(fake.callCount('ecr', 'GetRepositoryPolicy')).toBe(5);
  });

  it('the in-memory ECR refuses maxResults beyond 1000, as ECR documents', async () => {
    const fake = account(1);
    await expect(
      new EcrGateway((r) => fake.ecrClientFor(r), { pageSize: 1001 }).inventory(['eu-west-1'], {
        concurrency: 1,
      }),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('keeps at most callsPerRegion ECR calls in flight in a region', async () => {
    const fake = account(40);
    let inFlight = 0;
    let most = 0;
    const gateway = new EcrGateway(
      (region) => {
        const client = fake.ecrClientFor(region);
        const send = client.send.bind(client);
        return Object.assign(Object.create(client), {
          send: async (...args: Parameters<typeof send>) => {
            inFlight += 1;
            most = Math.max(most, inFlight);
            await new Promise((resolve) => setTimeout(resolve, 1));
            try {
              return await send(...args);
            } finally {
              inFlight -= 1;
            }
          },
        });
      },
      { callsPerRegion: 3 },
    );
    await gateway.inventory(['eu-west-1'], { concurrency: 1 });
    expect(most).toBe(3);
  });

  it('turns AccessDenied into ReadAccessDeniedError and an unreachable region into a warning', async () => {
    const fake = account();
    fake.failOn({
      service: 'ecr',
      command: 'DescribeRepositories',
      region: 'us-east-2',
      error: 'UnrecognizedClient',
    });
    const result = await new EcrGateway((r) => fake.ecrClientFor(r)).inventory(['eu-west-1', 'us-east-2'], {
      concurrency: 1,
    });
    expect(Object.keys(result.inventory)).toEqual(['eu-west-1']);
    expect(result.warnings).toEqual([
      expect.objectContaining({ region: 'us-east-2', code: 'UnrecognizedClientException' }),
    ]);
    fake.failOn({ service: 'ecr', command: 'GetRepositoryPolicy', error: 'AccessDenied' });
    await expect(
      new EcrGateway((r) => fake.ecrClientFor(r)).inventory(['eu-west-1'], { concurrency: 1 }),
    ).rejects.toBeInstanceOf(ReadAccessDeniedError);
  });
});
