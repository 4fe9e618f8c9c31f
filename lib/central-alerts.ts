// Infrastructure (CDK) layer: what the event function needs to publish to the organization's central alert topic
// (in the security account): sns:Publish on exactly that topic, the topic key's use through SNS, its own account name.
import { Aws, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { ENV } from '../lambda/contract';
import type { GuardFunction } from './guard-function';
import { wildcardResourceFinding } from './guard-permissions';

export interface CentralAlertBinding {
  /** The central topic (imported from its ARN: its account and Region are the ARN's). */
  readonly topic: sns.ITopic;
  /**
   * The KMS key of the central topic, when known (bin/central-alert-topic.ts outputs it).
   * @default - any key of the topic's account and Region, only through SNS in that Region
   */
  readonly keyArn?: string | undefined;
}

/** The account's own resource of the Account Management API (GetAccountInformation without `AccountId`). */
export const OWN_ACCOUNT_RESOURCE = `arn:${Aws.PARTITION}:account::${Aws.ACCOUNT_ID}:account`;

/** The key resource of the central topic: the key itself, or every key of the topic's account and Region. */
export function centralKeyResource(binding: CentralAlertBinding): string {
  const { region, account } = topicEnvironment(binding.topic);
  return binding.keyArn ?? `arn:${Aws.PARTITION}:kms:${region}:${account}:key/*`;
}

function topicEnvironment(topic: sns.ITopic): { readonly region: string; readonly account: string } {
  const { region, account } = topic.env;
  if (Token.isUnresolved(region) || Token.isUnresolved(account)) {
    throw new Error('EksEcrGuard: the central alert topic must be imported from a literal ARN');
  }
  return { region, account };
}

/**
 * Statements of the event function for central alerts, beside `bindTopic`'s sns:Publish on the topic: the key
 * (SSE-KMS topic: a publisher in another account needs kms:GenerateDataKey* and kms:Decrypt on the key, granted by
 * both its IAM policy and the key policy) only through SNS in the topic's Region, and the account name for the
 * subject and attributes. None can change IAM.
 */
export function centralAlertStatements(binding: CentralAlertBinding): iam.PolicyStatement[] {
  const { region } = topicEnvironment(binding.topic);
  return [
    new iam.PolicyStatement({
      sid: 'UseCentralAlertTopicKey',
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: [centralKeyResource(binding)],
      conditions: { StringEquals: { 'kms:ViaService': `sns.${region}.${Aws.URL_SUFFIX}` } },
    }),
    new iam.PolicyStatement({
      sid: 'ReadOwnAccountName',
      actions: ['account:GetAccountInformation'],
      resources: [OWN_ACCOUNT_RESOURCE],
    }),
  ];
}

/** Binds the central topic to the function: its variable, sns:Publish on it, the key and account-name reads. */
export function bindCentralAlerts(fn: GuardFunction, binding: CentralAlertBinding): void {
  fn.bindTopic(binding.topic, ENV.centralAlertTopicArn).addStatements(...centralAlertStatements(binding));
  const validations = Validations.of(fn);
  validations.acknowledge({
    id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
    reason:
      'SNS documents kms:GenerateDataKey* for publishers to an SSE-KMS topic; the statement is limited to the central topic key and to calls made through SNS in its Region (kms:ViaService).',
  });
  if (binding.keyArn === undefined) {
    validations.acknowledge({
      id: wildcardResourceFinding(centralKeyResource(binding)),
      reason:
        'The central topic key lives in the security account and its id is not configured (centralAlertKeyArn); the grant covers keys of that one account and Region, used only by SNS on the guard behalf (kms:ViaService), and the key policy decides.',
    });
  }
}
