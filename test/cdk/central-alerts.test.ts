// Tests for the CDK layer: central alerts in a member account: the config keys (partition-aware ARNs), the event
// function's variable and statements (sns:Publish on exactly the central topic, the key only through SNS, the
// account name), nothing for the sweep, and a key without a topic refused.
import { Stack } from 'aws-cdk-lib';
import { GuardConfigError, loadGuardConfig } from '../../lib/config';
import { type IamStatement, isRecord, resolveIntrinsics, resources, roleStatements } from './support/cfn';
import { type SynthesizedGuard, synthGuardApp } from './support/synth-app';

const ACCOUNT = '111122223333';
const CENTRAL = 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts';
const KEY = 'arn:aws:kms:eu-central-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab';

const load = (context: Record<string, unknown>) => loadGuardConfig((key) => context[key]);

function errorKey(context: Record<string, unknown>): string {
  try {
    load(context);
  } catch (error) {
    if (error instanceof GuardConfigError) return error.key;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

function statementsOf(synth: SynthesizedGuard, which: 'eventFunction' | 'sweepFunction'): IamStatement[] {
  const role = synth.stacks.home.guard[which].role;
  const resolved = Stack.of(role).resolve(role.roleArn);
  const logicalId =
    isRecord(resolved) && Array.isArray(resolved['Fn::GetAtt']) ? String(resolved['Fn::GetAtt'][0]) : '';
  return roleStatements(synth.home, logicalId);
}

function bySid(statements: readonly IamStatement[], sid: string): IamStatement {
  const found = statements.filter((statement) => statement.sid === sid);
  expect(found).toHaveLength(1);
  const [statement] = found;
  if (statement === undefined) throw new Error(`no statement ${sid}`);
  return statement;
}

const DESCRIPTIONS = {
  eventFunction: 'eks-ecr-guard: evaluates an IAM change against EKS node roles',
  sweepFunction: 'eks-ecr-guard: scheduled audit of every EKS node role',
} as const;

function environmentOf(synth: SynthesizedGuard, which: 'eventFunction' | 'sweepFunction'): unknown {
  const found = resources(synth.home, 'AWS::Lambda::Function').filter(
    ([, fn]) => fn.Properties?.Description === DESCRIPTIONS[which],
  );
  expect(found).toHaveLength(1);
  const environment = found[0]?.[1].Properties?.Environment;
  return isRecord(environment) ? environment.Variables : undefined;
}

describe('central alert config keys', () => {
  it('are unset by default', () => {
    const config = load({});
    expect(config.centralAlertTopicArn).toBeUndefined();
    expect(config.centralAlertKeyArn).toBeUndefined();
    expect(config.organizationId).toBeUndefined();
  });

  it.each([
    CENTRAL,
    'arn:aws-cn:sns:cn-north-1:999988887777:central',
    'arn:aws-us-gov:sns:us-gov-west-1:999988887777:central',
  ])('accept the topic ARN %s (every partition)', (arn) => {
    expect(load({ centralAlertTopicArn: ` ${arn} ` }).centralAlertTopicArn).toBe(arn);
  });

  it.each([
    'central',
    'arn:aws:sqs:eu-central-1:999988887777:central',
    'arn:aws:sns:eu-central-1:9999:central',
    'arn:aws-xx:sns:eu-central-1:999988887777:central',
  ])('refuse %s as centralAlertTopicArn, naming the key', (arn) => {
    expect(errorKey({ centralAlertTopicArn: arn })).toBe('centralAlertTopicArn');
  });

  it('accept a KMS key ARN and refuse an alias or a bare id', () => {
    expect(load({ centralAlertKeyArn: KEY }).centralAlertKeyArn).toBe(KEY);
    expect(errorKey({ centralAlertKeyArn: 'arn:aws:kms:eu-central-1:999988887777:alias/central' })).toBe(
      'centralAlertKeyArn',
    );
    expect(errorKey({ centralAlertKeyArn: '1234abcd-12ab-34cd-56ef-1234567890ab' })).toBe(
      'centralAlertKeyArn',
    );
  });

  it.each([
    ['o-abcd123456', true],
    [`o-${'a1'.repeat(16)}`, true],
    ['o-abc', false],
    ['o-ABCD123456', false],
    ['r-abcd123456', false],
    [`o-${'a'.repeat(33)}`, false],
  ])('validate organizationId %s (o-[a-z0-9]{10,32}): %s', (id, valid) => {
    if (valid) expect(load({ organizationId: id }).organizationId).toBe(id);
    else expect(errorKey({ organizationId: id })).toBe('organizationId');
  });

  it('refuse a key without its topic at synth, naming the key', () => {
    expect(() => synthGuardApp({ context: { centralAlertKeyArn: KEY } })).toThrow(GuardConfigError);
    expect(() => synthGuardApp({ context: { centralAlertKeyArn: KEY } })).toThrow(/centralAlertKeyArn/);
  });
});

describe('without a central topic', () => {
  const synth = synthGuardApp();

  it('has no central statement, and an empty variable nowhere', () => {
    for (const which of ['eventFunction', 'sweepFunction'] as const) {
      const sids = statementsOf(synth, which).map((statement) => statement.sid);
      expect(sids).not.toContain('PublishToCentralAlertTopic');
      expect(sids).not.toContain('UseCentralAlertTopicKey');
      expect(sids).not.toContain('ReadOwnAccountName');
      expect(JSON.stringify(environmentOf(synth, which))).not.toContain('CENTRAL_ALERT_TOPIC_ARN');
    }
  });
});

describe.each([
  ['without its key', {}, 'arn:aws:kms:eu-central-1:999988887777:key/*'],
  ['with its key', { centralAlertKeyArn: KEY }, KEY],
])('with a central topic in another account and Region, %s', (_name, extra, keyResource) => {
  const synth = synthGuardApp({
    context: { region: 'eu-west-1', centralAlertTopicArn: CENTRAL, ...extra },
  });
  const event = statementsOf(synth, 'eventFunction');

  it('lets the event function publish to exactly that topic, and tells it the ARN', () => {
    const publish = bySid(event, 'PublishToCentralAlertTopic');
    expect(publish.effect).toBe('Allow');
    expect(publish.actions).toEqual(['sns:Publish']);
    expect(publish.resource).toBe(CENTRAL);
    expect(publish.condition).toBeUndefined();
    expect(environmentOf(synth, 'eventFunction')).toMatchObject({ CENTRAL_ALERT_TOPIC_ARN: CENTRAL });
    const publishes = event.filter((statement) => statement.actions.includes('sns:Publish'));
    expect(publishes.flatMap((statement) => statement.resource)).not.toContain('*');
  });

  it('uses the topic key only through SNS in the topic Region', () => {
    const key = bySid(event, 'UseCentralAlertTopicKey');
    expect(key.actions).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
    expect(resolveIntrinsics(key.resource)).toBe(keyResource);
    expect(resolveIntrinsics(key.condition)).toEqual({
      StringEquals: { 'kms:ViaService': 'sns.eu-central-1.amazonaws.com' },
    });
  });

  it("reads only its own account's information (the name)", () => {
    const name = bySid(event, 'ReadOwnAccountName');
    expect(name.actions).toEqual(['account:GetAccountInformation']);
    expect(resolveIntrinsics(name.resource)).toBe(`arn:aws:account::${ACCOUNT}:account`);
  });

  it('gives the sweep nothing of it (its digest stays in the account)', () => {
    const sweep = statementsOf(synth, 'sweepFunction');
    const sids = sweep.map((statement) => statement.sid);
    expect(sids).not.toContain('PublishToCentralAlertTopic');
    expect(sids).not.toContain('UseCentralAlertTopicKey');
    expect(JSON.stringify(sweep)).not.toContain('999988887777');
  });

  it('adds no IAM action at all', () => {
    const central = event.filter((statement) =>
      ['PublishToCentralAlertTopic', 'UseCentralAlertTopicKey', 'ReadOwnAccountName'].includes(
        statement.sid ?? '',
      ),
    );
    expect(central.flatMap((statement) => statement.actions).filter((a) => a.startsWith('iam:'))).toEqual([]);
  });
});
