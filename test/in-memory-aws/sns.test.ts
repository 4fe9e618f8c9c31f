// Tests for the fake AWS's SNS Publish, through a real SNSClient: the service's validation rules and the
// record of accepted messages.
import { InvalidParameterException, NotFoundException, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SnsGateway } from '../../lambda/gateways/sns-gateway';
import { FakeAws } from '../../lambda/in-memory-aws/fake-aws';

function topic() {
  const fake = new FakeAws();
  const topicArn = fake.addTopic('alerts');
  return { fake, topicArn, sns: fake.snsClient() };
}

describe('FakeAws SNS Publish', () => {
  it('records what the gateway publishes, with its String attributes', async () => {
    const { fake, topicArn, sns } = topic();
    expect(sns).toBeInstanceOf(SNSClient);
    const id = await new SnsGateway(sns).publish({
      topicArn,
      subject: 'ECR write on node role',
      message: 'body',
      attributes: { verdict: 'violation' },
    });
    expect(topicArn).toBe('arn:aws:sns:us-east-1:111122223333:alerts');
    expect(fake.published).toEqual([
      {
        topicArn,
        subject: 'ECR write on node role',
        message: 'body',
        attributes: { verdict: 'violation' },
        messageStructure: undefined,
        messageId: id,
      },
    ]);
  });

  it.each([
    ['100 characters', 'x'.repeat(100)],
    ['a line break', 'line one\nline two'],
    ['a control character', 'bell\u0007'],
    ['an empty string', ''],
  ])('rejects a subject with %s', async (_label, subject) => {
    const { fake, topicArn, sns } = topic();
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm', Subject: subject })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    expect(fake.published).toEqual([]);
  });

  it('accepts a 99-character subject', async () => {
    const { fake, topicArn, sns } = topic();
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: 'm', Subject: 'é'.repeat(99) }));
    expect(fake.published).toHaveLength(1);
  });

  it('counts the message size in UTF-8 bytes, attributes included', async () => {
    const { topicArn, sns } = topic();
    const exactly = 'a'.repeat(262_144);
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: exactly })),
    ).resolves.toBeDefined();
    const multiByte = 'é'.repeat(131_073);
    await expect(
      sns.send(new PublishCommand({ TopicArn: topicArn, Message: multiByte })),
    ).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: Message too long',
    });
    const withAttribute = new PublishCommand({
      TopicArn: topicArn,
      Message: 'a'.repeat(262_140),
      MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
    });
    await expect(sns.send(withAttribute)).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('applies the MessageStructure json rules and drops attributes for that structure', async () => {
    const { fake, topicArn, sns } = topic();
    const publish = (message: string) =>
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: message,
          MessageStructure: 'json',
          MessageAttributes: { verdict: { DataType: 'String', StringValue: 'violation' } },
        }),
      );
    await expect(publish('not json')).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(publish('{"email":"x"}')).rejects.toMatchObject({
      message: expect.stringContaining('No default'),
    });
    await expect(publish('{"default":{"nested":true}}')).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(publish('{"default":"d","sqs":3}')).rejects.toBeInstanceOf(InvalidParameterException);
    await publish('{"default":"d","email":"e"}');
    expect(fake.published).toEqual([expect.objectContaining({ messageStructure: 'json', attributes: {} })]);
  });

  it('rejects an empty message, a bad attribute and an unknown topic', async () => {
    const { topicArn, sns } = topic();
    await expect(sns.send(new PublishCommand({ TopicArn: topicArn, Message: '' }))).rejects.toBeInstanceOf(
      InvalidParameterException,
    );
    await expect(
      sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: 'm',
          MessageAttributes: { k: { DataType: 'String' } },
        }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      sns.send(new PublishCommand({ TopicArn: `${topicArn}-missing`, Message: 'm' })),
    ).rejects.toBeInstanceOf(NotFoundException);
  });

  it('honours a topic with a raised maximum message size', async () => {
    const fake = new FakeAws();
    const big = fake.addTopic('big', { maximumMessageSize: 1_048_576 });
    await fake.snsClient().send(new PublishCommand({ TopicArn: big, Message: 'a'.repeat(500_000) }));
    expect(fake.published).toHaveLength(1);
  });
});

describe('the in-memory SNS and message attribute names', () => {
  it.each(['owner', 'eventName', 'a.b_c-d'])('accepts %s', async (name) => {
    const fake = new FakeAws();
    const topicArn = fake.addTopic('alerts');
    await fake.snsClient().send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: 'm',
        MessageAttributes: { [name]: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    expect(fake.published[0]?.attributes).toEqual({ [name]: 'v' });
  });

  it.each(['AWS.owner', 'amazon.x', '.owner', 'owner.', 'a..b', 'own er', 'x'.repeat(257)])(
    'rejects %s, as SNS does',
    async (name) => {
      const fake = new FakeAws();
      const topicArn = fake.addTopic('alerts');
      await expect(
        fake.snsClient().send(
          new PublishCommand({
            TopicArn: topicArn,
            Message: 'm',
            MessageAttributes: { [name]: { DataType: 'String', StringValue: 'v' } },
          }),
        ),
      ).rejects.toMatchObject({ name: 'InvalidParameterException' });
    },
  );
});
