// Use case: notify. Turns a decision (and remediation outcome) into alerts and publishes them: the e-mail/machine
// message to the alert topic and, when configured, the chat notification to the chat topic.
import type { Decision, RemediationOutcome } from '../domain/types';
import type { AlertInput, AlertMode } from '../notify/alert-input';
import { type AlertKind, alertKind } from '../notify/alert-kind';
import { formatChatNotification } from '../notify/chat';
import { formatAlert } from '../notify/format';

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
}

export interface NotifyResult {
  readonly sent: boolean;
  readonly kind: AlertKind | null;
  /** One id per publish: the alert topic's first, then the chat topic's. */
  readonly messageIds: string[];
}

export class Notifier {
  constructor(private readonly options: NotifierOptions) {}

  /**
   * Publishes the alert for a decision, if it calls for one. The alert topic goes first, so a chat failure never
   * costs the e-mail; any publish error propagates (the handler fails the invocation so it is retried).
   */
  async notify(decision: Decision, outcome: RemediationOutcome | null): Promise<NotifyResult> {
    const kind = alertKind(decision, outcome, { notifyExempt: this.options.notifyExempt });
    if (kind === null) {
      this.log('no alert for this decision', decision);
      return { sent: false, kind: null, messageIds: [] };
    }

    const input = this.alertInput(decision, outcome);
    const alert = formatAlert(input);
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
    this.log('alert sent', decision, { alertKind: kind, messageIds });
    return { sent: true, kind, messageIds };
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
