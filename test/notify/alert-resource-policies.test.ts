// Tests for the alert's ECR resource-policy section: one entry per resource grant, the command that shows the
// policy, the one that takes the statement out, and the note that remediation never edits resource policies.
import { resourceGrantsForRole, resourcePolicySources } from '../../lambda/domain/resource-policies';
import type { EcrInventory, Grant } from '../../lambda/domain/types';
import { formatAlert } from '../../lambda/notify/format';
import { alertInput, appliedOutcome, GUARD_STEP, ROLE_ARN, ROLE_NAME, violationDecision } from './support';

const push = { Sid: 'NodesPush', Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'ecr:PutImage' };
const ci = {
  Sid: 'CiPush',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:role/ci' },
  Action: 'ecr:PutImage',
};
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

function grants(inventory: EcrInventory): Grant[] {
  return [
    ...resourceGrantsForRole(
      { name: ROLE_NAME, arn: ROLE_ARN },
      resourcePolicySources(inventory),
      { identity: [], boundary: null },
      { pullAllowance: new Set() },
    ).grants,
  ];
}

const inventory: EcrInventory = {
  'eu-west-1': {
    registryPolicy: policy({ ...push, Sid: 'Everywhere', Resource: '*' }),
    repositories: [
      {
        repositoryName: 'app',
        repositoryArn: 'arn:aws:ecr:eu-west-1:111122223333:repository/app',
        policyText: policy(ci, push),
      },
      {
        repositoryName: 'solo',
        repositoryArn: 'arn:aws:ecr:eu-west-1:111122223333:repository/solo',
        policyText: policy(push),
      },
    ],
    repositoryCreationTemplates: [],
  },
};

describe('the ECR resource policies section of the alert', () => {
  const body = (mode: 'alert' | 'remediate') =>
    formatAlert(
      alertInput({
        decision: violationDecision({ grants: grants(inventory), plan: [GUARD_STEP] }),
        mode,
        outcome: mode === 'remediate' ? appliedOutcome([GUARD_STEP]) : null,
      }),
    ).body;

  it.each(['alert', 'remediate'] as const)('in %s mode, says the guard does not edit them', (mode) => {
    const text = body(mode);
    expect(text).toContain('ECR RESOURCE POLICIES (NOT DONE BY REMEDIATION)');
    expect(text).toContain('The guard does not edit ECR resource policies, in any mode');
  });

  it('gives each grant its own entry with the show and remove commands', () => {
    const text = body('alert');
    expect(text).toContain('1. every repository of the registry in eu-west-1: statement Everywhere');
    expect(text).toContain('aws ecr get-registry-policy --region eu-west-1');
    // The registry policy's only statement: delete the policy.
    expect(text).toContain('aws ecr delete-registry-policy --region eu-west-1');
    expect(text).toContain('2. repository app (eu-west-1): statement NodesPush');
    expect(text).toContain('aws ecr get-repository-policy --repository-name app --region eu-west-1');
    // The edited policy keeps CiPush and drops NodesPush.
    const setCommand = text.slice(text.indexOf('aws ecr set-repository-policy --repository-name app'));
    expect(setCommand.slice(0, setCommand.indexOf('--region'))).toContain('"Sid": "CiPush"');
    expect(setCommand.slice(0, setCommand.indexOf('--region'))).not.toContain('NodesPush');
    expect(text).toContain('aws ecr delete-repository-policy --repository-name solo --region eu-west-1');
    expect(text).toContain('Read as registry policy scope V2');
  });

  it('has no such section when every grant is an identity grant', () => {
    expect(formatAlert(alertInput()).body).not.toContain('ECR RESOURCE POLICIES');
  });
});
