// Infrastructure (CDK) layer: an SNS topic encrypted with its own customer managed KMS key.
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

export interface EncryptedTopicProps {
  /** What the topic carries, for the key and topic descriptions. */
  readonly purpose: string;
  /**
   * E-mail addresses subscribed to the topic (each must confirm the subscription).
   * @default []
   */
  readonly emails?: readonly string[];
}

/**
 * A topic with a customer managed key (rotation on) and a TLS-only topic policy. Publishers are admitted
 * explicitly: IAM roles through `allowRolesToPublish`, AWS services through `allowServiceToPublish`.
 */
export class EncryptedTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: EncryptedTopicProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: `Encrypts the ${props.purpose} SNS topic of eks-ecr-guard`,
      enableKeyRotation: true,
      // Scheduled for deletion (30-day waiting period) with the stack; nothing outlives the topic's messages.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `eks-ecr-guard ${props.purpose}`,
      masterKey: this.key,
      enforceSSL: true,
    });
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }
  }

  /**
   * Key policy statement: these roles may use the key, only through SNS in this Region (what SNS needs to
   * accept an encrypted publish). `sns:Publish` itself is granted on the role side.
   */
  allowRolesToPublish(sid: string, roles: readonly iam.IRole[]): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: roles.map((role) => new iam.ArnPrincipal(role.roleArn)),
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'kms:ViaService': `sns.${Aws.REGION}.${Aws.URL_SUFFIX}` } },
      }),
    );
  }

  /**
   * Lets an AWS service (e.g. CloudWatch alarms) publish: key use in the key policy, `sns:Publish` in the
   * topic policy, both only on behalf of resources of this account (confused deputy).
   */
  allowServiceToPublish(sid: string, servicePrincipal: string, sourceArnPattern: string): void {
    const service = new iam.ServicePrincipal(servicePrincipal);
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [service],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [service],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': sourceArnPattern },
        },
      }),
    );
  }
}
