// Guardrails (pure): builds the service control policy: no write policy attached to a node role, no inline
// policy put on one, and no ECR write with EC2 instance-profile credentials, except for the exempt principals.
import { awsManagedPolicyArn } from '../domain/arn';
import { ecrWritesToDeny, type ScpOptions, WRITE_POLICY_NAMES } from './options';
import { type ConditionBlock, type PolicyDocument, type PolicyStatement, roleArnPatterns } from './policy';

/** Sid of the statement the check evaluates as an instance-credential request would meet it. */
export const SCP_ECR_SID = 'DenyEcrWritesWithEc2InstanceCredentials';

/**
 * Present only on requests signed with EC2 instance-profile credentials (IAM User Guide, "AWS global condition
 * context keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html).
 */
export const INSTANCE_CREDENTIAL_CONDITION: ConditionBlock = { Null: { 'ec2:SourceInstanceARN': 'false' } };

function withExemptions(condition: ConditionBlock, exempt: readonly string[]): ConditionBlock {
  return exempt.length === 0 ? condition : { ...condition, ArnNotLike: { 'aws:PrincipalArn': [...exempt] } };
}

/** `{ Condition }` when the block has an operator, else nothing (IAM rejects an empty Condition). */
function conditionPart(condition: ConditionBlock): { readonly Condition?: ConditionBlock } {
  return Object.keys(condition).length === 0 ? {} : { Condition: condition };
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** The IAM statements for one way of naming node roles: by ARN pattern, or by tag on any role. */
function iamStatements(
  suffix: string,
  resource: string | readonly string[],
  scope: ConditionBlock,
  options: ScpOptions,
): PolicyStatement[] {
  const policyArns = WRITE_POLICY_NAMES.map((name) => awsManagedPolicyArn(options.partition, name));
  return [
    {
      Sid: `DenyWritePolicyAttach${suffix}`,
      Effect: 'Deny',
      Action: 'iam:AttachRolePolicy',
      Resource: resource,
      Condition: withExemptions(
        { ...scope, ArnEquals: { 'iam:PolicyARN': policyArns } },
        options.exemptPrincipals,
      ),
    },
    {
      Sid: `DenyInlinePolicy${suffix}`,
      Effect: 'Deny',
      Action: 'iam:PutRolePolicy',
      Resource: resource,
      ...conditionPart(withExemptions(scope, options.exemptPrincipals)),
    },
  ];
}

/** The SCP document. Node roles are named by patterns, by tag, or both (one pair of IAM statements each). */
export function buildScp(options: ScpOptions): PolicyDocument {
  const statements: PolicyStatement[] = [];
  const arns = unique(
    options.nodeRolePatterns.flatMap((pattern) => roleArnPatterns(options.partition, pattern)),
  );
  if (arns.length > 0) statements.push(...iamStatements('ToNodeRoles', arns, {}, options));
  const tag = options.nodeRoleTag;
  if (tag !== null) {
    const scope = { StringEquals: { [`aws:ResourceTag/${tag.key}`]: tag.value } };
    statements.push(...iamStatements('ToTaggedNodeRoles', '*', scope, options));
  }
  statements.push({
    Sid: SCP_ECR_SID,
    Effect: 'Deny',
    Action: ecrWritesToDeny(options.pullAllowance),
    Resource: '*',
    Condition: withExemptions(INSTANCE_CREDENTIAL_CONDITION, options.exemptPrincipals),
  });
  return { Version: '2012-10-17', Statement: statements };
}
