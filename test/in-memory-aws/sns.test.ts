// Tests for the fake AWS's SNS Publish, through a real SNSClient: the service's validation rules, the record of
// accepted messages, and topics of other Regions and accounts (the topic's Region, its policy).
import {
  AuthorizationErrorException,
  InvalidParameterException,
  NotFoundException,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
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

describe('FakeAws SNS Publish to topics of other Regions and accounts', () => {
  const CENTRAL = 'arn:aws:sns:eu-central-1:999988887777:central';
  const ORG = 'o-abcd123456';

  it("publishes to another account's topic when its policy admits the organization, through that Region", async () => {
    const fake = new FakeAws({ organizationId: ORG });
    fake.addTopic(CENTRAL, { publishers: { organizationId: ORG } });
    const sns = fake.clients().snsFor('eu-central-1');
    await sns.send(new PublishCommand({ TopicArn: CENTRAL, Message: 'm' }));
    expect(fake.published.map((m) => m.topicArn)).toEqual([CENTRAL]);
    expect(fake.calls.at(-1)?.region).toBe('eu-central-1');
  });

  it('admits an account named in the policy', async () => {
    const fake = new FakeAws();
    fake.addTopic(CENTRAL, { publishers: { accounts: ['111122223333'] } });
    await fake
      .clients()
      .snsFor('eu-central-1')
      .send(new PublishCommand({ TopicArn: CENTRAL, Message: 'm' }));
    expect(fake.published).toHaveLength(1);
  });

  it.each([
    ['no policy for other accounts', {}, { organizationId: ORG }],
    ['another organization', { publishers: { organizationId: 'o-other12345' } }, { organizationId: ORG }],
    ['an account outside any organization', { publishers: { organizationId: ORG } }, {}],
  ])('refuses with AuthorizationError: %s', async (_name, topic, account) => {
    const fake = new FakeAws(account);
    fake.addTopic(CENTRAL, topic);
    const publish = fake
      .clients()
      .snsFor('eu-central-1')
      .send(new PublishCommand({ TopicArn: CENTRAL, Message: 'm' }));
    await expect(publish).rejects.toBeInstanceOf(AuthorizationErrorException);
    await expect(publish).rejects.toThrow(/is not authorized to perform: SNS:Publish on resource/);
    expect(fake.published).toEqual([]);
  });

  it('refuses a topic ARN of another Region than the client (InvalidParameter TopicArn)', async () => {
    const fake = new FakeAws({ organizationId: ORG });
    fake.addTopic(CENTRAL, { publishers: { organizationId: ORG } });
    const publish = fake.snsClient().send(new PublishCommand({ TopicArn: CENTRAL, Message: 'm' }));
    await expect(publish).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(publish).rejects.toThrow('Invalid parameter: TopicArn');
  });

  it("answers NotFound for another account's topic that does not exist", async () => {
    const fake = new FakeAws({ organizationId: ORG });
    const publish = fake
      .clients()
      .snsFor('eu-central-1')
      .send(new PublishCommand({ TopicArn: CENTRAL, Message: 'm' }));
    await expect(publish).rejects.toBeInstanceOf(NotFoundException);
    await expect(publish).rejects.toThrow('Topic does not exist');
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
