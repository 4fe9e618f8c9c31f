// Use case "check deploy": with the caller's own credentials, verifies that a deployed guard can see IAM changes
// (stacks, rule, trail, subscriptions), then proves it end to end with one harmless change on a throw-away role
// and waits for the event function's log line. Every step is reported; the role is always removed.
import {
  CHECK_DEPLOY_ROLE_PREFIX,
  CHECK_DEPLOY_SEEN_MESSAGE,
  CHECK_DEPLOY_TAG_KEY,
  EXEMPT_TAG_KEY,
  STACK_OUTPUT_KEYS,
} from '../contract';

/** One stack as DescribeStacks tells it; null when it does not exist. */
export interface StackState {
  readonly status: string;
  readonly outputs: Readonly<Record<string, string>>;
}

export interface TrailState {
  readonly name: string;
  readonly arn: string;
  readonly homeRegion: string;
  readonly multiRegion: boolean;
  readonly includesGlobalServiceEvents: boolean;
  readonly logging: boolean;
}

export interface SubscriptionState {
  readonly protocol: string;
  readonly endpoint: string;
  /** SNS says `PendingConfirmation` instead of a subscription ARN until the address confirms. */
  readonly pending: boolean;
}

/** The reads and the few writes the check makes: one gateway per service behind it. */
export interface DeployProbe {
  stack(name: string, region: string): Promise<StackState | null>;
  /** Names of the stack's resources of one type (DescribeStackResources). */
  stackResources(name: string, region: string, type: string): Promise<readonly string[]>;
  /** `ENABLED`, `DISABLED`..., null when there is no such rule. */
  ruleState(name: string, region: string): Promise<string | null>;
  trails(region: string): Promise<readonly TrailState[]>;
  subscriptions(topicArn: string, region: string): Promise<readonly SubscriptionState[]>;
  createTestRole(name: string, trustPolicy: string, tags: Readonly<Record<string, string>>): Promise<void>;
  putTestPolicy(roleName: string, policyName: string, document: string): Promise<void>;
  /** Removes the inline policy (when present) and the role; a role already gone is not an error. */
  deleteTestRole(roleName: string, policyName: string): Promise<void>;
  /** Whether a log line matching the filter pattern was written since `sinceMs`. */
  logLineSeen(logGroup: string, region: string, filterPattern: string, sinceMs: number): Promise<boolean>;
}

export interface CheckDeployOptions {
  readonly homeRegion: string;
  /** Where IAM events arrive (us-east-1 in the commercial partition). */
  readonly iamEventRegion: string;
  readonly stackName: string;
  readonly forwarderStackName: string;
  /** Read-only: no throw-away role, no end-to-end proof. */
  readonly noChange: boolean;
  /** How long to wait for the guard's log line. @default 300 s */
  readonly timeoutMs?: number;
  readonly pollIntervalMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Suffix of the throw-away role's name. @default random */
  readonly suffix?: () => string;
}

export interface CheckStep {
  readonly name: string;
  readonly ok: boolean;
  /** What was found. */
  readonly detail: string;
  /** What to do when it failed. */
  readonly fix?: string;
}

export interface CheckDeployReport {
  readonly ok: boolean;
  readonly steps: readonly CheckStep[];
}

const HOME_RULE_FIX =
  'enable it: aws events enable-rule --name <rule> (or redeploy the stack); without it no IAM change reaches the guard';
const CHANGE_POLICY_NAME = 'eks-ecr-guard-check-deploy';
/** Grants nothing: the role cannot do anything even if someone could assume it. */
const DENY_EVERYTHING = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'CheckDeployGrantsNothing', Effect: 'Deny', Action: '*', Resource: '*' }],
});
/**
 * A trust nobody can use: EC2 may assume it only from account 000000000000, which no one has, and no instance
 * profile is ever made for it.
 */
const UNUSABLE_TRUST = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'ec2.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': '000000000000' } },
    },
  ],
});

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

