// In-memory AWS: answers SNS Publish with the service's validation (the topic's Region and policy, subject, size,
// attributes, MessageStructure json) and records every accepted message in FakeState.published.
import type { ServiceOutputTypes as SnsOutput } from '@aws-sdk/client-sns';
import { type FakeErrorKind, fakeServiceError } from './errors';
import type { FakeState, FakeTopic } from './model';
import { FakeRequest } from './request';

/** SNS's default (and, for e-mail subscriptions, only) maximum message size: 256 KiB in bytes. */
export const DEFAULT_MAXIMUM_MESSAGE_SIZE = 262_144;
/** A subject must be shorter than this. */
const SUBJECT_LIMIT = 100;
const ATTRIBUTE_TYPES = ['String', 'String.Array', 'Number', 'Binary'];

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

interface Attribute {
  readonly name: string;
  readonly dataType: string;
  readonly value: string;
}

export class FakeSns {
  private messageCount = 0;

  constructor(private readonly state: FakeState) {}

  /** `region`: the client's; a topic is served only in the Region its ARN names. */
  handle(command: string, input: unknown, region: string): SnsOutput {
    if (command !== 'Publish') throw new Error(`FakeAws: SNS ${command} is not implemented`);
    return this.publish(new FakeRequest(input, (message) => this.error('InvalidParameter', message)), region);
  }

  private publish(request: FakeRequest, region: string): SnsOutput {
    const topicArn = request.string('TopicArn');
    // SNS is regional: a topic ARN of another Region is refused as a bad parameter, whatever its account.
    if (topicArn.split(':')[3] !== region) throw this.invalid('TopicArn');
    const topic = this.topic(topicArn);
    this.authorize(topic);
    const message = request.optionalString('Message') ?? '';
    if (message === '') throw this.invalid('Empty message');
    const subject = request.optionalString('Subject');
    if (subject !== undefined) this.checkSubject(subject);
    const attributes = this.attributes(request);
    this.checkSize(topic, message, attributes);
    const structure = request.optionalString('MessageStructure');
    if (structure !== undefined) this.checkJsonStructure(structure, message);
    this.messageCount += 1;
    const messageId = `00000000-0000-4000-8000-${String(this.messageCount).padStart(12, '0')}`;
    this.state.published.push({
      topicArn: topic.arn,
      subject,
      message,
      // Attributes are delivered only with the plain String structure (AWS-FACTS §9).
      attributes: structure === undefined ? Object.fromEntries(attributes.map((a) => [a.name, a.value])) : {},
      messageStructure: structure,
      messageId,
    });
    return { MessageId: messageId, $metadata: metadata() };
  }

  private topic(arn: string): FakeTopic {
    const topic = this.state.topics.get(arn);
    if (topic === undefined) throw this.error('NotFound', 'Topic does not exist');
    return topic;
  }

  /**
   * The topic policy: the topic's own account may publish; another account only when the policy admits it (by
   * organization, `aws:PrincipalOrgID`, or by account). Else AuthorizationError, as SNS words it.
   */
  private authorize(topic: FakeTopic): void {
    const { accountId, organizationId, partition } = this.state;
    const owner = topic.arn.split(':')[4];
    if (owner === accountId) return;
    const admitted = topic.publishers ?? {};
    const byOrganization = organizationId !== null && admitted.organizationId === organizationId;
    if (byOrganization || (admitted.accounts ?? []).includes(accountId)) return;
    throw this.error(
      'AccessDenied',
      `User: arn:${partition}:sts::${accountId}:assumed-role/eks-ecr-guard/fake-session is not authorized to perform: SNS:Publish on resource: ${topic.arn} because no resource-based policy allows the SNS:Publish action`,
    );
  }

  /** UTF-8 text, non-empty, fewer than 100 characters, no line breaks or other control characters. */
  private checkSubject(subject: string): void {
    const tooLong = [...subject].length >= SUBJECT_LIMIT;
    if (subject === '' || tooLong || hasControlCharacter(subject)) throw this.invalid('Subject');
  }

  private attributes(request: FakeRequest): Attribute[] {
    const raw = request.optionalMap('MessageAttributes') ?? {};
    return Object.entries(raw).map(([name, fields]) => {
      if (!isAttributeName(name)) throw this.invalid(`The message attribute name '${name}' is invalid`);
      const dataType = typeof fields.DataType === 'string' ? fields.DataType : '';
      if (!ATTRIBUTE_TYPES.some((type) => dataType === type || dataType.startsWith(`${type}.`))) {
        throw this.invalid(`The message attribute '${name}' has an invalid message attribute type`);
      }
      const value = typeof fields.StringValue === 'string' ? fields.StringValue : '';
      if (!dataType.startsWith('Binary') && value === '') {
        throw this.invalid(
          `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${dataType}'.`,
        );
      }
      return { name, dataType, value };
    });
  }

  /** Body plus every attribute's name, type and value, in UTF-8 bytes, against the topic's limit. */
  private checkSize(topic: FakeTopic, message: string, attributes: readonly Attribute[]): void {
    const attributeBytes = attributes.reduce(
      (sum, a) => sum + byteLength(a.name) + byteLength(a.dataType) + byteLength(a.value),
      0,
    );
    if (byteLength(message) + attributeBytes > topic.maximumMessageSize)
      throw this.invalid('Message too long');
  }

  /** `json`: a JSON object with a string `default` and only string values. */
  private checkJsonStructure(structure: string, message: string): void {
    if (structure !== 'json') throw this.invalid('MessageStructure');
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      throw this.invalid('Message Structure - JSON message body failed to parse');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw this.invalid('Message Structure - JSON message body failed to parse');
    }
    const entries = Object.entries(parsed);
    if (!entries.some(([key, value]) => key === 'default' && typeof value === 'string')) {
      throw this.invalid('Message Structure - No default entry in JSON message body');
    }
    if (entries.some(([, value]) => typeof value !== 'string')) {
      throw this.invalid('Message Structure - JSON message body values must be strings');
    }
  }

  private invalid(what: string): Error {
    return this.error('InvalidParameter', `Invalid parameter: ${what}`);
  }

  private error(kind: FakeErrorKind, message: string): Error {
    return fakeServiceError('sns', kind, message);
  }
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function hasControlCharacter(text: string): boolean {
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

/**
 * SNS message attribute names: 1 to 256 of A-Z a-z 0-9 `_ - .`, not starting or ending with `.`, no `..`, and not
 * starting with the reserved `AWS.` or `Amazon.` in any case (SNS developer guide, "Amazon SNS message attributes").
 */
export function isAttributeName(name: string): boolean {
  return (
    /^[A-Za-z0-9_.-]{1,256}$/.test(name) &&
    !name.startsWith('.') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !/^(aws|amazon)\./i.test(name)
  );
}
