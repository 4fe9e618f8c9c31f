// Tests for the CDK layer: the IAM change rule's event pattern, field by field, and what it lets through.
import { Stack } from 'aws-cdk-lib';
import { WATCHED_IAM_EVENT_NAMES } from '../../lambda/contract';
import { SUPPORTED_EVENT_NAMES } from '../../lambda/events/role-change';
import { isRecord, resolveIntrinsics, resources, TEST_INTRINSICS } from './support/cfn';
import { matchesPattern } from './support/event-pattern-matcher';
import { type SynthOptions, synthGuardApp } from './support/synth-app';

const ACCOUNT = TEST_INTRINSICS.account;

/** The home rule's pattern with role ARNs resolved the way the tests' intrinsic resolver renders them. */
function homeRulePattern(options: SynthOptions = {}): {
  pattern: Record<string, unknown>;
  eventRoleArn: string;
  sweepRoleArn: string;
  homeRegion: string;
} {
  const { home, stacks } = synthGuardApp(options);
  // The IAM rule (the regional EKS/ECR rule is tested in regional-delivery.test.ts).
  const rules = resources(home, 'AWS::Events::Rule').filter(([, rule]) => {
    const eventPattern = rule.Properties?.EventPattern;
    return isRecord(eventPattern) && JSON.stringify(eventPattern.source) === '["aws.iam"]';
  });
  expect(rules).toHaveLength(1);
  const pattern = resolveIntrinsics(rules[0]?.[1].Properties?.EventPattern);
  if (!isRecord(pattern)) throw new Error('no event pattern');
  const arnOf = (value: string) => String(resolveIntrinsics(Stack.of(stacks.home).resolve(value)));
  return {
    pattern,
    eventRoleArn: arnOf(stacks.home.guard.eventFunction.role.roleArn),
    sweepRoleArn: arnOf(stacks.home.guard.sweepFunction.role.roleArn),
    homeRegion: stacks.home.region,
  };
}

type Identity = Record<string, unknown>;

function cloudTrailEvent(
  identity: Identity,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: '7f3d1c2e-0000-4000-8000-000000000001',
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.iam',
    account: ACCOUNT,
    region: 'us-east-1',
    resources: [],
    detail: {
      eventVersion: '1.11',
      userIdentity: identity,
      eventSource: 'iam.amazonaws.com',
      eventName: 'AttachRolePolicy',
      awsRegion: 'us-east-1',
      requestParameters: {
        roleName: 'eks-node-role',
        policyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
      },
      responseElements: null,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      ...overrides,
    },
  };
}

function assumedRole(roleArn: string): Identity {
  return {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLE:session',
    arn: `${roleArn.replace(':role/', ':assumed-role/').replace('arn:aws:iam', 'arn:aws:sts')}/session`,
    accountId: ACCOUNT,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLE',
        arn: roleArn,
        accountId: ACCOUNT,
        userName: 'x',
      },
      attributes: { creationDate: '2026-11-01T10:00:00Z', mfaAuthenticated: 'false' },
    },
  };
}

const IAM_USER: Identity = {
  type: 'IAMUser',
  principalId: 'AIDAEXAMPLE',
  arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
  accountId: ACCOUNT,
  userName: 'alice',
};

/** Root console sessions carry sessionContext.attributes but no sessionIssuer. */
const ROOT: Identity = {
  type: 'Root',
  principalId: ACCOUNT,
  arn: `arn:aws:iam::${ACCOUNT}:root`,
  accountId: ACCOUNT,
  sessionContext: { attributes: { creationDate: '2026-11-01T10:00:00Z', mfaAuthenticated: 'true' } },
};

const { pattern, eventRoleArn, sweepRoleArn } = homeRulePattern();