export async function checkDeploy(
  probe: DeployProbe,
  options: CheckDeployOptions,
): Promise<CheckDeployReport> {
  const steps: CheckStep[] = [];
  const step: Step = async (name, run, fix = 'check your credentials, their permissions and the Region') => {
    try {
      const result = await run();
      steps.push({ name, ...result });
      return result.ok;
    } catch (error) {
      steps.push({ name, ok: false, detail: errorText(error), fix });
      return false;
    }
  };
  const forwarded = options.homeRegion !== options.iamEventRegion;

  let outputs: Readonly<Record<string, string>> = {};
  await step(`stack ${options.stackName} (${options.homeRegion})`, async () => {
    const stack = await probe.stack(options.stackName, options.homeRegion);
    if (stack === null) return missingStack(options.stackName, options.homeRegion);
    outputs = stack.outputs;
    return stackResult(stack);
  });
  if (forwarded) {
    await step(`stack ${options.forwarderStackName} (${options.iamEventRegion})`, async () => {
      const stack = await probe.stack(options.forwarderStackName, options.iamEventRegion);
      if (stack === null) return missingStack(options.forwarderStackName, options.iamEventRegion);
      return stackResult(stack);
    });
  }

  const ruleName = outputs[STACK_OUTPUT_KEYS.eventRuleName];
  await step(`rule ${ruleName ?? '(unknown)'} (${options.homeRegion})`, async () =>
    ruleName === undefined
      ? { ok: false, detail: 'the stack has no rule output', fix: 'redeploy the stack with this version' }
      : ruleResult(await probe.ruleState(ruleName, options.homeRegion), HOME_RULE_FIX),
  );
  if (forwarded) {
    await step(`forwarding rule (${options.iamEventRegion})`, async () => {
      const names = await probe.stackResources(
        options.forwarderStackName,
        options.iamEventRegion,
        'AWS::Events::Rule',
      );
      const [name] = names;
      if (name === undefined)
        return { ok: false, detail: 'no rule in the forwarder stack', fix: 'redeploy the forwarder stack' };
      return ruleResult(
        await probe.ruleState(name, options.iamEventRegion),
        `enable it in ${options.iamEventRegion}: IAM events arrive only there and must be forwarded`,
      );
    });
  }

  await step('trail', async () =>
    trailResult(await probe.trails(options.iamEventRegion), options.iamEventRegion),
  );

  for (const [label, key] of [
    ['alert', STACK_OUTPUT_KEYS.alertTopicArn],
    ['operations', STACK_OUTPUT_KEYS.operationsTopicArn],
  ] as const) {
    const topicArn = outputs[key];
    if (topicArn === undefined) continue;
    await step(`${label} topic subscriptions`, async () =>
      subscriptionResult(label, await probe.subscriptions(topicArn, options.homeRegion)),
    );
  }

  if (!options.noChange) await endToEnd(probe, options, outputs, step);
  return { ok: steps.every((s) => s.ok), steps };
}

/** Runs one check and records it; a thrown error is a failed step with `fix` as what to do. */
type Step = (name: string, run: () => Promise<Omit<CheckStep, 'name'>>, fix?: string) => Promise<boolean>;

/** One watched change on a throw-away role, the wait for the guard's log line, and the role removed always. */
async function endToEnd(
  probe: DeployProbe,
  options: CheckDeployOptions,
  outputs: Readonly<Record<string, string>>,
  step: Step,
): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const logGroup = outputs[STACK_OUTPUT_KEYS.eventLogGroupName];
  const suffix = (options.suffix ?? (() => Math.random().toString(36).slice(2, 10)))();
  const roleName = `${CHECK_DEPLOY_ROLE_PREFIX}${suffix}`;
  const started = now();
  let created = false;
  try {
    created = await step(`throw-away role ${roleName}`, async () => {
      await probe.createTestRole(roleName, UNUSABLE_TRUST, {
        [CHECK_DEPLOY_TAG_KEY]: 'made by eks-ecr-guard check-deploy; safe to delete',
        // Remediate mode never touches it (and IAM refuses the guard's writes on it).
        [EXEMPT_TAG_KEY]: 'check-deploy test role',
      });
      return { ok: true, detail: 'created (trusted by no one, no permission)' };
    });
    if (!created) return;
    const changed = await step('watched change (PutRolePolicy that denies everything)', async () => {
      await probe.putTestPolicy(roleName, CHANGE_POLICY_NAME, DENY_EVERYTHING);
      return { ok: true, detail: `put ${CHANGE_POLICY_NAME} on ${roleName}` };
    });
    if (!changed) return;
    await step('the guard saw the change', async () => {
      if (logGroup === undefined)
        return {
          ok: false,
          detail: 'the stack has no log group output',
          fix: 'redeploy the stack with this version',
        };
      const pattern = `{ $.message = "${CHECK_DEPLOY_SEEN_MESSAGE}" && $.role = "${roleName}" }`;
      const timeoutMs = options.timeoutMs ?? 300_000;
      const interval = options.pollIntervalMs ?? 10_000;
      for (;;) {
        if (await probe.logLineSeen(logGroup, options.homeRegion, pattern, started - 60_000)) {
          return {
            ok: true,
            detail: `logged in ${logGroup} after ${Math.round((now() - started) / 1000)} s`,
          };
        }
        if (now() - started >= timeoutMs) break;
        await sleep(interval);
      }
      return {
        ok: false,
        detail: `no log line in ${logGroup} within ${Math.round(timeoutMs / 1000)} s`,
        fix:
          'check the trail is logging management events, the rule (and the us-east-1 forwarder) is enabled, and ' +
          "the event function's errors and the failure queue; CloudTrail can take a few minutes: retry with --timeout",
      };
    });
  } finally {
    if (created) {
      await step(
        `removed ${roleName}`,
        async () => {
          await probe.deleteTestRole(roleName, CHANGE_POLICY_NAME);
          return { ok: true, detail: 'deleted' };
        },
        `delete it by hand: aws iam delete-role-policy --role-name ${roleName} --policy-name ${CHANGE_POLICY_NAME}; ` +
          `aws iam delete-role --role-name ${roleName}`,
      );
    }
  }
}

