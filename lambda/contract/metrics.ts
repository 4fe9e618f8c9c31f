// Contract (shared by the CDK app and the runtime): the metric namespace and every metric the functions emit;
// the alarms and the dashboard may only watch these. No imports.

/** CloudWatch namespace of the guard's metrics (Powertools `POWERTOOLS_METRICS_NAMESPACE`). */
export const METRICS_NAMESPACE = 'EksEcrGuard';

/** Every metric the runtime emits, by role. */
export const METRIC = {
  /** Event path: one per event handled. */
  eventsEvaluated: 'EventsEvaluated',
  /** Event path: milliseconds from invocation to the last alert. */
  decisionLatency: 'DecisionLatency',
  violationsCritical: 'ViolationsCritical',
  violationsHigh: 'ViolationsHigh',
  violationsMedium: 'ViolationsMedium',
  indeterminate: 'Indeterminate',
  remediationsApplied: 'RemediationsApplied',
  remediationFailures: 'RemediationFailures',
  /** Seconds from the CloudTrail time of the change to the verified fix. */
  timeToRemediate: 'TimeToRemediate',
  /** Clusters whose access entries could not be read (InvalidRequestException), per decision or sweep. */
  accessEntriesUnreadable: 'AccessEntriesUnreadable',
  /** Sweep: milliseconds of one run. */
  sweepDuration: 'SweepDuration',
  nodeRolesTotal: 'NodeRolesTotal',
  nodeRolesCompliant: 'NodeRolesCompliant',
  complianceRatio: 'ComplianceRatio',
  openViolationsCritical: 'OpenViolationsCritical',
  openViolationsHigh: 'OpenViolationsHigh',
  openViolationsMedium: 'OpenViolationsMedium',
  /** Sweep: roles trusted by EKS Pod Identity or a cluster's IRSA issuer that are not node roles. */
  podRolesTotal: 'PodRolesTotal',
  /** Sweep: pod roles that hold ECR push (the workloads that push the right way), each counted once. */
  podRolesWithPush: 'PodRolesWithPush',
  /** Sweep: pod roles whose push could not be judged (a policy not read or not understood). */
  podRolesPushUnknown: 'PodRolesPushUnknown',
  /** Sweep: clusters with at least one pod role that holds ECR push. */
  clustersWithPodRolePush: 'ClustersWithPodRolePush',
  /** Sweep: node roles with no owner tag on the role, its node groups or clusters (the untagged-node-role finding). */
  untaggedNodeRoles: 'UntaggedNodeRoles',
  /** Sweep, one per owner (dimension OWNER_DIMENSION): its node roles, the compliant ones, its open violations. */
  ownerNodeRoles: 'OwnerNodeRoles',
  ownerNodeRolesCompliant: 'OwnerNodeRolesCompliant',
  ownerOpenViolations: 'OwnerOpenViolations',
  /** Security Hub (opt-in): findings imported (created or updated), per call of the use case. */
  securityHubFindingsImported: 'SecurityHubFindingsImported',
  /** Security Hub: findings still refused after the one retry (FailedFindings, or the whole call failing). */
  securityHubImportFailures: 'SecurityHubImportFailures',
  /** Central alerts: publishes to the organization's central topic that failed (the local alert was sent). */
  centralAlertFailures: 'CentralAlertFailures',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

/** The names of every metric the runtime emits (the contract test checks each alarm against it). */
export const EMITTED_METRIC_NAMES: readonly MetricName[] = Object.values(METRIC);

type SeverityLevel = 'critical' | 'high' | 'medium';

/** A violation found by the event path (or the sweep's remediation), by severity. */
export const VIOLATION_METRIC: Readonly<Record<SeverityLevel, MetricName>> = {
  critical: METRIC.violationsCritical,
  high: METRIC.violationsHigh,
  medium: METRIC.violationsMedium,
};

/** Violations still open at the end of a sweep, by severity. */
export const OPEN_VIOLATION_METRIC: Readonly<Record<SeverityLevel, MetricName>> = {
  critical: METRIC.openViolationsCritical,
  high: METRIC.openViolationsHigh,
  medium: METRIC.openViolationsMedium,
};

/** The dimension of the per-owner metrics (besides Powertools' `service`): the owner tag value, `untagged`, `unknown`. */
export const OWNER_DIMENSION = 'Owner';

/**
 * At most this many owner values get a dimension value of their own (the owners with the most node roles); the rest
 * are summed under `other`, and `untagged` and `unknown` always keep theirs. Each value is one custom metric per
 * per-owner metric name, so this bounds their number (and cost) at 3 x 22.
 */
export const MAX_OWNER_METRIC_VALUES = 20;
