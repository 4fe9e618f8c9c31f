// Infrastructure (CDK) layer: the encrypted SQS queue that holds events the guard could not deliver or process.
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue: SQS-managed encryption (EventBridge and Lambda can write to it without a key policy),
 * TLS only, 14 days to look at what failed. An alarm on its depth tells the operators.
 */
export class DeadLetterQueue extends sqs.Queue {
  constructor(scope: Construct, id: string) {
    super(scope, id, {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue; failed messages stop here and raise an alarm.',
    });
  }
}
