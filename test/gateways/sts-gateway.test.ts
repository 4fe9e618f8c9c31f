// Tests for the STS gateway: the AssumeRole request (session name, duration, optional ExternalId), the
// credentials handed back, errors passed on unchanged.
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { MissingCredentialsError, StsGateway } from '../../lambda/gateways/sts-gateway';
import { assumeRoleAccessDenied } from '../support/fake-organization';

const client = new STSClient({ region: 'us-east-1' });
const mock = mockClient(client);
beforeEach(() => mock.reset());
afterAll(() => mock.restore());

const ROLE = 'arn:aws:iam::111111111111:role/EksEcrGuardAudit';
const expiration = new Date('2026-12-02T04:00:00Z');

describe('StsGateway.assumeRole', () => {
  it('asks for a 15-minute session named for the tool, without ExternalId unless given', async () => {
    mock.on(AssumeRoleCommand).resolves({
      Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's', SessionToken: 't', Expiration: expiration },
    });
    await expect(new StsGateway(client).assumeRole({ roleArn: ROLE })).resolves.toEqual({
      accessKeyId: 'ASIA1',
      secretAccessKey: 's',
      sessionToken: 't',
      expiration,
    });
    expect(mock).toHaveReceivedCommandWith(AssumeRoleCommand, {
      RoleArn: ROLE,
      RoleSessionName: 'eks-ecr-guard-org-audit',
      DurationSeconds: 900,
    });
    expect(mock.commandCalls(AssumeRoleCommand)[0]?.args[0].input).not.toHaveProperty('ExternalId');
    await new StsGateway(client).assumeRole({ roleArn: ROLE, externalId: 'x-1' });
    expect(mock).toHaveReceivedNthCommandWith(2, AssumeRoleCommand, { ExternalId: 'x-1' });
  });

  it('passes STS errors on unchanged (the use case records their code and message)', async () => {
    const denied = assumeRoleAccessDenied(ROLE);
    mock.on(AssumeRoleCommand).rejects(denied);
    await expect(new StsGateway(client).assumeRole({ roleArn: ROLE })).rejects.toBe(denied);
  });

  it('refuses an answer without credentials', async () => {
    mock.on(AssumeRoleCommand).resolves({});
    await expect(new StsGateway(client).assumeRole({ roleArn: ROLE })).rejects.toBeInstanceOf(
      MissingCredentialsError,
    );
  });
});