describe('IAM change rule pattern, field by field', () => {
  const detail = isRecord(pattern.detail) ? pattern.detail : {};

  it('matches CloudTrail API calls from IAM only', () => {
    expect(pattern.source).toEqual(['aws.iam']);
    expect(pattern['detail-type']).toEqual(['AWS API Call via CloudTrail']);
    expect(detail.eventSource).toEqual(['iam.amazonaws.com']);
  });

  it('watches exactly the IAM calls that can widen what a role may do (or make it a node role)', () => {
    expect(detail.eventName).toEqual([
      'AttachRolePolicy',
      'DetachRolePolicy',
      'PutRolePolicy',
      'CreatePolicyVersion',
      'SetDefaultPolicyVersion',
      'PutRolePermissionsBoundary',
      'DeleteRolePermissionsBoundary',
      'DeleteRolePolicy',
      'UpdateAssumeRolePolicy',
    ]);
  });

  it('drops failed calls: errorCode must not exist', () => {
    expect(detail.errorCode).toEqual([{ exists: false }]);
  });

  it('excludes both guard roles with $or, keeping events that have no session issuer', () => {
    expect(detail.$or).toEqual([
      {
        userIdentity: {
          sessionContext: { sessionIssuer: { arn: [{ 'anything-but': [eventRoleArn, sweepRoleArn] }] } },
        },
      },
      { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
    ]);
    expect(eventRoleArn).not.toEqual(sweepRoleArn);
  });
});

describe('IAM change rule pattern, against events', () => {
  it('watches exactly the events the handler supports (lib/ keeps its own list: it knows the runtime only by entry and environment)', () => {
    expect([...WATCHED_IAM_EVENT_NAMES].sort()).toEqual([...SUPPORTED_EVENT_NAMES].sort());
  });

  it.each(WATCHED_IAM_EVENT_NAMES)('matches a successful %s by another role', (eventName) => {
    const event = cloudTrailEvent(assumedRole(`arn:aws:iam::${ACCOUNT}:role/platform-admin`), { eventName });
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it('matches a call by an IAM user, who has no sessionContext at all', () => {
    expect(matchesPattern(pattern, cloudTrailEvent(IAM_USER))).toBe(true);
  });

  it('matches a call by the root user, whose sessionContext has no sessionIssuer', () => {
    expect(matchesPattern(pattern, cloudTrailEvent(ROOT))).toBe(true);
  });

  it('matches a role with a path (the ARN differs from the guard role ARN)', () => {
    const event = cloudTrailEvent(assumedRole(`arn:aws:iam::${ACCOUNT}:role/team/ci-deployer`));
    expect(matchesPattern(pattern, event)).toBe(true);
  });

  it.each([
    ['event function', () => eventRoleArn],
    ['sweep function', () => sweepRoleArn],
  ])("ignores the %s's own calls (no remediation loop)", (_name, roleArn) => {
    expect(matchesPattern(pattern, cloudTrailEvent(assumedRole(roleArn())))).toBe(false);
  });

  it('ignores failed calls', () => {
    const denied = cloudTrailEvent(IAM_USER, { errorCode: 'AccessDenied', errorMessage: 'not authorized' });
    expect(matchesPattern(pattern, denied)).toBe(false);
  });

  it.each(['CreateRole', 'TagRole', 'DeleteRole'])('ignores %s', (eventName) => {
    expect(matchesPattern(pattern, cloudTrailEvent(IAM_USER, { eventName }))).toBe(false);
  });

  it('ignores events from other sources', () => {
    const event = { ...cloudTrailEvent(IAM_USER), source: 'aws.eks' };
    expect(matchesPattern(pattern, event)).toBe(false);
  });
});

describe('IAM change rule pattern in a home Region other than us-east-1 (events forwarded from us-east-1)', () => {
  const home = homeRulePattern({ context: { region: 'eu-west-1' } });

  /**
   * An event as the home bus receives it from the us-east-1 forwarder rule: the same detail, and the envelope of
   * the source bus (region us-east-1, the source account), not of the bus the rule lives on.
   */
  const forwarded = (
    identity: Identity,
    overrides: Record<string, unknown> = {},
  ): Record<string, unknown> => ({
    ...cloudTrailEvent(identity, overrides),
    id: '0b8a4c7e-0000-4000-8000-0000000000f1',
    account: ACCOUNT,
    region: 'us-east-1',
    time: '2026-11-01T10:00:05Z',
  });

  it('lives in eu-west-1 and does not pin the envelope Region or account', () => {
    expect(home.homeRegion).toBe('eu-west-1');
    expect(Object.keys(home.pattern).sort()).toEqual(['detail', 'detail-type', 'source']);
  });

  it.each([
    ['an IAM user', IAM_USER],
    ['another role', assumedRole(`arn:aws:iam::${ACCOUNT}:role/platform-admin`)],
  ])('matches a forwarded call by %s', (_name, identity) => {
    expect(matchesPattern(home.pattern, forwarded(identity))).toBe(true);
  });

  it.each([
    ['event function', () => home.eventRoleArn],
    ['sweep function', () => home.sweepRoleArn],
  ])("ignores a forwarded call by the %s's role (the forwarder does not exclude it)", (_name, roleArn) => {
    expect(matchesPattern(home.pattern, forwarded(assumedRole(roleArn())))).toBe(false);
  });

  it('ignores a forwarded failed call', () => {
    const denied = forwarded(IAM_USER, { errorCode: 'AccessDenied', errorMessage: 'not authorized' });
    expect(matchesPattern(home.pattern, denied)).toBe(false);
  });
});

describe('the local matcher models the anything-but gotcha', () => {
  it('anything-but alone does not match a missing field', () => {
    const naive = {
      detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ 'anything-but': 'x' }] } } } },
    };
    expect(matchesPattern(naive, cloudTrailEvent(IAM_USER))).toBe(false);
    expect(matchesPattern(naive, cloudTrailEvent(assumedRole(`arn:aws:iam::${ACCOUNT}:role/other`)))).toBe(
      true,
    );
  });

  it('exists:false matches when an intermediate object is missing, not when the field is present', () => {
    const absent = {
      detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
    };
    expect(matchesPattern(absent, cloudTrailEvent(IAM_USER))).toBe(true);
    expect(matchesPattern(absent, cloudTrailEvent(assumedRole(`arn:aws:iam::${ACCOUNT}:role/other`)))).toBe(
      false,
    );
  });
});
