// Composition root shared by the Lambda handlers, the CLI and the demo: builds gateways, the account view
// and the use cases from settings and SDK clients; `processEvent` is the event path from raw event to alerts.
import { AccountClient } from '@aws-sdk/client-account';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { SNSClient } from '@aws-sdk/client-sns';
import { LiveAccountView } from './account/live';
import { GUARD_POLICY_NAME, type GuardConfig, type LambdaSettings, PULL_BRIDGE_POLICY_NAME } from './config';
import { NODE_PULL_ACTIONS, pullAllowance, WRITE_ACTIONS } from './domain/catalogue';
import { ignoredDecision } from './domain/decision';
import { KNOWN_WRITE_MANAGED_POLICIES, REPLACEMENT_POLICIES } from './domain/managed-policies';
import type { Decision, RemediationOutcome } from './domain/types';
import { guardActorArn, parseRoleChangeEvent } from './events/role-change';
import { EksGateway } from './gateways/eks-gateway';
import { IamGateway } from './gateways/iam-gateway';
import { RegionsGateway } from './gateways/regions-gateway';
import { SnsGateway } from './gateways/sns-gateway';
import { ChangeEvaluator, type EvaluationSettings } from './usecases/evaluate-change';
import { Notifier } from './usecases/notify';
import { pullCoverage, Remediator, shouldRemediate } from './usecases/remediate';

/** The SDK clients the guard uses; built once per container (or handed in by tests and the demo). */
export interface AwsClients {
  readonly iam: IAMClient;
  readonly eksFor: (region: string) => EKSClient;
  readonly sns: SNSClient;
  readonly account: AccountClient;
}

/** Where the clients' credentials come from: the default chain, a named profile, or given credentials. */
export interface ClientCredentials {
  /** A profile of the shared config files (`--profile`). */
  readonly profile?: string;
  /** Temporary credentials (an assumed role's, for `audit --org`). */
  readonly credentials?: {
    readonly accessKeyId: string;
    readonly secretAccessKey: string;
    readonly sessionToken?: string;
    readonly expiration?: Date;
  };
}

/** Standard SDK retries in adaptive mode; endpoints from the standard settings (AWS_ENDPOINT_URL...). */
export function defaultClients(
  region = process.env.AWS_REGION ?? 'us-east-1',
  from: ClientCredentials = {},
): AwsClients {
  const common = { retryMode: 'adaptive', maxAttempts: 5, ...from } as const;
  const eksClients = new Map<string, EKSClient>();
  return {
    iam: new IAMClient({ ...common, region }),
    eksFor: (eksRegion) => {
      let client = eksClients.get(eksRegion);
      if (client === undefined) {
        client = new EKSClient({ ...common, region: eksRegion });
        eksClients.set(eksRegion, client);
      }
      return client;
    },
    sns: new SNSClient({ ...common, region }),
    account: new AccountClient({ ...common, region }),
  };
}

/** Minimal logging surface (Powertools Logger satisfies it; the CLI passes a quiet one). */
export interface GuardLogger {
  info(message: string, ...extra: Record<string, unknown>[]): void;
  warn(message: string, ...extra: Record<string, unknown>[]): void;
  error(message: string, ...extra: Record<string, unknown>[]): void;
  appendKeys?(keys: Record<string, unknown>): void;
}

/** Minimal metrics surface (Powertools Metrics satisfies it). */
export interface GuardMetrics {
  addMetric(name: string, unit: 'Count' | 'Milliseconds' | 'Percent' | 'Seconds', value: number): void;
}

export const silentLogger: GuardLogger = { info() {}, warn() {}, error() {} };
export const noMetrics: GuardMetrics = { addMetric() {} };

export const todayUtc = (now: Date = new Date()): string => now.toISOString().slice(0, 10);

/** Resolves the evaluation settings from the validated config (pull allowance checked against the catalogue). */
export function evaluationSettings(
  config: GuardConfig,
  partition: string,
  today: () => string = () => todayUtc(),
): EvaluationSettings {
  const allowance = pullAllowance(config.extraPullActions);
  return {
    partition,
    replacementPolicyName: config.replacementPolicy,
    guardPolicyName: GUARD_POLICY_NAME,
    pullAllowance: allowance,
    writeActionsToDeny: WRITE_ACTIONS.filter((a) => !allowance.has(a)),
    swappableManagedPolicies: KNOWN_WRITE_MANAGED_POLICIES,
    nodePullActions: NODE_PULL_ACTIONS,
    pullPolicies: REPLACEMENT_POLICIES,
    exemptRoles: config.exemptRoles,
    managedPolicyQuota: config.managedPolicyQuota,
    today,
  };
}

