// Test support: CloudTrail Event history records of ECR calls (as LookupEvents returns them) for the in-memory
// AWS, shaped like the records AWS writes for an instance-profile session (AWS-FACTS §15).
import type { CloudTrailEventSeed } from '../../lambda/in-memory-aws/fake-aws';

export interface EcrCall {
  readonly id: string;
  /** The role whose session made the call (the session issuer), path included. */
  readonly roleArn: string;
  /** The session name: an EC2 instance id for node credentials. */
  readonly session: string;
  readonly region: string;
  readonly time: string;
  readonly eventName?: string;
  readonly repository?: string;
}

/** One ECR call made with the role's credentials. */
export function ecrCall(call: EcrCall): CloudTrailEventSeed {
  const eventName = call.eventName ?? 'PutImage';
  const account = call.roleArn.split(':')[4] ?? '111122223333';
  const roleName = call.roleArn.slice(call.roleArn.lastIndexOf('/') + 1);
  const repository = call.repository ?? 'ci/app';
  const record = {
    eventVersion: '1.10',
    userIdentity: {
      type: 'AssumedRole',
      principalId: `AROAEXAMPLEROLEID:${call.session}`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${call.session}`,
      accountId: account,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: 'AROAEXAMPLEROLEID',
          arn: call.roleArn,
          accountId: account,
          userName: roleName,
        },
        attributes: { creationDate: call.time, mfaAuthenticated: 'false' },
        ec2RoleDelivery: '2.0',
      },
    },
    eventTime: call.time,
    eventSource: 'ecr.amazonaws.com',
    eventName,
    awsRegion: call.region,
    requestParameters: { repositoryName: repository, registryId: account },
    eventID: call.id,
    readOnly: false,
    eventType: 'AwsApiCall',
    recipientAccountId: account,
  };
  return {
    EventId: call.id,
    EventName: eventName,
    EventTime: new Date(call.time),
    EventSource: 'ecr.amazonaws.com',
    Username: call.session,
    ReadOnly: 'false',
    Resources: [
      {
        ResourceType: 'AWS::ECR::Repository',
        ResourceName: `arn:aws:ecr:${call.region}:${account}:repository/${repository}`,
      },
    ],
    CloudTrailEvent: JSON.stringify(record),
  };
}
