// Infrastructure (CDK) layer: the templates the org StackSets deploy in every member account (the guard, in one mode,
// and the event forwarders), each a StackSetStack synthesized inside the org stack, never deployed on its own.
import { Aws, CfnParameter, Fn, type Stack } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { StackSetStack } from 'cdk-stacksets';
import type { GuardMode } from '../../lambda/contract';
import type { GuardAppConfig } from '../config';
import type { DeploymentTarget } from '../deployment-target';
import { EksEcrGuard } from '../eks-ecr-guard';
import { addEventForwarding, type EventForwarding, forwardedSources } from '../event-forwarder-stack';
import { guardPropsFromConfig } from '../guard-stack';
import { GuardTrail } from '../guard-trail';

/**
 * The guard template's parameter holding its code bucket's name without the `-<region>` suffix. The org stack
 * passes `eks-ecr-guard-assets-<admin account id>`; a member account cannot know that account from its own
 * pseudo parameters.
 */
export const ASSET_BUCKET_PREFIX_PARAMETER = 'AssetBucketPrefix';

/**
 * A template synthesized as a file asset of its parent stack. Its functions are always bundled: the parent copies
 * the bundles into the code bucket, and a skipped bundle (CDK skips the stacks the CLI did not select, and `cdk
 * deploy EksEcrGuardOrg` does not select a template by its own path) has no file to copy. esbuild runs once per
 * function per synth, whichever templates share it.
 */
abstract class MemberTemplate extends StackSetStack {
  override get bundlingRequired(): boolean {
    return true;
  }
}

export interface GuardTemplateProps {
  readonly config: GuardAppConfig;
  /** The mode of every account this template reaches. */
  readonly mode: GuardMode;
  /** The org stack's code bucket: the functions' bundles are copied there, and the template reads them from it. */
  readonly assetBucket: s3.IBucket;
}

/** The guard stack of a member account, in one mode: the same construct the single-account app deploys. */
export class GuardTemplate extends MemberTemplate {
  readonly mode: GuardMode;
  readonly guard: EksEcrGuard;
  readonly trail: GuardTrail | undefined;

  constructor(scope: Stack, id: string, props: GuardTemplateProps) {
    super(scope, id, {
      assetBuckets: [props.assetBucket],
      // Resolved in the member account: `<prefix>-<member stack's Region>`, the org stack's bucket in that Region.
      assetBucketPrefix: Fn.ref(ASSET_BUCKET_PREFIX_PARAMETER),
    });
    this.templateOptions.description = `eks-ecr-guard (${props.mode} mode, deployed by a StackSet): detects${
      props.mode === 'remediate' ? ' and removes' : ''
    } ECR write access on EKS node roles (CIS EKS 5.1.3)`;
    new CfnParameter(this, ASSET_BUCKET_PREFIX_PARAMETER, {
      type: 'String',
      description: "Name of the org stack's code bucket without its -<region> suffix (set by the StackSet)",
      allowedPattern: '^[a-z0-9][a-z0-9.-]{2,48}$',
    });
    this.mode = props.mode;
    const config: GuardAppConfig = { ...props.config, mode: props.mode };
    this.guard = new EksEcrGuard(this, 'Guard', guardPropsFromConfig(this, config));
    this.trail = config.createTrail ? new GuardTrail(this, 'Trail') : undefined;
  }
}

export interface ForwarderTemplateProps {
  /** The member accounts' guard Regions. */
  readonly members: DeploymentTarget;
  /** The template for IAM's event Region (true) or for every other watched Region (false). */
  readonly iamEventRegion: boolean;
  readonly operationsEmails: readonly string[];
}

/**
 * The forwarder of a member account. IAM's: deployed to IAM's event Region only, forwarding IAM's events (and the
 * EKS/ECR ones when that Region is watched). Regional: one template for every other watched Region, each instance
 * forwarding the events that originated in its own Region (`AWS::Region`).
 */
export class ForwarderTemplate extends MemberTemplate {
  readonly forwarding: EventForwarding;

  constructor(scope: Stack, id: string, props: ForwarderTemplateProps) {
    super(scope, id);
    const { homeRegion, iamEventRegion, watchRegions } = props.members;
    const forwarding = {
      homeRegion,
      sourceRegion: props.iamEventRegion ? iamEventRegion : Aws.REGION,
      forwardIamEvents: props.iamEventRegion,
      forwardRegionalEvents: props.iamEventRegion ? watchRegions.includes(iamEventRegion) : true,
      operationsEmails: props.operationsEmails,
    };
    this.templateOptions.description = `eks-ecr-guard (deployed by a StackSet): forwards ${forwardedSources(forwarding)} change events to the default event bus in ${homeRegion}`;
    this.forwarding = addEventForwarding(this, forwarding);
  }
}