export interface Dependencies {
  readonly settings: LambdaSettings;
  readonly iam: IamGateway;
  readonly view: LiveAccountView;
  readonly evaluator: ChangeEvaluator;
  readonly remediator: Remediator;
  readonly notifier: Notifier;
  readonly logger: GuardLogger;
  readonly metrics: GuardMetrics;
  readonly now: () => number;
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
  const regions =
    config.eksRegions.length > 0
      ? async () => config.eksRegions
      : async () => regionsGateway.enabledRegions();
  const now = options.now ?? Date.now;
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
  const notifier = new Notifier({
    publisher: new SnsGateway(clients.sns),
    alertTopicArn: settings.alertTopicArn,
    chatTopicArn: settings.chatTopicArn,
    mode: config.mode,
    accountId: settings.accountId,
    partition,
    replacementPolicyName: config.replacementPolicy,
    notifyExempt: config.notifyExempt,
    logger: options.logger ?? silentLogger,
  });
  return {
    settings,
    iam,
    view,
    evaluator,
    remediator,
    notifier,
    logger: options.logger ?? silentLogger,
    metrics: options.metrics ?? noMetrics,
    now,
  };
}

/** What one event led to; JSON-serialisable (it is the idempotency record's stored result). */
export interface EventResult {
  readonly eventId: string | null;
  readonly eventName: string | null;
  readonly outcomes: readonly {
    readonly verdict: Decision['verdict'];
    readonly role: string | null;
    readonly severity: Decision['severity'];
    readonly remediation: RemediationOutcome['status'] | null;
    readonly alerted: boolean;
  }[];
}

export interface ProcessedDecision {
  readonly decision: Decision;
  readonly outcome: RemediationOutcome | null;
  readonly alerted: boolean;
}

const SEVERITY_METRIC = {
  critical: 'ViolationsCritical',
  high: 'ViolationsHigh',
  medium: 'ViolationsMedium',
} as const;

/** The event path: parse at the edge, evaluate, remediate behind the gate, alert, and record metrics. */
export async function processEvent(
  deps: Dependencies,
  raw: unknown,
): Promise<EventResult & { details: ProcessedDecision[] }> {
  const started = deps.now();
  const change = parseRoleChangeEvent(raw);
  deps.logger.appendKeys?.({ correlation_id: change.event.id, eventName: change.event.name });

  // Loop safety: the guard's own attach/detach/put calls come back as events; they need no look.
  const decisions = isGuardsOwnChange(deps, raw)
    ? [ignoredDecision(change.event, 'The change was made by eks-ecr-guard itself.')]
    : await deps.evaluator.evaluate(change);

  const details: ProcessedDecision[] = [];
  for (const decision of decisions) {
    details.push(await handleDecision(deps, decision));
  }
  deps.metrics.addMetric('EventsEvaluated', 'Count', 1);
  deps.metrics.addMetric('DecisionLatency', 'Milliseconds', deps.now() - started);
  return {
    eventId: change.event.id,
    eventName: change.event.name,
    outcomes: details.map(({ decision, outcome, alerted }) => ({
      verdict: decision.verdict,
      role: decision.role?.name ?? null,
      severity: decision.severity,
      remediation: outcome?.status ?? null,
      alerted,
    })),
    details,
  };
}

function isGuardsOwnChange(deps: Dependencies, raw: unknown): boolean {
  const guardRole = deps.settings.guardRoleArn;
  return guardRole !== null && guardActorArn(raw) === guardRole;
}

async function handleDecision(deps: Dependencies, decision: Decision): Promise<ProcessedDecision> {
  const { logger, metrics } = deps;
  logger.info('decision', {
    verdict: decision.verdict,
    severity: decision.severity,
    role: decision.role?.name ?? null,
    reason: decision.reason,
    ecrWriteActions: decision.ecrWriteActions,
  });
  if (decision.verdict === 'violation' && decision.severity !== null) {
    metrics.addMetric(SEVERITY_METRIC[decision.severity], 'Count', 1);
  }
  if (decision.verdict === 'indeterminate') metrics.addMetric('Indeterminate', 'Count', 1);

  let outcome: RemediationOutcome | null = null;
  if (shouldRemediate(decision, deps.settings.config)) {
    outcome = await deps.remediator.remediate(decision);
    if (outcome.status === 'applied') {
      metrics.addMetric('RemediationsApplied', 'Count', 1);
      const changedAt = Date.parse(decision.event.time ?? '');
      // Time to remediate: from the CloudTrail event time of the change to the verified fix.
      if (Number.isFinite(changedAt)) {
        metrics.addMetric('TimeToRemediate', 'Seconds', Math.max(0, (deps.now() - changedAt) / 1000));
      }
    }
    if (outcome.status === 'failed-safe' || outcome.status === 'failed-pulls-at-risk') {
      metrics.addMetric('RemediationFailures', 'Count', 1);
      logger.error('remediation failed', {
        status: outcome.status,
        error: outcome.error,
        failedStep: outcome.failedStep,
      });
    } else {
      logger.info('remediation', { status: outcome.status, applied: outcome.applied });
    }
  }
  try {
    const sent = await deps.notifier.notify(decision, outcome);
    return { decision, outcome, alerted: sent.sent };
  } catch (error) {
    // The invocation fails and is retried, but a retry finds the role already fixed (compliant, no alert):
    // say here, where the Errors alarm leads, what the guard changed that nobody was told about.
    if (outcome !== null) {
      logger.error('the alert for a remediation could not be published', {
        role: decision.role?.name ?? null,
        status: outcome.status,
        applied: outcome.applied,
        notDone: outcome.notDone,
        error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      });
    }
    throw error;
  }
}
