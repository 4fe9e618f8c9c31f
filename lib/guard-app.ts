// Infrastructure (CDK) layer: composes the app's stacks (home guard stack, plus the forwarder when needed).
import { Annotations, type App } from 'aws-cdk-lib';
import { checkContextKeys, type GuardAppConfig, hasNoAlertSubscriber, loadGuardConfig } from './config';
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

/** The id of the synth warning shown when no one receives the alerts. */
export const NO_SUBSCRIBER_WARNING = 'eks-ecr-guard:noAlertSubscriber';

/** Reads the app's context once: an unknown guard key fails (naming the closest known key), then every key is parsed. */
export function loadAppConfig(app: App): GuardAppConfig {
  const context: unknown = app.node.getAllContext();
  checkContextKeys(typeof context === 'object' && context !== null ? { ...context } : {});
  return loadGuardConfig((key) => app.node.tryGetContext(key));
}

export function addGuardStacks(app: App, config: GuardAppConfig, target: DeploymentTarget): GuardStacks {
  const home = new EksEcrGuardStack(app, HOME_STACK_NAME, {
    env: { account: target.account, region: target.homeRegion },
    config,
  });
  if (hasNoAlertSubscriber(config)) {
    Annotations.of(home).addWarningV2(
      NO_SUBSCRIBER_WARNING,
      'Nobody is subscribed to alerts: set notificationEmails, chatTopicArn or alertTopicArn ' +
        '(cdk.json "context" or -c key=value), or subscribe to the alert topic after deploy.',
    );
  }
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
