// Infrastructure (CDK) layer: composes the organization deployment (one org stack holding the StackSets) instead of
// the single-account stacks, and says what goes where.
import type { App } from 'aws-cdk-lib';
import type { GuardAppConfig } from '../config';
import type { DeploymentTarget } from '../deployment-target';
import { forwarderRegions, needsForwarder } from '../deployment-target';
import { warnWhenNobodySubscribed } from '../guard-app';
import { EksEcrGuardOrgStack, ORG_STACK_SET_NAMES, ORGANIZATION_ID_PARAMETER } from './org-deployment-stack';
import { type OrgDeploymentPlan, resolveOrgDeployment } from './org-plan';

export const ORG_STACK_NAME = 'EksEcrGuardOrg';

export interface OrgDeployment {
  readonly plan: OrgDeploymentPlan;
  readonly stack: EksEcrGuardOrgStack;
}

/** The org stack, in the admin account's home Region. Throws GuardConfigError on a bad organization config. */
export function addOrgDeployment(app: App, config: GuardAppConfig, target: DeploymentTarget): OrgDeployment {
  const plan = resolveOrgDeployment(config, target);
  const stack = new EksEcrGuardOrgStack(app, ORG_STACK_NAME, {
    env: { account: target.account, region: target.homeRegion },
    config,
    plan,
  });
  warnWhenNobodySubscribed(stack, config, "the member accounts' alerts", "each account's alert topic");
  return { plan, stack };
}

/** What synth says about an org deployment: the StackSets, their OUs and Regions, and what is left to the user. */
export function orgDeploymentNote({ plan }: OrgDeployment): string {
  const { members } = plan;
  const lines = [
    `eks-ecr-guard: organization deployment (${ORG_STACK_NAME}, callAs ${plan.callAs}), guard Region ${members.homeRegion}:`,
  ];
  const guards: Array<[string, readonly string[]]> = [
    [ORG_STACK_SET_NAMES.alertGuard, plan.alertOrganizationalUnits],
    [ORG_STACK_SET_NAMES.remediateGuard, plan.remediateOrganizationalUnits],
  ];
  for (const [name, ous] of guards) {
    if (ous.length > 0) lines.push(`  ${name}: ${ous.join(', ')} in ${members.homeRegion}`);
  }
  const regions = forwarderRegions(members);
  if (needsForwarder(members)) {
    lines.push(`  ${ORG_STACK_SET_NAMES.iamForwarder}: every target OU in ${members.iamEventRegion}`);
  }
  const regional = regions.filter((region) => !needsForwarder(members) || region !== members.iamEventRegion);
  if (regional.length > 0) {
    lines.push(`  ${ORG_STACK_SET_NAMES.regionalForwarder}: every target OU in ${regional.join(', ')}`);
  }
  lines.push(
    '  The management account is never a target of service-managed StackSets: deploy the guard there with a plain cdk deploy (docs/organizations.md).',
  );
  if (plan.organizationId === undefined) {
    lines.push(
      `  organizationId is not set: pass --parameters ${ORG_STACK_NAME}:${ORGANIZATION_ID_PARAMETER}=o-... to cdk deploy.`,
    );
  }
  return lines.join('\n');
}
