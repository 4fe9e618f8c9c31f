// Infrastructure (CDK) layer: the read-only role `eks-ecr-guard audit --org` / `snapshot --org` assume in each
// member account, least privilege: exactly the reads of the snapshot collection, trusted by one given principal.
import { Aws, Duration, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  acknowledgeEcrReadFindings,
  ecrReadStatements,
  eksReadResources,
  eksReadStatements,
  wildcardResourceFinding,
} from '../guard-permissions';

/** The role name the docs use; the CLI takes any name with `--role-name`. */
export const DEFAULT_AUDIT_ROLE_NAME = 'EksEcrGuardAudit';

export interface AuditReadRoleProps {
  /**
   * Who may assume the role: the auditing account's id (12 digits: any principal of it that its own IAM allows)
   * or, narrower, the ARN of the role or user that runs the audit (`arn:aws:iam::999988887777:role/SecurityAuditor`).
   * A token (a CloudFormation parameter, a StackSet parameter) is taken as an ARN.
   */
  readonly trustedPrincipal: string;
  /**
   * The `sts:ExternalId` the caller must present (`--external-id`).
   * @default none: no ExternalId condition
   */
  readonly externalId?: string;
  /**
   * The role's name: the same in every account, so the CLI can build its ARN.
   * @default 'EksEcrGuardAudit'
   */
  readonly roleName?: string;
  /**
   * Regions whose EKS clusters may be read. The CLI's `--regions` must stay inside them.
   * @default every Region, plus account:ListRegions to find the enabled ones
   */
  readonly eksRegions?: readonly string[];
}

const ACCOUNT_ID = /^\d{12}$/;
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:(iam::\d{12}:(root|role\/.+|user\/.+)|sts::\d{12}:assumed-role\/.+)$/;

/** The role and its one inline policy; the statements are listed by Sid in docs/organizations.md. */
export class AuditReadRole extends Construct {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: AuditReadRoleProps) {
    super(scope, id);
    const eksRegions = props.eksRegions ?? [];
    const principal = trustedPrincipal(props.trustedPrincipal);
    this.role = new iam.Role(this, 'Role', {
      roleName: props.roleName ?? DEFAULT_AUDIT_ROLE_NAME,
      description:
        'Read-only: eks-ecr-guard audit --org reads IAM roles and policies and the EKS node-role inventory.',
      assumedBy:
        props.externalId === undefined
          ? principal
          : principal.withConditions({ StringEquals: { 'sts:ExternalId': props.externalId } }),
      // Sessions are asked for 15 minutes; one hour is the shortest maximum IAM allows.
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        EksEcrGuardAuditRead: new iam.PolicyDocument({ statements: auditReadStatements(eksRegions) }),
      },
    });
    acknowledgeAuditReadFindings(this.role, eksRegions);
  }
}

function trustedPrincipal(value: string): iam.PrincipalBase {
  if (Token.isUnresolved(value)) return new iam.ArnPrincipal(value);
  if (ACCOUNT_ID.test(value)) return new iam.AccountPrincipal(value);
  if (PRINCIPAL_ARN.test(value)) return new iam.ArnPrincipal(value);
  throw new Error(
    `trustedPrincipal must be a 12-digit account id or an IAM role/user ARN, got ${JSON.stringify(value)}`,
  );
}

/**
 * What the snapshot collection calls (lambda/usecases/collect-snapshot.ts through the IAM, EKS and Account
 * gateways), nothing else: no per-role IAM reads (GetAccountAuthorizationDetails returns roles and policies in one
 * pass) and no write of any kind.
 */
export function auditReadStatements(eksRegions: readonly string[]): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      // Neither action has a resource type: IAM accepts only "*". GetAccountSummary gives the attached-policy quota
      // (optional: the collection goes on without it).
      sid: 'ReadAccountAuthorizationDetails',
      actions: ['iam:GetAccountAuthorizationDetails', 'iam:GetAccountSummary'],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'ListEksClusters',
      actions: ['eks:ListClusters'],
      resources: ['*'],
    }),
    ...eksReadStatements(eksRegions, { podIdentity: true }),
    ...ecrReadStatements(eksRegions),
    ...(eksRegions.length === 0
      ? [
          new iam.PolicyStatement({
            sid: 'ListEnabledRegions',
            actions: ['account:ListRegions'],
            resources: [`arn:${Aws.PARTITION}:account::${Aws.ACCOUNT_ID}:account`],
          }),
        ]
      : []),
  ];
}

function acknowledgeAuditReadFindings(role: iam.Role, eksRegions: readonly string[]): void {
  const validations = Validations.of(role);
  validations.acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'iam:GetAccountAuthorizationDetails, iam:GetAccountSummary, eks:ListClusters, ecr:GetRegistryPolicy and ecr:DescribeRepositoryCreationTemplates have no resource type in IAM; they only accept "*". All are read-only.',
  });
  acknowledgeEcrReadFindings(role, eksRegions);
  for (const region of eksRegions.length > 0 ? eksRegions : ['*']) {
    for (const resource of eksReadResources({ podIdentity: true })) {
      validations.acknowledge({
        id: wildcardResourceFinding(`arn:${Aws.PARTITION}:eks:${region}:${Aws.ACCOUNT_ID}:${resource}`),
        reason:
          'The audit finds clusters at run time with eks:ListClusters; the Describe/List reads must work on any of them. Read-only.',
      });
    }
  }
}
