// Infrastructure (CDK) layer: composes the app's stacks (home guard stack, plus a forwarder in the Region where
// IAM events arrive and in every other watched Region) and says which Regions are watched in real time.
import { Annotations, type App, type Stack } from 'aws-cdk-lib';
import {
  checkContextKeys,
  type GuardAppConfig,
  GuardConfigError,
  hasNoAlertSubscriber,
  loadGuardConfig,
} from './config';
import { type DeploymentTarget, forwarderRegions, needsForwarder } from './deployment-target';
import { EventForwarderStack } from './event-forwarder-stack';
import { EksEcrGuardStack } from './guard-stack';

export const HOME_STACK_NAME = 'EksEcrGuard';
/** The forwarder in the Region where IAM events arrive (it also forwards EKS/ECR events when that Region is watched). */
export const FORWARDER_STACK_NAME = 'EksEcrGuardIamForwarder';
/** The forwarder of a watched Region that is neither home nor IAM's: `EksEcrGuardForwarder-<region>`. */
export const REGIONAL_FORWARDER_STACK_PREFIX = 'EksEcrGuardForwarder-';

export interface GuardStacks {
  readonly home: EksEcrGuardStack;
  /** Present only when the home Region is not the one where IAM events arrive. */
  readonly forwarder: EventForwarderStack | undefined;
  /** One per watched Region other than the home Region and IAM's event Region, in the order configured. */
  readonly regionalForwarders: readonly EventForwarderStack[];
}

/** The id of the synth warning shown when no one receives the alerts. */
export const NO_SUBSCRIBER_WARNING = 'eks-ecr-guard:noAlertSubscriber';

/** Reads the app's context once: an unknown guard key fails (naming the closest known key), then every key is parsed. */
export function loadAppConfig(app: App): GuardAppConfig {
  const context: unknown = app.node.getAllContext();
  checkContextKeys(typeof context === 'object' && context !== null ? { ...context } : {});
  return loadGuardConfig((key) => app.node.tryGetContext(key));
}

/**
 * Runs a CDK app entry point: a config error is one line on stderr and exit code 1 (no stack trace); any other
 * error is thrown as it is.
 */
export function runGuardApp(main: () => void): void {
  try {
    main();
  } catch (error) {
    if (!(error instanceof GuardConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  }
}

/** Synth warns (acknowledgeable) when no alert e-mail, chat topic, existing topic or central topic is configured. */
export function warnWhenNobodySubscribed(
  stack: Stack,
  config: GuardAppConfig,
  alerts: string,
  topic: string,
): void {
  if (!hasNoAlertSubscriber(config)) return;
  Annotations.of(stack).addWarningV2(
    NO_SUBSCRIBER_WARNING,
    `Nobody is subscribed to ${alerts}: set notificationEmails, chatTopicArn, alertTopicArn or centralAlertTopicArn ` +
      `(cdk.json "context" or -c key=value), or subscribe to ${topic} after deploy.`,
  );
}

export function addGuardStacks(app: App, config: GuardAppConfig, target: DeploymentTarget): GuardStacks {
  const home = new EksEcrGuardStack(app, HOME_STACK_NAME, {
    env: { account: target.account, region: target.homeRegion },
    config,
  });
  warnWhenNobodySubscribed(home, config, 'alerts', 'the alert topic');
  const watched = new Set(target.watchRegions);
  let forwarder: EventForwarderStack | undefined;
  const regionalForwarders: EventForwarderStack[] = [];
  for (const region of forwarderRegions(target)) {
    const isIamRegion = needsForwarder(target) && region === target.iamEventRegion;
    const stack = new EventForwarderStack(
      app,
      isIamRegion ? FORWARDER_STACK_NAME : `${REGIONAL_FORWARDER_STACK_PREFIX}${region}`,
      {
        env: { account: target.account, region },
        homeRegion: target.homeRegion,
        sourceRegion: region,
        forwardIamEvents: isIamRegion,
        forwardRegionalEvents: watched.has(region),
        operationsEmails: config.operationsEmails,
      },
    );
    // Deploy the rules that consume forwarded events before events start arriving.
    stack.addStackDependency(home);
    if (isIamRegion) forwarder = stack;
    else regionalForwarders.push(stack);
  }
  Annotations.of(home).addInfo(watchedRegionsNote(target, config));
  return { home, forwarder, regionalForwarders };
}

/** What synth says about coverage: the Regions watched in real time, and what covers the others. */
export function watchedRegionsNote(target: DeploymentTarget, config: GuardAppConfig): string {
  const [home, ...others] = target.watchRegions;
  const realTime = [`${home} (home)`, ...others].join(', ');
  const rest =
    config.sweepSchedule === undefined
      ? 'EKS/ECR changes in other Regions are not seen until an audit runs (no sweep is scheduled)'
      : `other Regions are covered by the scheduled sweep only (${config.sweepSchedule})`;
  return `eks-ecr-guard: EKS/ECR changes are watched in real time in ${realTime}; ${rest}. Set watchRegions to change the list.`;
}
