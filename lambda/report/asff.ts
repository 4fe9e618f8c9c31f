// Report (pure): node-role decisions as AWS Security Finding Format (ASFF) findings, one per node role and control,
// for Security Hub (use case publish-findings) and `audit --format asff`. Data in, findings out; no SDK.
import { createHash } from 'node:crypto';
import type { AuditReport } from '../domain/audit-report';
import { exposedClusters } from '../domain/node-roles';
import type { Decision, Severity } from '../domain/types';
import { TOOL_NAME, TOOL_VERSION } from './json';

export const ASFF_SCHEMA_VERSION = '2018-10-08';
/** The control every finding is about. */
export const CIS_CONTROL = 'CIS EKS 5.1.3';
const CONTROL_ID = 'CIS-EKS-5.1.3';
/** Names the rule that produced a finding; the sweep's reconciliation selects the findings it owns by it. */
export const GENERATOR_ID = `${TOOL_NAME}/${CONTROL_ID}`;
export const FINDING_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/CIS EKS Benchmark';
/** Where a reader of the finding learns how to fix it. */
export const REMEDIATION_URL =
  'https://github.com/eks-ecr-guard/eks-ecr-guard/blob/main/docs/security-hub.md#fixing-a-finding';
/** ASFF bounds: Id and GeneratorId ≤ 512 characters, Title ≤ 256, Description ≤ 1024. */
export const ASFF_LIMITS = { id: 512, title: 256, description: 1024, recommendation: 512 } as const;

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type AsffComplianceStatus = 'PASSED' | 'WARNING' | 'FAILED' | 'NOT_AVAILABLE';
export type AsffRecordState = 'ACTIVE' | 'ARCHIVED';

export interface AsffResource {
  readonly Type: 'AwsIamRole' | 'AwsEksCluster';
  readonly Id: string;
  readonly Partition: string;
  readonly Region: string;
  readonly Details?: { readonly Other: Readonly<Record<string, string>> };
}

/** The ASFF attributes this guard sets (a subset of AwsSecurityFinding; every required one is here). */
export interface AsffFinding {
  readonly SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  readonly Id: string;
  readonly ProductArn: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Region: string;
  readonly Types: readonly string[];
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: string };
  readonly FindingProviderFields: {
    readonly Severity: { readonly Label: AsffSeverityLabel; readonly Original: string };
    readonly Types: readonly string[];
  };
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: { readonly Recommendation: { readonly Text: string; readonly Url: string } };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: readonly AsffResource[];
  readonly Compliance: {
    readonly Status: AsffComplianceStatus;
    readonly RelatedRequirements: readonly string[];
    readonly StatusReasons?: readonly { readonly ReasonCode: string; readonly Description: string }[];
  };
  readonly RecordState: AsffRecordState;
}

/** Where the findings go: the account's own Security Hub in one Region (its default product). */
/** The findings' Region when neither --region nor a single-Region snapshot says (`audit --format asff`). */
export const ASFF_DEFAULT_REGION = 'us-east-1';

export interface FindingTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
}

/** The account's default product ARN: where an account imports its own findings. */
export function defaultProductArn(target: FindingTarget): string {
  return `arn:${target.partition}:securityhub:${target.region}:${target.accountId}:product/${target.accountId}/default`;
}

/** The stable Id of a role's finding; a hash replaces the ARN only when the Id would exceed ASFF's 512 characters. */
export function findingId(target: FindingTarget, roleArn: string): string {
  const plain = `${TOOL_NAME}/${target.accountId}/${target.region}/${roleArn}/${CONTROL_ID}`;
  if (plain.length <= ASFF_LIMITS.id) return plain;
  const digest = createHash('sha256').update(roleArn).digest('hex');
  return `${TOOL_NAME}/${target.accountId}/${target.region}/sha256-${digest}/${CONTROL_ID}`;
}

const SEVERITY_LABEL: Readonly<Record<Severity, AsffSeverityLabel>> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
};

/**
 * How each verdict reads in ASFF (docs/security-hub.md). A violation FAILS with our severity; a compliant role
 * PASSES and is archived (a provider may not set `Workflow` after creation, so archiving is how it closes); an
 * indeterminate role is a WARNING ("some information is missing") at MEDIUM, to be looked at; an exempt role is
 * a WARNING, archived (the accepted risk stays visible to whoever looks for it, out of the open list).
 */
