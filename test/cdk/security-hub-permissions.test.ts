// Tests for the CDK layer: the opt-in Security Hub permissions (securityHub=true) by property: absent by default,
// and when on, only BatchImportFindings into this account's default product and GetFindings on its own hub.
import { ENV } from '../../lambda/contract';
import { identityStatements, isRecord, resolveIntrinsics, resources, TEST_INTRINSICS } from './support/cfn';
import { synthGuardApp } from './support/synth-app';

const { account, region, partition } = TEST_INTRINSICS;
const OWN_PRODUCT = `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
const OWN_HUB = `arn:${partition}:securityhub:${region}:${account}:hub/default`;

const securityHubStatements = (context: Record<string, unknown>) =>
  identityStatements(synthGuardApp({ context, env: { CDK_DEFAULT_REGION: region } }).home)
    .filter((statement) => statement.actions.some((action) => action.startsWith('securityhub:')))
    .map((statement) => ({
      ...statement,
      resource: resolveIntrinsics(statement.resource),
      condition: resolveIntrinsics(statement.condition),
    }));

function functionVariables(context: Record<string, unknown>): Record<string, unknown>[] {
  const { home } = synthGuardApp({ context, env: { CDK_DEFAULT_REGION: region } });
  return resources(home, 'AWS::Lambda::Function').map(([, fn]) => {
    const environment = fn.Properties?.Environment;
    const variables = isRecord(environment) ? environment.Variables : undefined;
    return isRecord(variables) ? variables : {};
  });
}

describe.each([
  ['defaults', {}],
  ['remediate mode', { mode: 'remediate' }],
  ['securityHub=false', { securityHub: 'false' }],
])('without securityHub (%s)', (_name, context) => {
  it('grants no Security Hub action', () => {
    expect(securityHubStatements(context)).toEqual([]);
  });

  it('tells both functions findings are off', () => {
    const variables = functionVariables(context);
    expect(variables).toHaveLength(2);
    for (const fn of variables) expect(fn[ENV.securityHub]).toBe('false');
  });
});

describe.each([
  ['alert mode', { securityHub: 'true' }],
  ['remediate mode', { securityHub: true, mode: 'remediate' }],
])('with securityHub=true (%s)', (_name, context) => {
  const statements = securityHubStatements(context);

  it('gives each of the two functions exactly the two Security Hub statements', () => {
    expect(statements.map((statement) => statement.sid).sort()).toEqual([
      'ImportOwnSecurityHubFindings',
      'ImportOwnSecurityHubFindings',
      'ReadOwnSecurityHubFindings',
      'ReadOwnSecurityHubFindings',
    ]);
    expect(new Set(statements.map((statement) => statement.holder)).size).toBe(2);
  });

  it('imports only into this account and Region default product, for this account only', () => {
    for (const statement of statements.filter((s) => s.sid === 'ImportOwnSecurityHubFindings')) {
      expect(statement.effect).toBe('Allow');
      expect(statement.actions).toEqual(['securityhub:BatchImportFindings']);
      expect(statement.resource).toBe(OWN_PRODUCT);
      expect(statement.condition).toEqual({ StringEquals: { 'securityhub:TargetAccount': account } });
    }
  });

  it('reads findings from its own hub only, and changes nothing', () => {
    for (const statement of statements.filter((s) => s.sid === 'ReadOwnSecurityHubFindings')) {
      expect(statement.actions).toEqual(['securityhub:GetFindings']);
      expect(statement.resource).toBe(OWN_HUB);
    }
    const actions = statements.flatMap((statement) => statement.actions);
    expect(
      actions.filter((action) => !/^securityhub:(BatchImportFindings|GetFindings)$/.test(action)),
    ).toEqual([]);
    expect(statements.some((statement) => JSON.stringify(statement.resource).includes('*'))).toBe(false);
  });

  it('tells both functions findings are on', () => {
    const variables = functionVariables(context);
    expect(variables).toHaveLength(2);
    for (const fn of variables) expect(fn[ENV.securityHub]).toBe('true');
  });
});

it('keeps alert mode free of IAM writes with Security Hub on', () => {
  const { home } = synthGuardApp({ context: { securityHub: 'true' }, env: { CDK_DEFAULT_REGION: region } });
  const iamWrites = identityStatements(home)
    .flatMap((statement) => statement.actions)
    .filter((action) => action.startsWith('iam:') && !/^iam:(Get|List)/.test(action));
  expect(iamWrites).toEqual([]);
});
