// Gateway (the only SNS caller): publishes an alert as a plain String message with String attributes, through the
// client of the topic's own Region (the organization's central topic may sit in another Region than the guard).
import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { parseArn } from '../domain/arn';

export interface SnsMessage {
  readonly topicArn: string;
  /** E-mail subject: under 100 characters, no line breaks or control characters (SNS rejects others). */
  readonly subject?: string;
  readonly message: string;
  /** Sent as String message attributes (for subscription filter policies). */
  readonly attributes?: Readonly<Record<string, string>>;
}

export class SnsGateway {
  /**
   * `clientFor` gives the client of a Region: SNS serves a topic only in the Region its ARN names (a publish
   * elsewhere is refused, InvalidParameter TopicArn), so each publish goes through its topic's Region. Without it,
   * every publish goes through `client`.
   */
  constructor(
    private readonly client: SNSClient,
    private readonly clientFor?: (region: string) => SNSClient,
  ) {}

  private clientOf(topicArn: string): SNSClient {
    const region = parseArn(topicArn)?.region ?? '';
    return this.clientFor === undefined || region === '' ? this.client : this.clientFor(region);
  }

  /**
   * Publishes and returns the message id. No `MessageStructure`: SNS delivers message attributes only
   * with the plain String structure. Errors propagate (the notifier decides what a failed alert means).
   */
  async publish(message: SnsMessage): Promise<string> {
    const output = await this.clientOf(message.topicArn).send(
      new PublishCommand({
        TopicArn: message.topicArn,
        Message: message.message,
        ...(message.subject === undefined ? {} : { Subject: message.subject }),
        ...(message.attributes === undefined
          ? {}
          : { MessageAttributes: stringAttributes(message.attributes) }),
      }),
    );
    if (output.MessageId === undefined)
      throw new Error(`SNS Publish to ${message.topicArn} returned no MessageId`);
    return output.MessageId;
  }
}

/**
 * String attributes. One with an empty value is left out: SNS refuses the whole publish for it (names, types and
 * values must not be empty), and an alert must never be lost for a filter attribute (e.g. an `owner` with no value).
 */
function stringAttributes(
  attributes: Readonly<Record<string, string>>,
): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, value]) => value !== '')
      .map(([name, value]) => [name, { DataType: 'String', StringValue: value }]),
  );
}
