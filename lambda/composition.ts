// Composition root shared by the Lambda handlers, the CLI and the demo: builds SDK clients, gateways, the account
// view and the use cases from settings, and wires them into the event pipeline (use case handle-event).
import { LiveAccountView } from './account/live';
import { ECR_SERVICE_ENDPOINT, type LambdaSettings, PULL_BRIDGE_POLICY_NAME } from './contract';
import { evaluationSettings } from './evaluation-settings';
import { type AwsClients, type ClientTarget, createAwsClients } from './gateways/aws-clients';
import { CloudTrailGateway } from './gateways/cloudtrail-gateway';
import { EksGateway } from './gateways/eks-gateway';
import { IamGateway } from './gateways/iam-gateway';
import { RegionsGateway } from './gateways/regions-gateway';
import { SecurityHubGateway } from './gateways/securityhub-gateway';
import { SnsGateway } from './gateways/sns-gateway';
import { ChangeEvaluator } from './usecases/evaluate-change';
import type { EventPipeline } from './usecases/handle-event';
import { Notifier, type NotifierOptions } from './usecases/notify';
import { FindingsPublisher } from './usecases/publish-findings';
import { pullCoverage, Remediator } from './usecases/remediate';
import { type GuardLogger, type GuardMetrics, noMetrics, silentLogger } from './usecases/telemetry';
import { UsageLookup } from './usecases/usage-evidence';

// The evaluation settings live apart (no SDK behind them) for the CLI's offline paths; re-exported for the others.
export { evaluationSettings, todayUtc } from './evaluation-settings';
export type { AwsClients } from './gateways/aws-clients';
export type { GuardLogger, GuardMetrics } from './usecases/telemetry';
export { noMetrics, silentLogger } from './usecases/telemetry';

/** Where the clients' credentials come from: the default chain, a named profile, or given credentials. */
export type ClientCredentials = Omit<ClientTarget, 'region'>;

/** Standard SDK retries in adaptive mode; endpoints from the standard settings (AWS_ENDPOINT_URL...). */
export function defaultClients(
  region = process.env.AWS_REGION ?? 'us-east-1',
  from: ClientCredentials = {},
): AwsClients {
  return createAwsClients({ ...from, region });
}

/** `read` answered from its last success for `ttlMs` (0: never kept); a failure is not kept. */
function keptFor<T>(ttlMs: number, now: () => number, read: () => Promise<T>): () => Promise<T> {
  let kept: { readonly value: T; readonly at: number } | null = null;
  return async () => {
    if (kept !== null && now() - kept.at < ttlMs) return kept.value;
    const value = await read();
    kept = { value, at: now() };
    return value;
  };
}

/** Everything built for one container: the event pipeline plus what the CLI, the demo and the sweep reuse. */
export interface Dependencies extends EventPipeline {
  readonly settings: LambdaSettings;
  readonly iam: IamGateway;
  readonly view: LiveAccountView;
  readonly evaluator: ChangeEvaluator;
  readonly remediator: Remediator;
  readonly notifier: Notifier;
  readonly findings: FindingsPublisher | null;
  readonly logger: GuardLogger;
  readonly metrics: GuardMetrics;
  readonly now: () => number;
  readonly usage: UsageLookup;
}

export interface BuildOptions {
  readonly logger?: GuardLogger;
  readonly metrics?: GuardMetrics;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly today?: () => string;
}

