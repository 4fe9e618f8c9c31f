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
  /**
   * Regions whose EKS/ECR events reach the guard in real time, the home Region first (its own rule matches them);
   * every other one gets a forwarding rule. Config `watchRegions`, else `eksRegions`, else the home Region alone.
   */
  readonly watchRegions: readonly string[];
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
  const watchKey = config.watchRegions.length > 0 ? 'watchRegions' : 'eksRegions';
  const chosen = config.watchRegions.length > 0 ? config.watchRegions : config.eksRegions;
  const watchRegions = resolveWatchRegions(chosen, homeRegion, watchKey);
  return { account: nonEmpty(env.CDK_DEFAULT_ACCOUNT), homeRegion, iamEventRegion, watchRegions };
}

/**
 * The watched Regions, home first; each must be able to forward to the home Region's bus. `key` names the config
 * key the Regions came from (`watchRegions`, `eksRegions`, or `stackSetRegions` for the member accounts).
 */
export function resolveWatchRegions(chosen: readonly string[], homeRegion: string, key: string): string[] {
  const others = chosen.filter((region) => region !== homeRegion);
  const unreachable = others.find(
    (region) =>
      !supportsCrossRegionBusTargets(region) ||
      !supportsCrossRegionBusTargets(homeRegion) ||
      iamEventRegionFor(region) !== iamEventRegionFor(homeRegion),
  );
  if (unreachable !== undefined) {
    throw new GuardConfigError(
      key,
      `"${unreachable}" cannot forward events to ${homeRegion}: EventBridge forwards across Regions only between commercial Regions`,
      `commercial Region codes (or only the home Region ${homeRegion}); set ${key === 'stackSetRegions' ? key : 'watchRegions'} to narrow the list`,
    );
  }
  return [homeRegion, ...others];
}

/** Whether a Region needs a forwarder stack: the IAM event Region (when not home), and every other watched one. */
export function forwarderRegions(target: DeploymentTarget): string[] {
  const regions = target.watchRegions.filter((region) => region !== target.homeRegion);
  return needsForwarder(target) && !regions.includes(target.iamEventRegion)
    ? [target.iamEventRegion, ...regions]
    : regions;
}

export function needsForwarder(target: DeploymentTarget): boolean {
  return target.homeRegion !== target.iamEventRegion;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
