// Tests for the CDK layer: cdk-nag AwsSolutions over the whole app, with every acknowledgement precise.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { isRecord } from './support/cfn';
import { synthGuardApp } from './support/synth-app';

/** Unacknowledged findings of every stack of the app, as "rule @ construct path". */
function nagFindings(context: Record<string, unknown>): string[] {
  const { stacks } = synthGuardApp({ context });
  return [stacks.home, ...(stacks.forwarder ? [stacks.forwarder] : []), ...stacks.regionalForwarders].flatMap(
    (stack) =>
      new AwsSolutionsChecks()
        .validateScope(stack)
        .violations.flatMap((violation) =>
          violation.violatingResources.map((resource) => `${violation.ruleName} @ ${resource.constructPath}`),
        ),
  );
}

/** Every acknowledgement recorded in the tree: [rule id, reason]. */
function acknowledgements(root: IConstruct): Array<[string, string]> {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => (isRecord(entry.data) ? Object.entries(entry.data) : []))
      .map(([id, reason]): [string, string] => [id, String(reason)]),
  );
}

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['defaults (alert, home us-east-1)', {}],
    ['remediate mode', { mode: 'remediate' }],
    ['Security Hub findings, alert mode', { securityHub: 'true' }],
    [
      'Security Hub findings, remediate mode, home eu-west-1',
      { securityHub: 'true', mode: 'remediate', region: 'eu-west-1' },
    ],
    ['home eu-west-1 (with forwarder), remediate', { region: 'eu-west-1', mode: 'remediate' }],
    [
      'watched Regions (IAM + regional forwarders)',
      { region: 'eu-west-1', watchRegions: 'eu-west-1,us-east-1,us-west-2' },
    ],
    [
      'every option',
      {
        region: 'eu-west-1',
        createTrail: 'true',
        chatTopicArn: 'arn:aws:sns:eu-west-1:111122223333:chat',
        eksRegions: 'eu-west-1,us-east-2',
        notificationEmails: 'sec@example.com',
        operationsEmails: 'ops@example.com',
      },
    ],
    [
      'central alert topic in another account and Region, key not configured',
      { centralAlertTopicArn: 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts' },
    ],
    [
      'central alert topic with its key, remediate mode',
      {
        mode: 'remediate',
        centralAlertTopicArn: 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts',
        centralAlertKeyArn: 'arn:aws:kms:eu-central-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      },
    ],
    [
      'existing alert topic, no sweep schedule',
      { alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:alerts', sweepSchedule: '' },
    ],
  ])('has no unacknowledged finding: %s', (_name, context) => {
    expect(nagFindings(context)).toEqual([]);
  });

  it('acknowledges only granular findings, each with a real reason', () => {
    const { app } = synthGuardApp({
      context: { mode: 'remediate', region: 'eu-west-1', createTrail: 'true' },
    });
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const [id, reason] of acks) {
      expect(id).toMatch(/^Annotation::AwsSolutions-[A-Z0-9]+(\[.+\])?$/);
      if (id.includes('IAM5')) expect(id).toMatch(/\[(Resource|Action)::.+\]$/);
      expect(reason.length).toBeGreaterThan(40);
    }
  });

  it('still catches a finding nobody acknowledged (the checks are live)', () => {
    const app = new App();
    const stack = new Stack(app, 'Probe');
    new iam.Role(stack, 'Wide', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(
      new iam.PolicyStatement({ actions: ['iam:*'], resources: ['*'] }),
    );
    const findings = new AwsSolutionsChecks()
      .validateScope(stack)
      .violations.map((violation) => violation.ruleName);
    expect(findings).toEqual(
      expect.arrayContaining(['AwsSolutions-IAM5[Action::iam:*]', 'AwsSolutions-IAM5[Resource::*]']),
    );
  });
});
