// Composition (no SDK behind it): the evaluation settings resolved from the validated config, shared by the
// composition root (lambda/composition.ts) and the CLI's offline paths, which must not load the SDK clients.
import {
  ECR_WRITE_MANAGED_POLICY_NAMES,
  EXEMPT_TAG_KEY,
  GUARD_POLICY_NAME,
  type GuardConfig,
  PULL_MANAGED_POLICY_NAMES,
} from './contract';
import { NODE_PULL_ACTIONS, pullAllowance, WRITE_ACTIONS } from './domain/catalogue';
import type { EvaluationSettings } from './usecases/evaluate-change';

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
    swappableManagedPolicies: ECR_WRITE_MANAGED_POLICY_NAMES,
    nodePullActions: NODE_PULL_ACTIONS,
    pullPolicies: PULL_MANAGED_POLICY_NAMES,
    exemptRoles: config.exemptRoles,
    exemptTagKey: EXEMPT_TAG_KEY,
    managedPolicyQuota: config.managedPolicyQuota,
    ownerTagKeys: config.ownerTagKeys,
    today,
  };
}
