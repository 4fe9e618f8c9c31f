// Tests for the CDK layer: the organization deployment's Regions (the forwarder StackSets of a home Region other than
// us-east-1 and of the watched Regions), its callAs and organization id, and the bundling of the templates.
import { Aws, Stack } from 'aws-cdk-lib';
import { ORG_STACK_SET_NAMES, type OrgStackSetKind } from '../../lib/org/org-deployment-stack';
import { asList, isRecord, resources } from './support/cfn';
import { synthOrgApp } from './support/synth-org';

const FORWARDED = synthOrgApp({
  context: {
    region: 'eu-west-1',
    organizationalUnits: 'ou-abcd-11111111,r-ab12',
    remediateOrganizationalUnits: 'ou-abcd-22222222',
    stackSetRegions: 'eu-west-1,us-west-2,ap-southeast-2',
    callAs: 'DELEGATED_ADMIN',
    organizationId: 'o-a1b2c3d4e5',
  },
});

function stackSet(
  synth: typeof FORWARDED,
  name: string,
): { id: string; props: Record<string, unknown>; dependsOn: string[] } {
  const matching = resources(synth.org, 'AWS::CloudFormation::StackSet').filter(
    ([, resource]) => resource.Properties?.StackSetName === name,
  );
  expect(matching).toHaveLength(1);
  const [[id, resource] = ['', { Type: '' }]] = matching;
  const raw = synth.org.toJSON().Resources[id];
  return {
    id,
    props: resource.Properties ?? {},
    dependsOn: isRecord(raw) ? asList(raw.DependsOn).map(String) : [],
  };
}

function templateOf(synth: typeof FORWARDED, kind: OrgStackSetKind) {
  const found = synth.templates.get(kind);
  if (found === undefined) throw new Error(`no ${kind} template`);
  return found;
}

describe('home eu-west-1, watched us-west-2 and ap-southeast-2, delegated administrator', () => {
  it('puts the guards in eu-west-1, the IAM forwarder in us-east-1 and the regional forwarders in the others', () => {
    const regions = (name: string) =>
      asList(stackSet(FORWARDED, name).props.StackInstancesGroup)
        .filter(isRecord)
        .map((group) => group.Regions);
    expect(regions(ORG_STACK_SET_NAMES.alertGuard)).toEqual([['eu-west-1']]);
    expect(regions(ORG_STACK_SET_NAMES.remediateGuard)).toEqual([['eu-west-1']]);
    expect(regions(ORG_STACK_SET_NAMES.iamForwarder)).toEqual([['us-east-1']]);
    expect(regions(ORG_STACK_SET_NAMES.regionalForwarder)).toEqual([['us-west-2', 'ap-southeast-2']]);
  });

  it('sends the forwarders to every target OU (both modes), roots included', () => {
    for (const name of [ORG_STACK_SET_NAMES.iamForwarder, ORG_STACK_SET_NAMES.regionalForwarder]) {
      expect(stackSet(FORWARDED, name).props.StackInstancesGroup).toEqual([
        {
          DeploymentTargets: {
            AccountFilterType: 'NONE',
            OrganizationalUnitIds: ['ou-abcd-11111111', 'r-ab12', 'ou-abcd-22222222'],
          },
          Regions: expect.any(Array),
        },
      ]);
    }
  });

  it('creates the forwarders after the guards whose buses they feed', () => {
    const guardIds = [ORG_STACK_SET_NAMES.alertGuard, ORG_STACK_SET_NAMES.remediateGuard].map(
      (name) => stackSet(FORWARDED, name).id,
    );
    for (const name of [ORG_STACK_SET_NAMES.iamForwarder, ORG_STACK_SET_NAMES.regionalForwarder]) {
      expect(stackSet(FORWARDED, name).dependsOn).toEqual(expect.arrayContaining(guardIds));
    }
  });

  it('calls as the delegated administrator, service-managed, auto-deploying', () => {
    for (const name of Object.values(ORG_STACK_SET_NAMES)) {
      expect(stackSet(FORWARDED, name).props).toMatchObject({
        CallAs: 'DELEGATED_ADMIN',
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
      });
    }
  });

  it('defaults the organization id parameter to the configured one', () => {
    FORWARDED.org.hasParameter('OrganizationId', { Default: 'o-a1b2c3d4e5' });
  });

  it('forwards IAM events (only) from us-east-1 to the home bus', () => {
    const iam = templateOf(FORWARDED, 'iamForwarder');
    const rules = resources(iam, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [[, rule] = ['', { Type: '' }]] = rules;
    expect(rule.Properties?.EventPattern).toMatchObject({ source: ['aws.iam'] });
    expect(JSON.stringify(rule.Properties?.Targets)).toContain(':events:eu-west-1:');
    expect(resources(iam, 'AWS::Lambda::Function')).toEqual([]);
  });

  it("forwards each Region's own EKS/ECR events, one template for every regional Region", () => {
    const regional = templateOf(FORWARDED, 'regionalForwarder');
    const rules = resources(regional, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [[, rule] = ['', { Type: '' }]] = rules;
    expect(rule.Properties?.EventPattern).toMatchObject({ region: [{ Ref: 'AWS::Region' }] });
    expect(
      asList(isRecord(rule.Properties?.EventPattern) ? rule.Properties.EventPattern.source : []),
    ).toEqual(expect.arrayContaining(['aws.eks', 'aws.ecr']));
    // No code: the forwarders need no bucket and no parameter.
    expect(resources(regional, 'AWS::Lambda::Function')).toEqual([]);
    expect(stackSet(FORWARDED, ORG_STACK_SET_NAMES.regionalForwarder).props.Parameters).toBeUndefined();
  });
});

describe('home eu-west-1 watching us-east-1 too, alert OUs only', () => {
  const synth = synthOrgApp({
    context: {
      region: 'eu-west-1',
      organizationalUnits: 'ou-abcd-11111111',
      stackSetRegions: 'eu-west-1,us-east-1',
    },
  });

  it('creates no remediate StackSet and no regional one: the IAM forwarder also forwards us-east-1 EKS/ECR events', () => {
    expect([...synth.templates.keys()].sort()).toEqual(['alertGuard', 'iamForwarder']);
    const rules = resources(templateOf(synth, 'iamForwarder'), 'AWS::Events::Rule');
    const sources = rules.flatMap(([, rule]) =>
      isRecord(rule.Properties?.EventPattern) ? asList(rule.Properties.EventPattern.source) : [],
    );
    expect(sources).toEqual(expect.arrayContaining(['aws.iam', 'aws.eks', 'aws.ecr']));
  });
});

describe('bundling of the templates', () => {
  it('always bundles the member templates, whichever stacks the CLI selected', () => {
    for (const { template } of FORWARDED.deployment.stack.stackSets.values()) {
      expect(template.bundlingRequired).toBe(true);
    }
    expect(Stack.of(FORWARDED.deployment.stack).bundlingRequired).toBe(false);
  });

  it('keeps the templates environment-agnostic (they run in every member account and Region)', () => {
    for (const { template } of FORWARDED.deployment.stack.stackSets.values()) {
      expect(template.account).toBe(Aws.ACCOUNT_ID);
      expect(template.region).toBe(Aws.REGION);
    }
  });
});