export function buildDependencies(
  settings: LambdaSettings,
  clients: AwsClients,
  options: BuildOptions = {},
): Dependencies {
  const { config, partition } = settings;
  const iam = new IamGateway(clients.iam);
  const eks = new EksGateway(clients.eksFor);
  const regionsGateway = new RegionsGateway(clients.account);
  const now = options.now ?? Date.now;
  // The enabled Regions change rarely: read once per node-role cache TTL (the inventory and the usage lookup share it).
  const regions =
    config.eksRegions.length > 0
      ? async () => config.eksRegions
      : keptFor(config.nodeRoleCacheTtlSeconds * 1000, now, () => regionsGateway.enabledRegions());
  const view = new LiveAccountView({
    iam,
    eks,
    regions,
    accountId: settings.accountId,
    partition,
    nodeRoleCacheTtlSeconds: config.nodeRoleCacheTtlSeconds,
    eksConcurrency: config.eksConcurrency,
    now,
  });
  const evaluation = evaluationSettings(config, partition, options.today);
  const evaluator = new ChangeEvaluator(view, evaluation);
  const remediatorOptions = options.sleep === undefined ? {} : { sleep: options.sleep };
  const pulls = pullCoverage(
    partition,
    evaluation.pullPolicies,
    [...evaluation.nodePullActions, ...evaluation.pullAllowance],
    PULL_BRIDGE_POLICY_NAME,
  );
  const remediator = new Remediator(iam, view, evaluator, pulls, remediatorOptions);
  const logger = options.logger ?? silentLogger;
  const metrics = options.metrics ?? noMetrics;
  const findings = findingsPublisher(settings, clients, { logger, metrics, now });
  const notifier = new Notifier({
    publisher: new SnsGateway(clients.sns, clients.snsFor),
    alertTopicArn: settings.alertTopicArn,
    chatTopicArn: settings.chatTopicArn,
    mode: config.mode,
    accountId: settings.accountId,
    partition,
    replacementPolicyName: config.replacementPolicy,
    notifyExempt: config.notifyExempt,
    logger: options.logger ?? silentLogger,
    ...centralAlerts(settings, regionsGateway, { logger, now }),
  });
  const usage = new UsageLookup({
    source: new CloudTrailGateway(clients.cloudtrailFor),
    regions,
    windowDays: config.usageWindowDays,
    budgetSeconds: config.usageLookupBudgetSeconds,
    eventSource: ECR_SERVICE_ENDPOINT,
    writeEventNames: ecrWriteEventNames(evaluation.writeActionsToDeny),
    now,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
  });
  return {
    usage,
    settings,
    config,
    guardRoleArn: settings.guardRoleArn,
    iam,
    view,
    evaluator,
    remediator,
    notifier,
    findings,
    logger,
    metrics,
    now,
  };
}

/** The account name is read once an hour at most: it changes rarely, and only the central alerts show it. */
export const ACCOUNT_NAME_TTL_MS = 60 * 60 * 1000;

/**
 * The central topic and the account name reader, when a central topic is configured: the name kept for
 * ACCOUNT_NAME_TTL_MS, a failed read logged and answered with null (the subject names the id alone; the next
 * alert reads again).
 */
function centralAlerts(
  settings: LambdaSettings,
  account: RegionsGateway,
  telemetry: { readonly logger: GuardLogger; readonly now: () => number },
): Pick<NotifierOptions, 'centralAlertTopicArn' | 'accountName'> {
  const topicArn = settings.centralAlertTopicArn ?? null;
  if (topicArn === null) return {};
  const read = keptFor(ACCOUNT_NAME_TTL_MS, telemetry.now, () => account.accountName());
  return {
    centralAlertTopicArn: topicArn,
    accountName: async () => {
      try {
        return await read();
      } catch (error) {
        telemetry.logger.warn('the account name could not be read; the central alert names the account id', {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return null;
      }
    },
  };
}

/** CloudTrail event names of the ECR write actions (ECR Public has its own event source and is left out). */
export function ecrWriteEventNames(writeActions: readonly string[]): ReadonlySet<string> {
  return new Set(
    writeActions.filter((action) => action.startsWith('ecr:')).map((action) => action.slice('ecr:'.length)),
  );
}

/**
 * The Security Hub publisher when `securityHub` is on: findings go to the function's own account and Region (the
 * account's default product). Null when it is off, or when the account, the Region or the client is unknown.
 */
function findingsPublisher(
  settings: LambdaSettings,
  clients: AwsClients,
  telemetry: { readonly logger: GuardLogger; readonly metrics: GuardMetrics; readonly now: () => number },
): FindingsPublisher | null {
  if (!settings.config.securityHub) return null;
  const region = settings.region ?? null;
  if (settings.accountId === null || region === null || clients.securityHub === undefined) {
    telemetry.logger.warn('securityHub is on but findings cannot be addressed; none will be imported', {
      accountId: settings.accountId,
      region,
      client: clients.securityHub !== undefined,
    });
    return null;
  }
  return new FindingsPublisher({
    store: new SecurityHubGateway(clients.securityHub),
    target: { accountId: settings.accountId, region, partition: settings.partition },
    ...telemetry,
  });
}
