// Test support for the notify layer: a realistic eksctl node-role violation and remediation outcomes.

import type { Decision, Grant, PlanStep, RemediationOutcome } from '../../lambda/domain/types';
import type { AlertInput } from '../../lambda/notify/alert-input';
import attachEvent from './fixtures/iam-AttachRolePolicy.json';

export const ROLE_NAME = 'eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F';
export const ACCOUNT_ID = '111122223333';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT_ID}:role/${ROLE_NAME}`;
export const FULL_ACCESS_ARN = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
export const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
export const GUARD_POLICY_NAME = 'eks-ecr-guard-deny-ecr-write';

/** The catalogue's ECR write-level actions (Write, Permissions management, Tagging) less the pull allowance. */
export const ECR_WRITE_ACTIONS: readonly string[] = [
  'ecr:BatchDeleteImage',
  'ecr:CompleteLayerUpload',
  'ecr:CreatePullThroughCacheRule',
  'ecr:CreateRepository',
  'ecr:CreateRepositoryCreationTemplate',
  'ecr:DeleteLifecyclePolicy',
  'ecr:DeletePullThroughCacheRule',
  'ecr:DeleteRegistryPolicy',
  'ecr:DeleteRepository',
  'ecr:DeleteRepositoryCreationTemplate',
  'ecr:DeleteRepositoryPolicy',
  'ecr:DeleteSigningConfiguration',
  'ecr:DeregisterPullTimeUpdateExclusion',
  'ecr:InitiateLayerUpload',
  'ecr:PutAccountSetting',
  'ecr:PutImage',
  'ecr:PutImageScanningConfiguration',
  'ecr:PutImageTagMutability',
  'ecr:PutLifecyclePolicy',
  'ecr:PutRegistryPolicy',
  'ecr:PutRegistryScanningConfiguration',
  'ecr:PutReplicationConfiguration',
  'ecr:PutSigningConfiguration',
  'ecr:RegisterPullTimeUpdateExclusion',
  'ecr:ReplicateImage',
  'ecr:SetRepositoryPolicy',
  'ecr:StartImageScan',
  'ecr:StartLifecyclePolicyPreview',
  'ecr:TagResource',
  'ecr:UntagResource',
  'ecr:UpdateImageStorageClass',
  'ecr:UpdatePullThroughCacheRule',
  'ecr:UpdateRepositoryCreationTemplate',
  'ecr:UploadLayerPart',
];

export const FULL_ACCESS_GRANT: Grant = {
  policy: { kind: 'aws-managed', name: 'AmazonEC2ContainerRegistryFullAccess', arn: FULL_ACCESS_ARN },
  statement: '0',
  actions: ECR_WRITE_ACTIONS,
  resourceScoped: false,
  conditional: false,
  allServices: false,
  wholeService: true,
};

export const SWAP_PLAN: readonly PlanStep[] = [
  { op: 'AttachRolePolicy', roleName: ROLE_NAME, policyArn: READ_ONLY_ARN },
  { op: 'DetachRolePolicy', roleName: ROLE_NAME, policyArn: FULL_ACCESS_ARN },
];

/** The inline explicit-Deny guard document, compact as the decision module writes it. */
export const GUARD_DOCUMENT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'EksEcrGuardDenyEcrWrite', Effect: 'Deny', Action: ECR_WRITE_ACTIONS, Resource: '*' }],
});

export const GUARD_STEP: PlanStep = {
  op: 'PutRolePolicy',
  roleName: ROLE_NAME,
  policyName: GUARD_POLICY_NAME,
  policyDocument: GUARD_DOCUMENT,
};

const detail = attachEvent.detail;

/** The FullAccess attach from the reference AttachRolePolicy sample, on the eksctl node role of cluster prod. */
export function violationDecision(overrides: Partial<Decision> = {}): Decision {
  return {
    verdict: 'violation',
    reason: `EKS node role ${ROLE_NAME} can write to ECR: ecr:BatchDeleteImage, ecr:CompleteLayerUpload, ecr:CreatePullThroughCacheRule and 31 more.`,
    severity: 'high',
    event: {
      id: detail.eventID,
      name: detail.eventName,
      time: detail.eventTime,
      actor: detail.userIdentity.arn,
      sourceIp: detail.sourceIPAddress,
      userAgent: detail.userAgent,
      account: detail.recipientAccountId,
      policy: { arn: detail.requestParameters.policyArn, name: null, versionId: null },
    },
    role: { name: ROLE_NAME, arn: ROLE_ARN },
    nodeRole: {
      evidence: [
        {
          kind: 'managed-nodegroup',
          region: 'eu-west-1',
          cluster: 'prod',
          nodegroup: 'ng-1',
          roleArn: ROLE_ARN,
        },
        {
          kind: 'access-entry',
          region: 'eu-west-1',
          cluster: 'prod',
          accessEntryType: 'EC2_LINUX',
          roleArn: ROLE_ARN,
        },
      ],
    },
    ecrWriteActions: ECR_WRITE_ACTIONS,
    grants: [FULL_ACCESS_GRANT],
    denies: [],
    plan: SWAP_PLAN,
    unknownPolicies: [],
    exemption: null,
    warnings: [],
    scope: 'role',
    ...overrides,
  };
}

export function appliedOutcome(plan: readonly PlanStep[] = SWAP_PLAN): RemediationOutcome {
  return {
    status: 'applied',
    applied: plan,
    notDone: [],
    failedStep: null,
    error: null,
    verification: { writeActionsAfter: [], pullActionsAllowed: true },
  };
}

export function alertInput(overrides: Partial<AlertInput> = {}): AlertInput {
  return {
    decision: violationDecision(),
    outcome: null,
    mode: 'alert',
    accountId: ACCOUNT_ID,
    partition: 'aws',
    replacementPolicyName: 'AmazonEC2ContainerRegistryReadOnly',
    ...overrides,
  };
}
