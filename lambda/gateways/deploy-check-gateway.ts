// Gateway (CloudFormation, EventBridge, CloudTrail, SNS, IAM, CloudWatch Logs): what `check-deploy` reads of a
// deployed guard with the caller's credentials, and the throw-away role it makes and removes. Regional clients
// come from factories, so one check can look at the home Region and us-east-1. The SDK packages are loaded on
// first use (`loadDeployCheckSdk`), so the CLI starts fast for every other command.
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { SNSClient } from '@aws-sdk/client-sns';
import { awsErrorName } from './aws-errors';

/** The SDK modules the check uses, loaded together when it runs. */
export interface DeployCheckSdk {
  readonly cloudformation: typeof import('@aws-sdk/client-cloudformation');
  readonly eventbridge: typeof import('@aws-sdk/client-eventbridge');
  readonly cloudtrail: typeof import('@aws-sdk/client-cloudtrail');
  readonly sns: typeof import('@aws-sdk/client-sns');
  readonly logs: typeof import('@aws-sdk/client-cloudwatch-logs');
  readonly iam: typeof import('@aws-sdk/client-iam');
}

export async function loadDeployCheckSdk(): Promise<DeployCheckSdk> {
  const [cloudformation, eventbridge, cloudtrail, sns, logs, iam] = await Promise.all([
    import('@aws-sdk/client-cloudformation'),
    import('@aws-sdk/client-eventbridge'),
    import('@aws-sdk/client-cloudtrail'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-cloudwatch-logs'),
    import('@aws-sdk/client-iam'),
  ]);
  return { cloudformation, eventbridge, cloudtrail, sns, logs, iam };
}

export interface DeployCheckClients {
  readonly cloudformation: (region: string) => CloudFormationClient;
  readonly eventbridge: (region: string) => EventBridgeClient;
  readonly cloudtrail: (region: string) => CloudTrailClient;
  readonly sns: (region: string) => SNSClient;
  readonly logs: (region: string) => CloudWatchLogsClient;
  /** IAM is global: one client. */
  readonly iam: IAMClient;
}

/** One client per service and Region, built on first use with the given options (profile, retries). */
export function deployCheckClients(
  sdk: DeployCheckSdk,
  options: { readonly profile?: string; readonly iamRegion: string },
): DeployCheckClients {
  const common = { maxAttempts: 5, ...(options.profile === undefined ? {} : { profile: options.profile }) };
  const cached = <T>(make: (region: string) => T) => {
    const clients = new Map<string, T>();
    return (region: string): T => {
      const existing = clients.get(region);
      if (existing !== undefined) return existing;
      const client = make(region);
      clients.set(region, client);
      return client;
    };
  };
  return {
    cloudformation: cached((region) => new sdk.cloudformation.CloudFormationClient({ ...common, region })),
    eventbridge: cached((region) => new sdk.eventbridge.EventBridgeClient({ ...common, region })),
    cloudtrail: cached((region) => new sdk.cloudtrail.CloudTrailClient({ ...common, region })),
    sns: cached((region) => new sdk.sns.SNSClient({ ...common, region })),
    logs: cached((region) => new sdk.logs.CloudWatchLogsClient({ ...common, region })),
    iam: new sdk.iam.IAMClient({ ...common, region: options.iamRegion }),
  };
}

const isMissing = (error: unknown, ...codes: string[]): boolean => codes.includes(awsErrorName(error) ?? '');

export class DeployCheckGateway {
  constructor(
    private readonly sdk: DeployCheckSdk,
    private readonly clients: DeployCheckClients,
  ) {}

  async stack(name: string, region: string) {
    try {
      const result = await this.clients
        .cloudformation(region)
        .send(new this.sdk.cloudformation.DescribeStacksCommand({ StackName: name }));
      const stack = result.Stacks?.[0];
      if (stack === undefined) return null;
      const outputs: Record<string, string> = {};
      for (const output of stack.Outputs ?? []) {
        if (output.OutputKey !== undefined && output.OutputValue !== undefined)
          outputs[output.OutputKey] = output.OutputValue;
      }
      return { status: stack.StackStatus ?? 'UNKNOWN', outputs };
    } catch (error) {
      // CloudFormation answers a missing stack with ValidationError "Stack with id X does not exist".
      if (isMissing(error, 'ValidationError') && /does not exist/.test(String(error))) return null;
      throw error;
    }
  }

  async stackResources(name: string, region: string, type: string): Promise<readonly string[]> {
    const result = await this.clients
      .cloudformation(region)
      .send(new this.sdk.cloudformation.DescribeStackResourcesCommand({ StackName: name }));
    return (result.StackResources ?? [])
      .filter((resource) => resource.ResourceType === type && resource.PhysicalResourceId !== undefined)
      .map((resource) => resource.PhysicalResourceId ?? '');
  }

  async ruleState(name: string, region: string): Promise<string | null> {
    try {
      const rule = await this.clients
        .eventbridge(region)
        .send(new this.sdk.eventbridge.DescribeRuleCommand({ Name: name }));
      return rule.State ?? null;
    } catch (error) {
      if (isMissing(error, 'ResourceNotFoundException')) return null;
      throw error;
    }
  }

  /** Trails visible in the Region (shadow trails included: a multi-Region trail made elsewhere counts). */
  async trails(region: string) {
    const result = await this.clients
      .cloudtrail(region)
      .send(new this.sdk.cloudtrail.DescribeTrailsCommand({ includeShadowTrails: true }));
    const trails = [];
    for (const trail of result.trailList ?? []) {
      if (trail.TrailARN === undefined) continue;
      const homeRegion = trail.HomeRegion ?? region;
      // A trail's status is read in its home Region.
      const status = await this.clients
        .cloudtrail(homeRegion)
        .send(new this.sdk.cloudtrail.GetTrailStatusCommand({ Name: trail.TrailARN }));
      trails.push({
        name: trail.Name ?? trail.TrailARN,
        arn: trail.TrailARN,
        homeRegion,
        multiRegion: trail.IsMultiRegionTrail === true,
        includesGlobalServiceEvents: trail.IncludeGlobalServiceEvents === true,
        logging: status.IsLogging === true,
      });
    }
    return trails;
  }

  async subscriptions(topicArn: string, region: string) {
    const found = [];
    let token: string | undefined;
    do {
      const page = await this.clients
        .sns(region)
        .send(new this.sdk.sns.ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }));
      for (const subscription of page.Subscriptions ?? []) {
        found.push({
          protocol: subscription.Protocol ?? '?',
          endpoint: subscription.Endpoint ?? '?',
          pending: subscription.SubscriptionArn === 'PendingConfirmation',
        });
      }
      token = page.NextToken;
    } while (token !== undefined);
    return found;
  }

  async createTestRole(
    name: string,
    trustPolicy: string,
    tags: Readonly<Record<string, string>>,
  ): Promise<void> {
    await this.clients.iam.send(
      new this.sdk.iam.CreateRoleCommand({
        RoleName: name,
        AssumeRolePolicyDocument: trustPolicy,
        Description: 'Throw-away role of eks-ecr-guard check-deploy; trusted by no one; safe to delete',
        MaxSessionDuration: 3600,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  }

  async putTestPolicy(roleName: string, policyName: string, document: string): Promise<void> {
    await this.clients.iam.send(
      new this.sdk.iam.PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: policyName,
        PolicyDocument: document,
      }),
    );
  }

  async deleteTestRole(roleName: string, policyName: string): Promise<void> {
    try {
      await this.clients.iam.send(
        new this.sdk.iam.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
    } catch (error) {
      if (!isMissing(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
    }
    try {
      await this.clients.iam.send(new this.sdk.iam.DeleteRoleCommand({ RoleName: roleName }));
    } catch (error) {
      if (!isMissing(error, 'NoSuchEntity', 'NoSuchEntityException')) throw error;
    }
  }

  async logLineSeen(
    logGroup: string,
    region: string,
    filterPattern: string,
    sinceMs: number,
  ): Promise<boolean> {
    const result = await this.clients.logs(region).send(
      new this.sdk.logs.FilterLogEventsCommand({
        logGroupName: logGroup,
        filterPattern,
        startTime: sinceMs,
        limit: 1,
      }),
    );
    return (result.events ?? []).length > 0;
  }
}
