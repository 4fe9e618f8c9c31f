// Infrastructure (CDK) layer: turns the organization keys of the config into the plan of the org deployment (which
// OUs get which mode, where the member accounts' stack instances go), or a config error naming the key.
import { type GuardAppConfig, GuardConfigError, type StackSetCallAs } from '../config';
import { type DeploymentTarget, iamEventRegionFor, resolveWatchRegions } from '../deployment-target';

/** CloudFormation takes at most 50 OUs per CreateStackInstances call (AWS-FACTS §19). */
export const MAX_ORGANIZATIONAL_UNITS = 50;

export interface OrgDeploymentPlan {
  /** Target OUs (or roots) whose accounts get the alert-only guard. */
  readonly alertOrganizationalUnits: readonly string[];
  /** Target OUs (or roots) whose accounts get the remediating guard. */
  readonly remediateOrganizationalUnits: readonly string[];
  readonly callAs: StackSetCallAs;
  /**
   * Where the guard goes in every member account, seen like a single-account target without an account: the home
   * Region (the org stack's own Region, where the code bucket is), IAM's event Region, and the watched Regions
   * (`stackSetRegions`, home first).
   */
  readonly members: DeploymentTarget;
  /** The organization allowed to read the code bucket; undefined = the org stack asks for it at deploy time. */
  readonly organizationId: string | undefined;
}

/** Any target OU turns the app into the organization deployment (StackSets instead of the account's stacks). */
export function isOrgDeployment(config: GuardAppConfig): boolean {
  return config.organizationalUnits.length > 0 || config.remediateOrganizationalUnits.length > 0;
}

/** The plan for an org deployment from the admin account's `target`. Throws GuardConfigError on a bad combination. */
export function resolveOrgDeployment(config: GuardAppConfig, target: DeploymentTarget): OrgDeploymentPlan {
  const overlap = config.remediateOrganizationalUnits.find((ou) => config.organizationalUnits.includes(ou));
  if (overlap !== undefined) {
    throw new GuardConfigError(
      'remediateOrganizationalUnits',
      `"${overlap}" is also in organizationalUnits, and an OU gets one mode`,
      'OU ids that are not in organizationalUnits (organizationalUnits = alert only, remediateOrganizationalUnits = remediate)',
    );
  }
  const targets = new Set([...config.organizationalUnits, ...config.remediateOrganizationalUnits]);
  if (targets.size > MAX_ORGANIZATIONAL_UNITS) {
    throw new GuardConfigError(
      'organizationalUnits',
      `${targets.size} target OUs in organizationalUnits and remediateOrganizationalUnits together`,
      `at most ${MAX_ORGANIZATIONAL_UNITS} OU ids in all (target a parent OU or the root instead)`,
    );
  }
  if (config.mode === 'remediate') {
    throw new GuardConfigError(
      'mode',
      'got "remediate", but with organizationalUnits the mode is chosen per OU',
      'alert (list the OUs to fix in remediateOrganizationalUnits; mode applies to a single-account deploy)',
    );
  }
  if (target.homeRegion.startsWith('cn-')) {
    throw new GuardConfigError(
      'organizationalUnits',
      `the home Region ${target.homeRegion} is in the China partition, where StackSets have no trusted access with AWS Organizations`,
      'no organizationalUnits there (deploy the guard account by account)',
    );
  }
  return {
    alertOrganizationalUnits: config.organizationalUnits,
    remediateOrganizationalUnits: config.remediateOrganizationalUnits,
    callAs: config.callAs,
    members: memberTarget(config, target),
    organizationId: config.organizationId,
  };
}

function memberTarget(config: GuardAppConfig, target: DeploymentTarget): DeploymentTarget {
  const { homeRegion } = target;
  if (config.stackSetRegions.length > 0 && !config.stackSetRegions.includes(homeRegion)) {
    throw new GuardConfigError(
      'stackSetRegions',
      `the list leaves out the home Region ${homeRegion}, where the member accounts' guard and its code bucket live`,
      `Region codes that include ${homeRegion} (or set region to the first one)`,
    );
  }
  const chosen = config.stackSetRegions.length > 0 ? config.stackSetRegions : target.watchRegions;
  return {
    account: undefined,
    homeRegion,
    iamEventRegion: iamEventRegionFor(homeRegion),
    watchRegions: resolveWatchRegions(chosen, homeRegion, 'stackSetRegions'),
  };
}