function missingStack(name: string, region: string): Omit<CheckStep, 'name'> {
  return {
    ok: false,
    detail: `no stack ${name} in ${region}`,
    fix: 'deploy it (npx cdk deploy --all), or give --stack-name / --region',
  };
}

function stackResult(stack: StackState): Omit<CheckStep, 'name'> {
  const ok = /_COMPLETE$/.test(stack.status) && !/ROLLBACK|DELETE/.test(stack.status);
  return ok
    ? { ok, detail: stack.status }
    : { ok, detail: stack.status, fix: 'look at the stack events in CloudFormation, fix, and deploy again' };
}

function ruleResult(state: string | null, fix: string): Omit<CheckStep, 'name'> {
  if (state === null) return { ok: false, detail: 'the rule does not exist', fix: 'redeploy the stack' };
  return state === 'ENABLED' ? { ok: true, detail: 'ENABLED' } : { ok: false, detail: state, fix };
}

function trailResult(trails: readonly TrailState[], iamEventRegion: string): Omit<CheckStep, 'name'> {
  const covering = trails.filter(
    (trail) =>
      trail.includesGlobalServiceEvents && (trail.multiRegion || trail.homeRegion === iamEventRegion),
  );
  const logging = covering.find((trail) => trail.logging);
  if (logging !== undefined) {
    return { ok: true, detail: `${logging.name} is logging IAM events (${iamEventRegion})` };
  }
  if (covering.length > 0) {
    const names = covering.map((trail) => trail.name).join(', ');
    return {
      ok: false,
      detail: `${names}: not logging`,
      fix: `start it: aws cloudtrail start-logging --name ${covering[0]?.arn ?? '<trail>'}`,
    };
  }
  return {
    ok: false,
    detail: `no trail records IAM events in ${iamEventRegion}`,
    fix: 'create a multi-Region trail with global service events, or deploy with -c createTrail=true',
  };
}

function subscriptionResult(
  label: string,
  subscriptions: readonly SubscriptionState[],
): Omit<CheckStep, 'name'> {
  const pending = subscriptions.filter((s) => s.pending);
  const confirmed = subscriptions.length - pending.length;
  if (pending.length > 0) {
    return {
      ok: false,
      detail: `${pending.map((s) => s.endpoint).join(', ')} not confirmed (${confirmed} confirmed)`,
      fix: 'open the "AWS Notification - Subscription Confirmation" e-mail and confirm (check the spam folder)',
    };
  }
  if (confirmed === 0) {
    return {
      ok: false,
      detail: `no one is subscribed to the ${label} topic`,
      fix: `subscribe someone: -c ${label === 'alert' ? 'notificationEmails' : 'operationsEmails'}=you@example.com`,
    };
  }
  return { ok: true, detail: `${confirmed} confirmed` };
}
