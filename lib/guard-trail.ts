// Infrastructure (CDK) layer: the optional CloudTrail trail without which EventBridge never sees IAM's API calls.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface GuardTrailProps {
  /**
   * Days the trail's log files are kept in the bucket.
   * @default 365
   */
  readonly retentionDays?: number;
}

/**
 * A multi-Region trail with global service events (IAM) and write management events, logging to a private,
 * TLS-only, versioned bucket with S3-managed encryption. Create it only where no trail exists yet: a second
 * copy of management events is billed.
 */
export class GuardTrail extends Construct {
  readonly trail: cloudtrail.Trail;
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: GuardTrailProps = {}) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 365;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      // SSE-S3: CloudTrail writes without a key policy and without per-object KMS charges. Use an organization
      // trail with a customer managed key where that is required.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        {
          id: 'expire-trail-logs',
          expiration: Duration.days(retentionDays),
          noncurrentVersionExpiration: Duration.days(30),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // Audit evidence outlives the guard: `cdk destroy` leaves the bucket and its logs.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'The bucket only receives CloudTrail log files, written by the CloudTrail service; every API call on it is already in the trail itself.',
    });

    this.trail = new cloudtrail.Trail(this, 'Trail', {
      bucket: this.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      managementEvents: cloudtrail.ReadWriteType.WRITE_ONLY,
      enableFileValidation: true,
    });
  }
}
