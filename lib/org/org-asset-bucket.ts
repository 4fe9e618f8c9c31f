// Infrastructure (CDK) layer: the org stack's bucket holding the guard's function bundles, readable by the
// organization's principals only, from which every member account's guard stack takes its code.
import { Aws, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** The bucket is named `eks-ecr-guard-assets-<admin account id>-<region>`: unique, and derivable in the templates. */
export const ASSET_BUCKET_NAME_PREFIX = 'eks-ecr-guard-assets';

export interface OrgAssetBucketProps {
  /** The organization id (`o-...`), a literal or a parameter. */
  readonly organizationId: string;
}

/**
 * Lambda reads a function's code from a bucket in the function's Region, possibly in another account, with the
 * credentials of whoever creates the function: in a member account, the StackSet execution role. So the bucket
 * lets principals of the organization (`aws:PrincipalOrgID`) get objects, and nothing else: no listing, no writes.
 */
export class OrgAssetBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** The bucket's name without its `-<region>` suffix, as the guard template receives it. */
  readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: OrgAssetBucketProps) {
    super(scope, id);
    this.namePrefix = `${ASSET_BUCKET_NAME_PREFIX}-${Aws.ACCOUNT_ID}`;
    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: `${this.namePrefix}-${Aws.REGION}`,
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      versioned: true,
      // Member stacks keep pointing at their bundles until the StackSets are gone; emptied by hand (docs).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OrganizationReadsGuardCode',
        principals: [new iam.OrganizationPrincipal(props.organizationId)],
        actions: ['s3:GetObject', 's3:GetObjectVersion'],
        resources: [this.bucket.arnForObjects('*')],
      }),
    );
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket holds only the open-source guard function bundles, written by the deployment and read by CloudFormation in member accounts; those GetObject calls are CloudTrail data events if wanted. Access logs would need a second bucket for no secret.',
    });
  }
}
