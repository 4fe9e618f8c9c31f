// Tests for the CDK layer: the organization's central alert topic stack: the topic policy (publish only from the
// organization, TLS only), the key policy (the organization's principals, only through SNS), rotation, the
// subscriptions, the outputs members configure, the organization id check, and cdk-nag.
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CENTRAL_ALERT_OUTPUT_KEYS,
  CENTRAL_ALERT_TOPIC_NAME,
  CentralAlertTopicStack,
  type CentralAlertTopicStackProps,
} from '../../lib/org/central-alert-topic-stack';
import { asList, type IamStatement, isRecord, resolveIntrinsics, resources } from './support/cfn';

const ORG = 'o-abcd123456';

function synth(props: Partial<CentralAlertTopicStackProps> = {}) {
  const stack = new CentralAlertTopicStack(new App(), 'Central', {
    organizationId: ORG,
    env: { account: '999988887777', region: 'eu-central-1' },
    ...props,
  });
  return { stack, template: Template.fromStack(stack) };
}

type PolicyStatement = IamStatement & { readonly principal: unknown };

function statements(document: unknown): PolicyStatement[] {
  if (!isRecord(document)) return [];
  return asList(document.Statement)
    .filter(isRecord)
    .map((statement) => ({
      holder: '',
      sid: typeof statement.Sid === 'string' ? statement.Sid : undefined,
      effect: String(statement.Effect),
      actions: asList(statement.Action).map(String),
      resource: statement.Resource,
      condition: isRecord(statement.Condition) ? statement.Condition : undefined,
      principal: statement.Principal,
    }));
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item === undefined) throw new Error('none');
  return item;
}

function topicPolicy(template: Template) {
  const [, policy] = only(resources(template, 'AWS::SNS::TopicPolicy'));
  return statements(policy.Properties?.PolicyDocument);
}

function keyPolicy(template: Template) {
  const [, key] = only(resources(template, 'AWS::KMS::Key'));
  return { key, statements: statements(key.Properties?.KeyPolicy) };
}

describe('CentralAlertTopicStack', () => {
  const { template } = synth({ emails: ['secops@example.com'] });

  it('makes one topic, with a fixed name, encrypted with its own rotating key', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: CENTRAL_ALERT_TOPIC_NAME,
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
    });
    const { key } = keyPolicy(template);
    expect(key.Properties?.EnableKeyRotation).toBe(true);
  });

  it("lets the organization's principals publish, and nobody else", () => {
    const allows = topicPolicy(template).filter((statement) => statement.effect === 'Allow');
    const allow = only(allows);
    expect(allow.actions).toEqual(['sns:Publish']);
    expect(allow.condition).toEqual({ StringEquals: { 'aws:PrincipalOrgID': ORG } });
    const [topicId] = only(resources(template, 'AWS::SNS::Topic'));
    expect(allow.resource).toEqual({ Ref: topicId });
    expect(allow.principal).toEqual({ AWS: '*' });
  });

  it('refuses every publish without TLS', () => {
    const denies = topicPolicy(template).filter((statement) => statement.effect === 'Deny');
    const deny = only(denies);
    expect(deny.actions).toEqual(['sns:Publish']);
    expect(deny.condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
  });

  it("lets the organization's principals use the key only through SNS in this Region", () => {
    const { statements: keyStatements } = keyPolicy(template);
    const publishers = only(
      keyStatements.filter((statement) => statement.sid === 'AllowOrganizationPublishersThroughSns'),
    );
    expect(publishers.effect).toBe('Allow');
    expect(publishers.principal).toEqual({ AWS: '*' });
    expect(publishers.actions).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(resolveIntrinsics(publishers.condition)).toEqual({
      StringEquals: { 'aws:PrincipalOrgID': ORG, 'kms:ViaService': 'sns.eu-central-1.amazonaws.com' },
    });
    // Every other key statement is the account's own administration (the key would be unmanageable without it).
    const others = keyStatements.filter((statement) => statement !== publishers);
    for (const statement of others) {
      expect(JSON.stringify(statement)).toContain(':root');
      expect(JSON.stringify(statement)).not.toContain('"*"}');
    }
  });

  it('subscribes the security team', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'secops@example.com',
    });
  });

  it('outputs the topic and key ARNs under fixed keys (the values members configure)', () => {
    const outputs = template.toJSON().Outputs ?? {};
    expect(Object.keys(outputs).sort()).toEqual(
      [CENTRAL_ALERT_OUTPUT_KEYS.keyArn, CENTRAL_ALERT_OUTPUT_KEYS.topicArn].sort(),
    );
    expect(outputs[CENTRAL_ALERT_OUTPUT_KEYS.topicArn].Value).toEqual({ Ref: expect.any(String) });
    expect(outputs[CENTRAL_ALERT_OUTPUT_KEYS.keyArn].Value).toEqual({
      'Fn::GetAtt': [expect.any(String), 'Arn'],
    });
  });

  it.each(['o-abc', 'O-ABCD123456', 'r-abcd123456', ''])('refuses the organization id "%s"', (id) => {
    expect(() => synth({ organizationId: id })).toThrow(/organizationId/);
  });

  it('has no cdk-nag finding', () => {
    const { stack } = synth({ emails: ['secops@example.com'] });
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
      );
    expect(findings).toEqual([]);
  });
});