interface Status {
  readonly compliance: AsffComplianceStatus;
  readonly label: AsffSeverityLabel;
  readonly original: string;
  readonly recordState: AsffRecordState;
  readonly reasonCode: string;
}

function statusOf(decision: Decision, remediated: boolean): Status | null {
  // The guard removed the write access and verified it: the violation is now a pass.
  if (decision.verdict === 'violation' && remediated) {
    return {
      compliance: 'PASSED',
      label: 'INFORMATIONAL',
      original: 'remediated',
      recordState: 'ARCHIVED',
      reasonCode: 'REMEDIATED',
    };
  }
  switch (decision.verdict) {
    case 'violation': {
      const severity = decision.severity ?? 'medium';
      const label = SEVERITY_LABEL[severity];
      return {
        compliance: 'FAILED',
        label,
        original: severity,
        recordState: 'ACTIVE',
        reasonCode: 'ECR_WRITE',
      };
    }
    case 'compliant':
      return {
        compliance: 'PASSED',
        label: 'INFORMATIONAL',
        original: 'compliant',
        recordState: 'ARCHIVED',
        reasonCode: 'NO_ECR_WRITE',
      };
    case 'indeterminate':
      return {
        compliance: 'WARNING',
        label: 'MEDIUM',
        original: 'indeterminate',
        recordState: 'ACTIVE',
        reasonCode: 'POLICY_NOT_READABLE',
      };
    case 'exempt':
      return {
        compliance: 'WARNING',
        label: 'INFORMATIONAL',
        original: 'exempt',
        recordState: 'ARCHIVED',
        reasonCode: 'EXEMPT',
      };
    default:
      return null;
  }
}

/**
 * The finding of one decision, or null when the decision says nothing about a node role's whole policy set: not a
 * node role, ignored, no role ARN, or only the change was evaluated (`scope: change`, which must not pass a role
 * whose other policies were not read).
 */
export function findingForDecision(
  decision: Decision,
  target: FindingTarget,
  now: string,
  options: { readonly remediated?: boolean } = {},
): AsffFinding | null {
  const remediated = options.remediated === true;
  const status = statusOf(decision, remediated);
  const roleArn = decision.role?.arn ?? null;
  if (status === null || roleArn === null || decision.role === null || decision.scope === 'change')
    return null;
  const roleName = decision.role.name;
  const clusters = exposedClusters(decision.nodeRole.evidence);
  const actions = decision.ecrWriteActions;
  const title =
    status.compliance === 'FAILED'
      ? `EKS node role ${roleName} can write to Amazon ECR`
      : status.compliance === 'PASSED'
        ? `EKS node role ${roleName} cannot write to Amazon ECR${remediated ? ' (fixed by eks-ecr-guard)' : ''}`
        : `EKS node role ${roleName}: ECR write access ${decision.verdict === 'exempt' ? 'exempted' : 'not determined'}`;
  const listed =
    actions.length > 12
      ? `${actions.slice(0, 12).join(', ')} and ${actions.length - 12} more`
      : actions.join(', ');
  const detail =
    actions.length === 0
      ? ''
      : remediated
        ? ` eks-ecr-guard removed these ECR write actions and verified the role: ${listed}.`
        : ` ECR write actions allowed: ${listed}.`;
  const exemption =
    decision.exemption === null
      ? ''
      : ` Exempt (${decision.exemption.source}): ${decision.exemption.reason}${decision.exemption.until === null ? '' : ` until ${decision.exemption.until}`}.`;
  return finding({
    target,
    roleArn,
    now,
    status,
    title,
    // The exemption first: the clipping to 1024 characters only ever shortens the action list.
    description: `${decision.reason}${exemption}${detail}`,
    clusters: clusters.map(({ region, cluster }) => ({
      region,
      arn: `arn:${target.partition}:eks:${region}:${target.accountId}:cluster/${cluster}`,
    })),
    productFields: {
      verdict: remediated ? 'remediated' : decision.verdict,
      roleName,
      ecrWriteActions: actions.join(','),
    },
  });
}

