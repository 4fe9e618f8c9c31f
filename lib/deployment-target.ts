// Infrastructure (CDK) layer: decides where the stacks go (home region, the region IAM events arrive in).
import { type GuardAppConfig, GuardConfigError } from './config';

/**
 * Where the app deploys. `account` is undefined when no credentials resolve one: the stacks are then
 * account-agnostic (pseudo parameters) and `cdk deploy` fills the account in. The regions are always
 * explicit, because the app has to know whether the home region is the one that receives IAM events.
 */
export interface DeploymentTarget {
  readonly account: string | undefined;
  readonly homeRegion: string;
  /** Region whose default bus receives IAM's CloudTrail events (global service, one home per partition). */
  readonly iamEventRegion: string;
}

/** Where IAM (a global service) delivers its CloudTrail events, per partition. */
export function iamEventRegionFor(region: string): string {
  if (region.startsWith('cn-')) return 'cn-north-1';
  // GovCloud: IAM's endpoint lives in us-gov-west-1. Not verified against a live GovCloud account.
  if (region.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

/** Cross-Region event bus targets exist only between commercial Regions. */
function supportsCrossRegionBusTargets(region: string): boolean {
  return !region.startsWith('cn-') && !region.startsWith('us-gov-');
}

export interface TargetSources {
  readonly config: GuardAppConfig;
  /** Usually process.env (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION, set by the CDK CLI from the profile). */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Where IAM events arrive in the `aws` partition: the home Region when nothing else is configured. */
const DEFAULT_HOME_REGION = 'us-east-1';

/** Home Region: context `region`, else CDK_DEFAULT_REGION, else us-east-1 (no forwarding needed there). */
export function resolveDeploymentTarget({ config, env }: TargetSources): DeploymentTarget {
  const homeRegion = config.region ?? nonEmpty(env.CDK_DEFAULT_REGION) ?? DEFAULT_HOME_REGION;
  const iamEventRegion = iamEventRegionFor(homeRegion);
  if (homeRegion !== iamEventRegion && !supportsCrossRegionBusTargets(homeRegion)) {
    throw new GuardConfigError(
      'region',
      `"${homeRegion}" cannot receive IAM events: EventBridge forwards across Regions only between commercial Regions`,
      `${iamEventRegion} (where IAM events arrive in this partition)`,
    );
  }
  return { account: nonEmpty(env.CDK_DEFAULT_ACCOUNT), homeRegion, iamEventRegion };
}

export function needsForwarder(target: DeploymentTarget): boolean {
  return target.homeRegion !== target.iamEventRegion;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
