// Tests for the SNS gateway: plain String structure, String attributes, message id, errors propagate, the client of
// the topic's Region.
import { InvalidParameterException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { SnsGateway } from '../../lambda/gateways/sns-gateway';

const snsMock = mockClient(SNSClient);
const gateway = () => new SnsGateway(new SNSClient({ region: 'us-east-1' }));
const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

beforeEach(() => snsMock.reset());

describe('SnsGateway.publish', () => {
  it('publishes a String-structured message with String attributes and returns the message id', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const id = await gateway().publish({
      topicArn: TOPIC,
      subject: 'ECR write on node role nodes',
      message: '{"verdict":"violation"}',
      attributes: { verdict: 'violation', severity: 'critical' },
    });
    expect(id).toBe('m-1');
    expect(snsMock).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: 'ECR write on node role nodes',
      Message: '{"verdict":"violation"}',
      MessageAttributes: {
        verdict: { DataType: 'String', StringValue: 'violation' },
        severity: { DataType: 'String', StringValue: 'critical' },
      },
    });
  });

  it('sends the owner attribute a team filters on, and leaves out an attribute SNS would refuse (empty value)', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-3' });
    await gateway().publish({
      topicArn: TOPIC,
      message: 'm',
      attributes: { owner: 'ml-team', roleName: '' },
    });
    expect(snsMock.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toEqual({
      owner: { DataType: 'String', StringValue: 'ml-team' },
    });
  });

  it('never sets MessageStructure, and leaves out an absent subject and attributes', async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await gateway().publish({ topicArn: TOPIC, message: 'hello' });
    const input = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(input).toEqual({ TopicArn: TOPIC, Message: 'hello' });
  });

  it('lets SNS errors propagate', async () => {
    const error = new InvalidParameterException({ message: 'Invalid parameter: Subject', $metadata: {} });
    snsMock.on(PublishCommand).rejects(error);
    await expect(gateway().publish({ topicArn: TOPIC, message: 'x', subject: 'bad' })).rejects.toBe(error);
  });
});

describe('SnsGateway with per-Region clients', () => {
  it("publishes through the client of the topic's Region, the home client otherwise unused", async () => {
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-3' });
    const home = new SNSClient({ region: 'us-east-1' });
    const regions: string[] = [];
    const gateway = new SnsGateway(home, (region) => {
      regions.push(region);
      return new SNSClient({ region });
    });
    await gateway.publish({ topicArn: 'arn:aws:sns:eu-central-1:999988887777:central', message: 'm' });
    await gateway.publish({ topicArn: TOPIC, message: 'm' });
    expect(regions).toEqual(['eu-central-1', 'us-east-1']);
    const used = await Promise.all(snsMock.calls().map((call) => call.thisValue.config.region()));
    expect(used).toEqual(['eu-central-1', 'us-east-1']);
  });
});
