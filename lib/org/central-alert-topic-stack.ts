// Infrastructure (CDK) layer: the organization's central alert topic, in the security account
// (`cdk deploy --app "node --import tsx bin/central-alert-topic.ts"`): every member account's guard publishes to it.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** The stack's name in bin/central-alert-topic.ts. */
export const CENTRAL_ALERT_STACK_NAME = 'EksEcrGuardCentralAlerts';

/** The topic's default name: a fixed name gives every member the same ARN to configure (`centralAlertTopicArn`). */
export const CENTRAL_ALERT_TOPIC_NAME = 'eks-ecr-guard-central-alerts';

/** Output keys of the stack: the values members put in `centralAlertTopicArn` and `centralAlertKeyArn`. */
export const CENTRAL_ALERT_OUTPUT_KEYS = {
  topicArn: 'CentralAlertTopicArn',
  keyArn: 'CentralAlertKeyArn',
} as const;

/** What `aws:PrincipalOrgID` is compared with: an AWS Organizations id. */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

export interface CentralAlertTopicStackProps extends StackProps {
  /** Only principals of this organization may publish (`aws:PrincipalOrgID`). */
  readonly organizationId: string;
  /**
   * E-mail addresses of the security team, subscribed to the topic (each must confirm).
   * @default []
   */
  readonly emails?: readonly string[];
  /** @default CENTRAL_ALERT_TOPIC_NAME */
  readonly topicName?: string;
}

/**
 * A topic encrypted with its own customer managed key (rotation on). The topic policy lets any principal of the
 * organization publish, over TLS only; the key policy lets the same principals use the key, only through SNS in
 * this Region (what SNS needs to accept their encrypted publish). Nobody outside the organization can do either.
 */
export class CentralAlertTopicStack extends Stack {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: CentralAlertTopicStackProps) {
    super(scope, id, {
      description: 'eks-ecr-guard: the organization central alert topic (member accounts publish to it)',
      ...props,
    });
    if (!ORGANIZATION_ID_PATTERN.test(props.organizationId)) {
      throw new Error(
        `CentralAlertTopicStack: organizationId must look like o-abcd123456 (o- and 10 to 32 lowercase letters or digits), got "${props.organizationId}"`,
      );
    }
    const inOrganization = { StringEquals: { 'aws:PrincipalOrgID': props.organizationId } };

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the eks-ecr-guard central alert topic',
      enableKeyRotation: true,
      // Scheduled for deletion (30-day waiting period) with the stack, as the guard's own topic keys.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowOrganizationPublishersThroughSns',
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'aws:PrincipalOrgID': props.organizationId,
            'kms:ViaService': `sns.${this.region}.${this.urlSuffix}`,
          },
        },
      }),
    );

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: props.topicName ?? CENTRAL_ALERT_TOPIC_NAME,
      displayName: 'eks-ecr-guard central alerts',
      masterKey: this.key,
      // A Deny on aws:SecureTransport false: plain-HTTP publishes are refused, whoever sends them.
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowOrganizationToPublish',
        principals: [new iam.AnyPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: inOrganization,
      }),
    );
    for (const email of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const outputs: readonly [string, string, string][] = [
      [
        CENTRAL_ALERT_OUTPUT_KEYS.topicArn,
        this.topic.topicArn,
        'Set as centralAlertTopicArn in every member',
      ],
      [CENTRAL_ALERT_OUTPUT_KEYS.keyArn, this.key.keyArn, 'Set as centralAlertKeyArn in every member'],
    ];
    for (const [key, value, description] of outputs) {
      new CfnOutput(this, key, { value, description }).overrideLogicalId(key);
    }
  }
}
