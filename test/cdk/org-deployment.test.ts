// Tests for the CDK layer: the organization deployment (issue 14's done-when context): service-managed StackSets
// with auto-deployment, one per mode, the code bucket that carries the Lambda bundles, and cdk-nag over all of it.
import { Stack, Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { ORG_STACK_SET_NAMES, type OrgStackSetKind } from '../../lib/org/org-deployment-stack';
import { ASSET_BUCKET_PREFIX_PARAMETER } from '../../lib/org/stackset-templates';
import {
  asList,
  type IamStatement,
  identityStatements,
  isRecord,
  resolveIntrinsics,
  resources,
  TEST_INTRINSICS,
} from './support/cfn';
import { synthOrgApp, TWO_OUS } from './support/synth-org';

const ADMIN_ACCOUNT = '999988887777';
const MEMBER_ACCOUNT = TEST_INTRINSICS.account;
const synth = synthOrgApp({ context: TWO_OUS });
const EXEMPT_TAG_IS_ABSENT = { Null: { 'aws:ResourceTag/eks-ecr-guard:exempt': 'true' } };
/** CreateStackSet's TemplateBody limit; larger templates must be given by TemplateURL. */
const TEMPLATE_BODY_LIMIT = 51_200;

function template(kind: OrgStackSetKind) {
  const found = synth.templates.get(kind);
  if (found === undefined) throw new Error(`no ${kind} template`);
  return found;
}

function stackSetProps(name: string): Record<string, unknown> {
  const matching = resources(synth.org, 'AWS::CloudFormation::StackSet').filter(
    ([, resource]) => resource.Properties?.StackSetName === name,
  );
  expect(matching).toHaveLength(1);
  const [[, resource] = ['', { Type: '' }]] = matching;
  return resource.Properties ?? {};
}

const isIamWrite = (statement: IamStatement) =>
  statement.actions.some((action) => action.startsWith('iam:') && !/^iam:(Get|List)[A-Za-z]*$/.test(action));

describe('the org app (organizationalUnits + remediateOrganizationalUnits)', () => {
  it('holds the org stack only: no single-account guard stack is synthesized', () => {
    const stacks = synth.app.node.children
      .filter((child) => Stack.isStack(child))
      .map((child) => child.node.id);
    expect(stacks).toEqual(['EksEcrGuardOrg']);
  });

  it('creates one service-managed StackSet per mode, with auto-deployment and removal on leave', () => {
    synth.org.resourceCountIs('AWS::CloudFormation::StackSet', 2);
    for (const name of [ORG_STACK_SET_NAMES.alertGuard, ORG_STACK_SET_NAMES.remediateGuard]) {
      expect(stackSetProps(name)).toMatchObject({
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        CallAs: 'SELF',
        Capabilities: ['CAPABILITY_IAM'],
        ManagedExecution: { Active: true },
        OperationPreferences: {
          FailureTolerancePercentage: 10,
          MaxConcurrentPercentage: 25,
          RegionConcurrencyType: 'PARALLEL',
        },
      });
    }
  });

  it('targets each OU with its own mode, in the home Region', () => {
    const groups = (name: string) => stackSetProps(name).StackInstancesGroup;
    expect(groups(ORG_STACK_SET_NAMES.alertGuard)).toEqual([
      {
        DeploymentTargets: { AccountFilterType: 'NONE', OrganizationalUnitIds: ['ou-abcd-11111111'] },
        Regions: ['us-east-1'],
      },
    ]);
    expect(groups(ORG_STACK_SET_NAMES.remediateGuard)).toEqual([
      {
        DeploymentTargets: { AccountFilterType: 'NONE', OrganizationalUnitIds: ['ou-abcd-22222222'] },
        Regions: ['us-east-1'],
      },
    ]);
  });

  it('needs no forwarder when the home Region is where IAM events arrive and nothing else is watched', () => {
    expect([...synth.templates.keys()].sort()).toEqual(['alertGuard', 'remediateGuard']);
  });

  it('passes each template by URL (both exceed the TemplateBody limit)', () => {
    for (const name of [ORG_STACK_SET_NAMES.alertGuard, ORG_STACK_SET_NAMES.remediateGuard]) {
      const props = stackSetProps(name);
      expect(props.TemplateBody).toBeUndefined();
      expect(JSON.stringify(props.TemplateURL)).toMatch(
        /cdk-hnb659fds-assets-\$\{AWS::AccountId\}-us-east-1\/[0-9a-f]{64}\.json/,
      );
    }
    for (const bytes of synth.templateBytes.values()) expect(bytes).toBeGreaterThan(TEMPLATE_BODY_LIMIT);
  });
});

describe('per-OU mode: the templates', () => {
  const alert = identityStatements(template('alertGuard'));
  const remediate = identityStatements(template('remediateGuard'));

  it('gives the alert-only template no IAM write permission at all', () => {
    expect(alert.length).toBeGreaterThan(0);
    expect(alert.filter(isIamWrite)).toEqual([]);
  });

  it('gives the remediate template the three conditioned IAM writes, once per guard function', () => {
    const writes = remediate.filter(isIamWrite);
    expect(writes.map((statement) => statement.sid).sort()).toEqual([
      'AttachReplacementPullPolicy',
      'AttachReplacementPullPolicy',
      'DetachEcrWritePolicies',
      'DetachEcrWritePolicies',
      'RewriteInlineRolePolicies',
      'RewriteInlineRolePolicies',
    ]);
    for (const statement of writes) {
      expect(statement.effect).toBe('Allow');
      expect(statement.condition).toMatchObject(EXEMPT_TAG_IS_ABSENT);
    }
    const attach = writes.find((statement) => statement.sid === 'AttachReplacementPullPolicy');
    expect(resolveIntrinsics(attach?.condition)).toEqual({
      ArnEquals: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' },
      ...EXEMPT_TAG_IS_ABSENT,
    });
  });

  it('tells the functions their mode', () => {
    const modes = (kind: OrgStackSetKind) =>
      resources(template(kind), 'AWS::Lambda::Function').map(([, fn]) => {
        const environment = fn.Properties?.Environment;
        const variables =
          isRecord(environment) && isRecord(environment.Variables) ? environment.Variables : {};
        return Object.entries(variables).find(([name]) => name.endsWith('MODE'))?.[1];
      });
    expect(modes('alertGuard')).toEqual(['alert', 'alert']);
    expect(modes('remediateGuard')).toEqual(['remediate', 'remediate']);
  });

  it('keeps the same rules as the single-account guard (IAM changes and the regional EKS/ECR changes)', () => {
    for (const kind of ['alertGuard', 'remediateGuard'] as const) {
      const patterns = resources(template(kind), 'AWS::Events::Rule').map(
        ([, rule]) => rule.Properties?.EventPattern,
      );
      const sources = patterns.flatMap((pattern) => (isRecord(pattern) ? asList(pattern.source) : []));
      expect(sources).toEqual(expect.arrayContaining(['aws.iam', 'aws.eks', 'aws.ecr']));
    }
  });
});

describe('the asset solution: a code bucket of the org stack, readable by the organization', () => {
  const bucketName = (): string => {
    const [[logicalId, bucket] = ['', { Type: '' }]] = resources(synth.org, 'AWS::S3::Bucket');
    expect(logicalId).not.toBe('');
    return String(
      resolveIntrinsics(bucket.Properties?.BucketName, {
        ...TEST_INTRINSICS,
        account: ADMIN_ACCOUNT,
        region: 'us-east-1',
      }),
    );
  };

  it('names the bucket after the admin account and Region', () => {
    expect(bucketName()).toBe(`eks-ecr-guard-assets-${ADMIN_ACCOUNT}-us-east-1`);
  });

  it("points every function of a template at that bucket, in the member account's Region", () => {
    const prefix = stackSetProps(ORG_STACK_SET_NAMES.alertGuard).Parameters;
    expect(prefix).toEqual([
      { ParameterKey: ASSET_BUCKET_PREFIX_PARAMETER, ParameterValue: expect.anything() },
    ]);
    const prefixValue = String(
      resolveIntrinsics(asList(prefix).filter(isRecord)[0]?.ParameterValue, {
        ...TEST_INTRINSICS,
        account: ADMIN_ACCOUNT,
      }),
    );
    for (const kind of ['alertGuard', 'remediateGuard'] as const) {
      const functions = resources(template(kind), 'AWS::Lambda::Function');
      expect(functions).toHaveLength(2);
      for (const [, fn] of functions) {
        const code = fn.Properties?.Code;
        expect(isRecord(code)).toBe(true);
        if (!isRecord(code)) continue;
        // Resolved in a member account of the home Region, with the prefix the StackSet passes.
        const inMember = resolveIntrinsics(code.S3Bucket, {
          ...TEST_INTRINSICS,
          account: MEMBER_ACCOUNT,
          region: 'us-east-1',
          attribute: (id) => (id === ASSET_BUCKET_PREFIX_PARAMETER ? prefixValue : `unexpected:${id}`),
        });
        expect(inMember).toBe(bucketName());
        expect(code.S3Key).toMatch(/^[0-9a-f]{64}\.zip$/);
      }
    }
  });

  it('copies exactly the bundles the templates reference into the bucket, unextracted, before the StackSets run', () => {
    const copies = resources(synth.org, 'Custom::CDKBucketDeployment');
    expect(copies.length).toBeGreaterThan(0);
    const copied = new Set(
      copies.flatMap(([, copy]) => asList(copy.Properties?.SourceObjectKeys).map(String)),
    );
    for (const [, copy] of copies) {
      expect(copy.Properties).toMatchObject({
        Extract: false,
        Prune: false,
        DestinationBucketName: { Ref: expect.any(String) },
      });
    }
    const referenced = ['alertGuard', 'remediateGuard'].flatMap((kind) =>
      resources(
        template(kind === 'alertGuard' ? 'alertGuard' : 'remediateGuard'),
        'AWS::Lambda::Function',
      ).map(([, fn]) => (isRecord(fn.Properties?.Code) ? String(fn.Properties.Code.S3Key) : '')),
    );
    for (const key of referenced) expect(copied).toContain(key);
    const copyIds = copies.map(([id]) => id);
    const stackSets = synth.org.toJSON().Resources;
    for (const [, stackSet] of Object.entries(stackSets).filter(
      ([, r]) => isRecord(r) && r.Type === 'AWS::CloudFormation::StackSet',
    )) {
      const dependsOn = isRecord(stackSet) ? asList(stackSet.DependsOn).map(String) : [];
      expect(copyIds.some((id) => dependsOn.includes(id))).toBe(true);
    }
  });

  it('lets only principals of the organization get objects, over TLS, and nothing else', () => {
    const [[, policy] = ['', { Type: '' }]] = resources(synth.org, 'AWS::S3::BucketPolicy');
    const document = policy.Properties?.PolicyDocument;
    const statements = isRecord(document) ? asList(document.Statement).filter(isRecord) : [];
    const allows = statements.filter((statement) => statement.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Sid: 'OrganizationReadsGuardCode',
      Principal: { AWS: '*' },
      Action: ['s3:GetObject', 's3:GetObjectVersion'],
      Condition: { StringEquals: { 'aws:PrincipalOrgID': { Ref: 'OrganizationId' } } },
    });
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    synth.org.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('asks for the organization id at deploy time when the config has none', () => {
    synth.org.hasParameter('OrganizationId', {
      Type: 'String',
      AllowedPattern: '^o-[a-z0-9]{10,32}$',
      Default: Match.absent(),
    });
  });
});

describe('cdk-nag AwsSolutions over the org stack and every template', () => {
  function findings(scope: IConstruct): string[] {
    return new AwsSolutionsChecks()
      .validateScope(scope)
      .violations.flatMap((violation) =>
        violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
      );
  }

  it('has no unacknowledged finding', () => {
    expect(findings(synth.deployment.stack)).toEqual([]);
    for (const { template: stackSetTemplate } of synth.deployment.stack.stackSets.values()) {
      expect(findings(stackSetTemplate)).toEqual([]);
    }
  });

  it("acknowledges the code copy's findings one by one, each with a reason", () => {
    const acks = synth.deployment.stack.node
      .findAll()
      .filter((construct) => construct.node.id.startsWith('Custom::CDKBucketDeployment'))
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => (isRecord(entry.data) ? Object.entries(entry.data) : [])),
      );
    expect(acks.length).toBeGreaterThan(5);
    for (const [id, reason] of acks) {
      expect(id).toMatch(/^Annotation::AwsSolutions-(IAM4\[Policy::.+\]|IAM5\[(Resource|Action)::.+\]|L1)$/);
      expect(String(reason).length).toBeGreaterThan(40);
    }
  });
});
