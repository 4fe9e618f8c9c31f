// The SDK clients the functions build at cold start: adaptive retries with five attempts, one EKS client per
// region, and the standard endpoint settings honoured (so the same code runs against any compatible endpoint).
import { ListClustersCommand } from '@aws-sdk/client-eks';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { defaultClients } from '../lambda/composition';

/** Sends one command and returns the host it would have gone to, stopping before signing and the network. */
async function hostOf(
  client: {
    middlewareStack: { add: (...args: never[]) => void };
    send: (command: never) => Promise<unknown>;
  },
  command: unknown,
): Promise<string> {
  let host = '';
  const capture = () => async (args: { request: { hostname?: string; port?: number } }) => {
    host = `${args.request.hostname}${args.request.port ? `:${args.request.port}` : ''}`;
    return { output: { $metadata: {} }, response: {} };
  };
  (client.middlewareStack.add as (m: unknown, o: unknown) => void)(capture, {
    step: 'build',
    name: 'captureHost',
  });
  await client.send(command as never);
  return host;
}

describe('defaultClients', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    // Requests never leave the process (see hostOf), but the SDK resolves an identity before building them.
    process.env.AWS_ACCESS_KEY_ID = 'AKIAEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = 'example';
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('uses adaptive retries with five attempts on every client', async () => {
    const clients = defaultClients('eu-west-1');
    for (const client of [clients.iam, clients.sns, clients.account, clients.eksFor('ap-south-1')]) {
      expect(client.config.retryMode).toBe('adaptive');
      expect(await client.config.maxAttempts()).toBe(5);
      expect(await client.config.retryStrategy()).toMatchObject({ mode: 'adaptive' });
    }
  });

  it('builds one EKS client per region, each in its region', async () => {
    const clients = defaultClients('eu-west-1');
    const tokyo = clients.eksFor('ap-northeast-1');
    expect(clients.eksFor('ap-northeast-1')).toBe(tokyo);
    expect(await tokyo.config.region()).toBe('ap-northeast-1');
    expect(await hostOf(tokyo, new ListClustersCommand({}))).toBe('eks.ap-northeast-1.amazonaws.com');
  });

  it('honours AWS_ENDPOINT_URL and the service-specific AWS_ENDPOINT_URL_IAM', async () => {
    process.env.AWS_ENDPOINT_URL = 'http://localhost:4566';
    process.env.AWS_ENDPOINT_URL_IAM = 'http://127.0.0.1:5000';
    const clients = defaultClients('eu-west-1');
    expect(await hostOf(clients.iam, new GetRoleCommand({ RoleName: 'r' }))).toBe('127.0.0.1:5000');
    expect(await hostOf(clients.eksFor('eu-west-1'), new ListClustersCommand({}))).toBe('localhost:4566');
  });
});
