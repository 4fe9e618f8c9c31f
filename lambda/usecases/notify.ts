// Use case: notify. Turns a decision (and remediation outcome) into alerts and publishes them: the e-mail/machine
// message to the alert topic, when configured the chat notification to the chat topic, and the same alert, named
// by account id and name, to the organization's central topic.
import type { OwedPublish } from '../domain/pending-outcome';
import type { Decision, RemediationOutcome } from '../domain/types';
import { type AlertInput, type AlertMode, alertAccount } from '../notify/alert-input';
import { type AlertKind, alertKind } from '../notify/alert-kind';
import { centralAlertAttributes } from '../notify/attributes';
import { formatChatNotification } from '../notify/chat';
import { type FormattedAlert, formatAlert } from '../notify/format';
import { alertSubject, type SubjectAccount } from '../notify/subject';

/** One SNS publish (plain String message structure); matches the SNS gateway. */
export interface PublishRequest {
  readonly topicArn: string;
  readonly subject?: string;
  readonly message: string;
  readonly attributes?: Record<string, string>;
}

export interface Publisher {
  /** Publishes and returns the message id; errors propagate. */
  publish(message: PublishRequest): Promise<string>;
}

/** The logging the notifier needs (Powertools Logger satisfies it). */
export interface NotifierLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn?(message: string, ...extra: Record<string, unknown>[]): void;
}

export interface NotifierOptions {
  readonly publisher: Publisher;
  readonly alertTopicArn: string;
  /** The Amazon Q Developer in chat applications topic; null (or empty) when chat is not configured. */
  readonly chatTopicArn: string | null;
  readonly mode: AlertMode;
  readonly accountId: string | null;
  readonly partition: string;
  readonly replacementPolicyName: string;
  /** Send an information alert for exempt roles too. */
  readonly notifyExempt: boolean;
  readonly logger?: NotifierLogger;
  /** The organization's central topic (another account); null or absent when not configured. */
  readonly centralAlertTopicArn?: string | null;
  /**
   * The guard account's name, for the central alert's subject and `accountName` attribute; null when unreadable
   * (the subject then names the id alone). Must not throw.
   * @default - no name
   */
  readonly accountName?: () => Promise<string | null>;
}

export interface NotifyResult {
  readonly sent: boolean;
  readonly kind: AlertKind | null;
  /** One id per publish: the alert topic's first, then the chat topic's, then the central topic's. */
  readonly messageIds: string[];
}

/**
 * The central topic refused the alert after the alert topic took it (when `published` is non-empty): only the
 * central publish is still owed. The cause is the SNS error.
 */
export class CentralAlertPublishError extends Error {
  override readonly name = 'CentralAlertPublishError';
  constructor(
    readonly topicArn: string,
    /** The message ids of the publishes that went out before (alert topic, chat topic). */
    readonly published: readonly string[],
    cause: unknown,
  ) {
    super(
      `the alert could not be published to the central topic ${topicArn}: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      { cause },
    );
  }
}

export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  /**
   * Publishes the alert for a decision, if it calls for one. The alert topic goes first, so a chat or central failure
   * never costs the e-mail; an alert-topic error propagates (the handler fails the invocation so it is retried), a
   * chat error is logged, and a central-topic error is thrown as CentralAlertPublishError (the caller keeps the
   * central publish for the retry). `owed: 'central'` publishes to the central topic alone (a retry of that).
   */
  async notify(
    decision: Decision,
    outcome: RemediationOutcome | null,
    owed: OwedPublish = 'all',
  ): Promise<NotifyResult> {
    const kind = alertKind(decision, outcome, { notifyExempt: this.options.notifyExempt });
    if (kind === null) {
      this.log('no alert for this decision', decision);
      return { sent: false, kind: null, messageIds: [] };
    }

    const input = this.alertInput(decision, outcome);
    const alert = formatAlert(input);
    const messageIds = owed === 'all' ? await this.publishLocal(input, alert) : [];
    const centralTopicArn = this.options.centralAlertTopicArn ?? null;
    if (centralTopicArn !== null && centralTopicArn.length > 0) {
      messageIds.push(await this.publishCentral(centralTopicArn, input, alert, messageIds));
    }
    this.log('alert sent', decision, { alertKind: kind, messageIds, owed });
    return { sent: true, kind, messageIds };
  }

  /** The alert topic (errors propagate), then the chat topic (best effort). */
  private async publishLocal(input: AlertInput, alert: FormattedAlert): Promise<string[]> {
    const messageIds = [
      await this.options.publisher.publish({
        topicArn: this.options.alertTopicArn,
        subject: alert.subject,
        message: alert.body,
        attributes: alert.attributes,
      }),
    ];

    const chatTopicArn = this.options.chatTopicArn;
    if (chatTopicArn !== null && chatTopicArn.length > 0) {
      // Best effort: the alert topic already has the message, and failing the invocation here would make
      // the retry send the e-mail a second time. The failure is logged as a warning.
      try {
        messageIds.push(
          await this.options.publisher.publish({
            topicArn: chatTopicArn,
            message: JSON.stringify(formatChatNotification(input)),
            attributes: alert.attributes,
          }),
        );
      } catch (error) {
        this.options.logger?.warn?.('chat notification failed; the e-mail alert was sent', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    }
    return messageIds;
  }

  /** The same body, with the account in the subject and the `accountId` / `accountName` attributes. */
  private async publishCentral(
    topicArn: string,
    input: AlertInput,
    alert: FormattedAlert,
    published: readonly string[],
  ): Promise<string> {
    const account: SubjectAccount = {
      id: alertAccount(input),
      name: this.options.accountName === undefined ? null : await this.options.accountName(),
    };
    try {
      return await this.options.publisher.publish({
        topicArn,
        subject: alertSubject(input.decision, input.outcome, account),
        message: alert.body,
        attributes: centralAlertAttributes(alert.attributes, account),
      });
    } catch (error) {
      throw new CentralAlertPublishError(topicArn, published, error);
    }
  }

  private alertInput(decision: Decision, outcome: RemediationOutcome | null): AlertInput {
    const { mode, accountId, partition, replacementPolicyName } = this.options;
    return { decision, outcome, mode, accountId, partition, replacementPolicyName };
  }

  private log(message: string, decision: Decision, extra: Record<string, unknown> = {}): void {
    this.options.logger?.info(message, {
      verdict: decision.verdict,
      role: decision.role?.name ?? null,
      eventId: decision.event.id,
      ...extra,
    });
  }
}
