// Infrastructure (CDK) layer: the EventBridge pattern for IAM changes that can grant a role ECR write access.
import { type EventPattern, Match } from 'aws-cdk-lib/aws-events';
import { CLOUDTRAIL_DETAIL_TYPE, IAM_EVENT_SOURCE, WATCHED_EVENTS } from '../lambda/contract';

export interface IamChangePatternOptions {
  /**
   * Roles whose own calls must not trigger the guard (its own remediation would loop otherwise).
   * @default - no exclusion (the forwarder stack: the guard's role is only known in the home region)
   */
  readonly excludedRoleArns?: readonly string[];
}

/**
 * Successful IAM write calls from CloudTrail (`errorCode` absent), optionally excluding calls made by given roles.
 *
 * The exclusion needs `$or`: `anything-but` only matches when the field exists, and IAM users and the root
 * user have no `sessionContext.sessionIssuer`, so `anything-but` alone would drop all of their calls.
 * Branch 1 keeps events whose session issuer is another role; branch 2 keeps events with no session issuer.
 */
export function iamPolicyChangePattern(options: IamChangePatternOptions = {}): EventPattern {
  const excluded = options.excludedRoleArns ?? [];
  return {
    source: [IAM_EVENT_SOURCE],
    detailType: [CLOUDTRAIL_DETAIL_TYPE],
    detail: {
      eventSource: [WATCHED_EVENTS[IAM_EVENT_SOURCE].serviceEndpoint],
      eventName: [...WATCHED_EVENTS[IAM_EVENT_SOURCE].eventNames],
      errorCode: Match.doesNotExist(),
      ...(excluded.length > 0 ? { $or: excludeSessionIssuers(excluded) } : {}),
    },
  };
}

function excludeSessionIssuers(roleArns: readonly string[]): readonly object[] {
  return [
    { userIdentity: { sessionContext: { sessionIssuer: { arn: Match.anythingBut(...roleArns) } } } },
    { userIdentity: { sessionContext: { sessionIssuer: { arn: Match.doesNotExist() } } } },
  ];
}
