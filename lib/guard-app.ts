// Infrastructure (CDK) layer: composes the app's stacks (home guard stack, plus the forwarder when needed).
import type { App } from 'aws-cdk-lib';
import type { GuardAppConfig } from './config';
import { type DeploymentTarget, needsForwarder } from './deployment-target';
import { EksEcrGuardStack } from './guard-stack';
import { IamEventForwarderStack } from './iam-event-forwarder-stack';

export const HOME_STACK_NAME = 'EksEcrGuard';
export const FORWARDER_STACK_NAME = 'EksEcrGuardIamForwarder';

export interface GuardStacks {
  readonly home: EksEcrGuardStack;
  /** Present only when the home Region is not the one where IAM events arrive. */
  readonly forwarder: IamEventForwarderStack | undefined;
}

export function addGuardStacks(app: App, config: GuardAppConfig, target: DeploymentTarget): GuardStacks {
  const home = new EksEcrGuardStack(app, HOME_STACK_NAME, {
    env: { account: target.account, region: target.homeRegion },
    config,
  });
  if (!needsForwarder(target)) return { home, forwarder: undefined };
  const forwarder = new IamEventForwarderStack(app, FORWARDER_STACK_NAME, {
    env: { account: target.account, region: target.iamEventRegion },
    homeRegion: target.homeRegion,
    operationsEmails: config.operationsEmails,
  });
  // Deploy the rule that consumes forwarded events before events start arriving.
  forwarder.addStackDependency(home);
  return { home, forwarder };
}
