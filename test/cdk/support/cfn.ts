// Test support for the CDK layer: walks rendered CloudFormation (IAM statements, intrinsic functions).
import type { Template } from 'aws-cdk-lib/assertions';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export function resources(template: Template, type?: string): Array<[string, CfnResource]> {
  const all: Record<string, CfnResource> = template.toJSON().Resources ?? {};
  return Object.entries(all).filter(([, resource]) => type === undefined || resource.Type === type);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export interface IamStatement {
  /** Logical id of the resource holding the statement (for messages only). */
  readonly holder: string;
  readonly sid: string | undefined;
  readonly effect: string;
  readonly actions: string[];
  readonly resource: unknown;
  readonly condition: Record<string, unknown> | undefined;
}

function statementsOf(holder: string, document: unknown): IamStatement[] {
  if (!isRecord(document)) return [];
  return asList(document.Statement)
    .filter(isRecord)
    .map((statement) => ({
      holder,
      sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
      effect: String(statement.Effect),
      actions: asList(statement.Action).map(String),
      resource: statement.Resource,
      condition: isRecord(statement.Condition) ? statement.Condition : undefined,
    }));
}

/** Every identity-policy statement in the template: IAM policies, managed policies and roles' inline policies. */
export function identityStatements(template: Template): IamStatement[] {
  const found: IamStatement[] = [];
  for (const [id, resource] of resources(template)) {
    const props = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') {
      found.push(...statementsOf(id, props.PolicyDocument));
    }
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of asList(props.Policies).filter(isRecord))
        found.push(...statementsOf(id, inline.PolicyDocument));
    }
  }
  return found;
}

/** Statements of the policies attached to one role (by the role's logical id). */
export function roleStatements(template: Template, roleLogicalId: string): IamStatement[] {
  return resources(template, 'AWS::IAM::Policy')
    .filter(([, policy]) =>
      asList(policy.Properties?.Roles).some((role) => isRecord(role) && role.Ref === roleLogicalId),
    )
    .flatMap(([id, policy]) => statementsOf(id, policy.Properties?.PolicyDocument));
}

export interface IntrinsicValues {
  readonly partition: string;
  readonly account: string;
  readonly region: string;
  /** Value of `Fn::GetAtt [id, 'Arn']` / `Ref id` for a logical id. */
  readonly attribute: (logicalId: string) => string;
}

export const TEST_INTRINSICS: IntrinsicValues = {
  partition: 'aws',
  account: '111122223333',
  region: 'eu-west-1',
  attribute: (logicalId) => `arn:aws:iam::111122223333:role/${logicalId}`,
};

/** Replaces the intrinsics the guard uses (Ref pseudo parameters, Fn::Join, Fn::GetAtt) with plain strings. */
export function resolveIntrinsics(value: unknown, values: IntrinsicValues = TEST_INTRINSICS): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, values));
  if (!isRecord(value)) return value;
  const ref = value.Ref;
  if (typeof ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': values.partition,
      'AWS::AccountId': values.account,
      'AWS::Region': values.region,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[ref] ?? values.attribute(ref);
  }
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join;
    return asList(resolveIntrinsics(parts, values)).join(String(separator));
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) return values.attribute(String(getAtt[0]));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, resolveIntrinsics(item, values)]),
  );
}
