// Dev script support (benchmark, synthetic account): the policy documents of the account (trust, workload,
// scoped push, boundary, AWS managed) and its `Policies` list as GetAccountAuthorizationDetails returns it.
import { BUNDLED_MANAGED_POLICY_NAMES, bundledManagedPolicy } from '../../lambda/domain/managed-policies';
import { ACCOUNT_ID, awsManaged, customerPolicyArn, type Json, PARTITION } from './arns';

export const trust = (service: string): Json => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

const SERVICES = ['s3', 'dynamodb', 'sqs', 'sns', 'logs', 'kms', 'secretsmanager', 'ssm', 'lambda', 'events'];

export function workloadDocument(index: number, next: () => number): Json {
  const service = SERVICES[index % SERVICES.length] ?? 's3';
  const statements: Json[] = [
    {
      Sid: `Use${service}`,
      Effect: 'Allow',
      Action: [`${service}:Get*`, `${service}:List*`, `${service}:Describe*`],
      Resource: `arn:${PARTITION}:${service}:*:${ACCOUNT_ID}:team-${index}-*`,
    },
  ];
  if (next() < 0.3) {
    statements.push({
      Effect: 'Allow',
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken'],
      Resource: '*',
    });
  }
  if (next() < 0.1) {
    statements.push({
      Effect: 'Deny',
      Action: `${service}:Delete*`,
      Resource: '*',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } },
    });
  }
  return { Version: '2012-10-17', Statement: statements };
}

export const scopedPushDocument = (repository: string): Json => ({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'PushCache',
      Effect: 'Allow',
      Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'],
      Resource: `arn:${PARTITION}:ecr:eu-west-1:${ACCOUNT_ID}:repository/${repository}`,
    },
  ],
});

const BOUNDARY_DOCUMENT: Json = {
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: '*', Resource: '*' },
    {
      Effect: 'Deny',
      Action: ['ecr:PutImage', 'ecr:BatchDeleteImage', 'ecr:DeleteRepository'],
      Resource: '*',
    },
  ],
};

/** The AWS managed policies the roles use, as GetAccountAuthorizationDetails lists them (bundled ones + two more). */
function awsManagedDocuments(): [string, Json][] {
  const documents: [string, Json][] = [
    [
      'AmazonEKS_CNI_Policy',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ec2:AssignPrivateIpAddresses', 'ec2:AttachNetworkInterface', 'ec2:Describe*'],
            Resource: '*',
          },
        ],
      },
    ],
    [
      'AmazonEKSFargatePodExecutionRolePolicy',
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ecr:GetAuthorizationToken',
              'ecr:BatchCheckLayerAvailability',
              'ecr:GetDownloadUrlForLayer',
              'ecr:BatchGetImage',
            ],
            Resource: '*',
          },
        ],
      },
    ],
  ];
  for (const name of BUNDLED_MANAGED_POLICY_NAMES) {
    const document = bundledManagedPolicy(name)?.document;
    if (typeof document === 'object' && document !== null && !Array.isArray(document)) {
      documents.push([name, Object.fromEntries(Object.entries(document))]);
    }
  }
  return documents;
}

/** The customer managed policies (some with a second, non-default version), the AWS managed ones and the boundary. */
export function customerPolicies(
  count: number,
  next: () => number,
  doc: (document: Json) => unknown,
): Json[] {
  const policies: Json[] = [];
  for (let p = 0; p < count; p += 1) {
    const name = `team-policy-${p}`;
    const versions = [{ VersionId: 'v2', IsDefaultVersion: true, Document: doc(workloadDocument(p, next)) }];
    if (p % 4 === 0)
      versions.push({
        VersionId: 'v1',
        IsDefaultVersion: false,
        Document: doc(workloadDocument(p + 1, next)),
      });
    policies.push({
      PolicyName: name,
      Arn: customerPolicyArn(name),
      Path: '/',
      DefaultVersionId: 'v2',
      AttachmentCount: 0,
      IsAttachable: true,
      PolicyVersionList: versions,
    });
  }
  for (const [name, document] of awsManagedDocuments()) {
    const arn = awsManaged(name);
    policies.push({
      PolicyName: name,
      Arn: arn,
      Path: '/',
      DefaultVersionId: 'v1',
      PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(document) }],
    });
  }
  policies.push({
    PolicyName: 'node-boundary',
    Arn: customerPolicyArn('node-boundary'),
    DefaultVersionId: 'v1',
    PolicyVersionList: [{ VersionId: 'v1', IsDefaultVersion: true, Document: doc(BOUNDARY_DOCUMENT) }],
  });
  return policies;
}