/** What reconciliation knows of a finding it owns whose role is no longer a node role (or no longer exists). */
export interface OwnedFinding {
  readonly id: string;
  readonly roleArn: string;
  readonly createdAt: string;
  readonly complianceStatus: string | null;
  readonly recordState: string | null;
}

/** The closing update of a finding whose role left the audit: PASSED and archived. */
export function retiredFinding(owned: OwnedFinding, target: FindingTarget, now: string): AsffFinding {
  const roleName = owned.roleArn.slice(owned.roleArn.lastIndexOf('/') + 1);
  return {
    ...finding({
      target,
      roleArn: owned.roleArn,
      now,
      status: {
        compliance: 'PASSED',
        label: 'INFORMATIONAL',
        original: 'not-node-role',
        recordState: 'ARCHIVED',
        reasonCode: 'NOT_A_NODE_ROLE',
      },
      title: `${roleName} is no longer an EKS node role`,
      description:
        'The role was deleted or no EKS cluster uses it as a node role any more: nothing left to fix.',
      clusters: [],
      productFields: { verdict: 'not-node-role', roleName, ecrWriteActions: '' },
    }),
    Id: owned.id,
    CreatedAt: owned.createdAt,
  };
}

/** Every node role of an audit as a finding (`audit --format asff`), sorted by role name as the report is. */
export function auditFindings(report: AuditReport, target: FindingTarget, now: string): AsffFinding[] {
  return report.roles.flatMap((role) => {
    const found = findingForDecision(role.decision, target, now);
    return found === null ? [] : [found];
  });
}

/** `audit --format asff`: a JSON array, as `aws securityhub batch-import-findings --findings file://...` reads. */
export function renderAsff(report: AuditReport, target: FindingTarget, now: string): string {
  return `${JSON.stringify(auditFindings(report, target, now), null, 2)}\n`;
}

interface FindingParts {
  readonly target: FindingTarget;
  readonly roleArn: string;
  readonly now: string;
  readonly status: Status;
  readonly title: string;
  readonly description: string;
  readonly clusters: readonly { readonly region: string; readonly arn: string }[];
  readonly productFields: Readonly<Record<string, string>>;
}

function finding(parts: FindingParts): AsffFinding {
  const { target, status } = parts;
  const severity = { Label: status.label, Original: status.original };
  const types = [FINDING_TYPE];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(target, parts.roleArn),
    ProductArn: defaultProductArn(target),
    GeneratorId: GENERATOR_ID,
    AwsAccountId: target.accountId,
    Region: target.region,
    Types: types,
    CreatedAt: parts.now,
    UpdatedAt: parts.now,
    Severity: severity,
    FindingProviderFields: { Severity: severity, Types: types },
    Title: clip(parts.title, ASFF_LIMITS.title),
    Description: clip(parts.description, ASFF_LIMITS.description),
    Remediation: {
      Recommendation: {
        Text: clip(
          'Remove ECR write access from the node role: detach AmazonEC2ContainerRegistryFullAccess/PowerUser (or the statements granting ecr:Put*/Push), attach AmazonEC2ContainerRegistryReadOnly or PullOnly; image builds belong to a CI role.',
          ASFF_LIMITS.recommendation,
        ),
        Url: REMEDIATION_URL,
      },
    },
    ProductFields: {
      ...parts.productFields,
      ProviderVersion: TOOL_VERSION,
      ProviderName: TOOL_NAME,
    },
    Resources: [
      { Type: 'AwsIamRole', Id: parts.roleArn, Partition: target.partition, Region: target.region },
      // ASFF takes at most 32 resources: the role and up to 31 clusters.
      ...parts.clusters.slice(0, 31).map(
        (cluster): AsffResource => ({
          Type: 'AwsEksCluster',
          Id: cluster.arn,
          Partition: target.partition,
          Region: cluster.region,
        }),
      ),
    ],
    Compliance: {
      Status: status.compliance,
      RelatedRequirements: [CIS_CONTROL],
      StatusReasons: [{ ReasonCode: status.reasonCode, Description: clip(parts.description, 2048) }],
    },
    RecordState: status.recordState,
  };
}

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}
