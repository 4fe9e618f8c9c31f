// Tests for the CDK layer: the context config parser (cdk.json values, `-c key=value` strings, errors).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GuardConfigError, loadGuardConfig } from '../../lib/config';
import { isRecord } from './support/cfn';

const load = (context: Record<string, unknown>) => loadGuardConfig((key) => context[key]);

/** The error thrown for a context, so tests can look at its key and message. */
function errorFor(context: Record<string, unknown>): GuardConfigError {
  try {
    load(context);
  } catch (error) {
    if (error instanceof GuardConfigError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

describe('defaults', () => {
  it('applies the documented defaults when nothing is set', () => {
    expect(load({})).toEqual({
      mode: 'alert',
      replacementPolicy: 'AmazonEC2ContainerRegistryReadOnly',
      notificationEmails: [],
      alertTopicArn: undefined,
      chatTopicArn: undefined,
      exemptRoles: [],
      extraPullActions: [],
      eksRegions: [],
      securityHub: false,
      sweepSchedule: 'cron(0 6 * * ? *)',
      logRetentionDays: 90,
      createTrail: false,
      notifyExempt: false,
      nodeRoleCacheTtlSeconds: 300,
      operationsEmails: [],
      region: undefined,
    });
  });

  it("accepts the repository's own cdk.json context", () => {
    const cdkJson: unknown = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
    const context = isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context : {};
    const config = loadGuardConfig((key) => context[key]);
    expect(config.mode).toBe('alert');
    expect(config.sweepSchedule).toBe('cron(0 6 * * ? *)');
  });
});

describe('values as cdk.json gives them (typed JSON)', () => {
  it('takes arrays, numbers and booleans', () => {
    const config = load({
      mode: 'remediate',
      notificationEmails: ['a@x.com', 'b@y.com'],
      eksRegions: ['eu-west-1'],
      logRetentionDays: 365,
      createTrail: true,
      nodeRoleCacheTtlSeconds: 0,
    });
    expect(config).toMatchObject({
      mode: 'remediate',
      notificationEmails: ['a@x.com', 'b@y.com'],
      eksRegions: ['eu-west-1'],
      logRetentionDays: 365,
      createTrail: true,
      nodeRoleCacheTtlSeconds: 0,
    });
  });
});

describe('values as `-c key=value` gives them (strings)', () => {
  it.each([
    ['a@x.com,b@y.com', ['a@x.com', 'b@y.com']],
    [' a@x.com , b@y.com ,', ['a@x.com', 'b@y.com']],
    ['["a@x.com","b@y.com"]', ['a@x.com', 'b@y.com']],
    ['a@x.com', ['a@x.com']],
    ['', []],
    ['a@x.com,a@x.com', ['a@x.com']],
  ])('notificationEmails=%j', (raw, expected) => {
    expect(load({ notificationEmails: raw }).notificationEmails).toEqual(expected);
  });

  it.each([
    ['true', true],
    ['false', false],
  ])('createTrail=%s', (raw, expected) => {
    expect(load({ createTrail: raw }).createTrail).toBe(expected);
    expect(load({ notifyExempt: raw }).notifyExempt).toBe(expected);
    expect(load({ securityHub: raw }).securityHub).toBe(expected);
  });

  it('parses numbers', () => {
    expect(load({ logRetentionDays: '30', nodeRoleCacheTtlSeconds: '600' })).toMatchObject({
      logRetentionDays: 30,
      nodeRoleCacheTtlSeconds: 600,
    });
  });

  it('treats an empty sweepSchedule as "no scheduled sweep"', () => {
    expect(load({ sweepSchedule: '' }).sweepSchedule).toBeUndefined();
    expect(load({ sweepSchedule: 'rate(1 day)' }).sweepSchedule).toBe('rate(1 day)');
  });

  it('takes topic ARNs, role names or ARNs, ECR actions and Regions', () => {
    expect(
      load({
        alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:security-alerts',
        chatTopicArn: 'arn:aws-cn:sns:cn-north-1:111122223333:chat',
        exemptRoles: 'legacy-node,arn:aws:iam::111122223333:role/path/ci-builder',
        extraPullActions: '["ecr:DescribeRepositories","ecr-public:GetAuthorizationToken"]',
        eksRegions: 'eu-west-1,ap-southeast-2',
        region: 'eu-west-1',
      }),
    ).toMatchObject({
      alertTopicArn: 'arn:aws:sns:us-east-1:111122223333:security-alerts',
      chatTopicArn: 'arn:aws-cn:sns:cn-north-1:111122223333:chat',
      exemptRoles: ['legacy-node', 'arn:aws:iam::111122223333:role/path/ci-builder'],
      extraPullActions: ['ecr:DescribeRepositories', 'ecr-public:GetAuthorizationToken'],
      eksRegions: ['eu-west-1', 'ap-southeast-2'],
      region: 'eu-west-1',
    });
  });
});

describe('errors name the bad key and what it accepts', () => {
  it.each([
    [{ mode: 'block' }, 'mode', /got "block".*Accepted: alert \| remediate/],
    [
      { replacementPolicy: 'AmazonEC2ContainerRegistryFullAccess' },
      'replacementPolicy',
      /AmazonEC2ContainerRegistryReadOnly \| AmazonEC2ContainerRegistryPullOnly/,
    ],
    [{ notificationEmails: 'alice,bob@x.com' }, 'notificationEmails', /item "alice".*e-mail/],
    [{ notificationEmails: '["a@x.com"' }, 'notificationEmails', /not valid JSON/],
    [{ notificationEmails: [1] }, 'notificationEmails', /not a string/],
    [{ notificationEmails: 42 }, 'notificationEmails', /got 42/],
    [{ operationsEmails: 'ops' }, 'operationsEmails', /e-mail/],
    [{ alertTopicArn: 'security-alerts' }, 'alertTopicArn', /SNS topic ARN/],
    [{ chatTopicArn: 'arn:aws:sqs:us-east-1:111122223333:q' }, 'chatTopicArn', /SNS topic ARN/],
    [{ exemptRoles: 'has space' }, 'exemptRoles', /IAM role names/],
    [{ extraPullActions: 'ecr:*' }, 'extraPullActions', /ECR action names/],
    [{ extraPullActions: 's3:GetObject' }, 'extraPullActions', /ECR action names/],
    [{ eksRegions: 'Europe' }, 'eksRegions', /Region codes/],
    [{ sweepSchedule: 'daily' }, 'sweepSchedule', /cron\(\.\.\.\) or rate\(\.\.\.\)/],
    [{ logRetentionDays: 100 }, 'logRetentionDays', /got 100.*Accepted: 1 \| 3 \| 5 .* \| 3653/],
    [{ logRetentionDays: 'forever' }, 'logRetentionDays', /got "forever"/],
    [{ createTrail: 'yes' }, 'createTrail', /Accepted: true \| false/],
    [{ notifyExempt: 1 }, 'notifyExempt', /Accepted: true \| false/],
    [{ securityHub: 'yes' }, 'securityHub', /Accepted: true \| false/],
    [{ nodeRoleCacheTtlSeconds: '-5' }, 'nodeRoleCacheTtlSeconds', /whole number from 0 to 86400/],
    [{ nodeRoleCacheTtlSeconds: 1.5 }, 'nodeRoleCacheTtlSeconds', /whole number/],
    [{ nodeRoleCacheTtlSeconds: 90000 }, 'nodeRoleCacheTtlSeconds', /whole number/],
    [{ region: 'eu-west' }, 'region', /Region codes/],
  ])('%j', (context, key, message) => {
    const error = errorFor(context);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`"${key}"`);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`-c ${key}=<value>`);
  });
});

describe('the README configuration table', () => {
  /** The rows of the table under "### Configuration": key → Default cell. */
  function readmeTable(): Map<string, string> {
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const start = readme.indexOf('\n### Configuration\n');
    expect(start).toBeGreaterThan(-1);
    const section = readme.slice(start + 1).split(/\n#{1,3} /)[0] ?? '';
    const rows = section
      .split('\n')
      .filter((line) => line.startsWith('|'))
      // Cells are separated by unescaped pipes (`alert` \| `remediate` stays in one cell).
      .map((line) => line.split(/(?<!\\)\|/).map((cell) => cell.trim()))
      .slice(2); // header and separator
    const table = new Map<string, string>();
    for (const [, keyCell = '', defaultCell = ''] of rows) {
      const key = /^`([A-Za-z]+)`$/.exec(keyCell)?.[1];
      if (key === undefined) throw new Error(`unexpected key cell ${JSON.stringify(keyCell)}`);
      expect(table.has(key)).toBe(false);
      table.set(key, defaultCell);
    }
    return table;
  }

  /** The value a Default cell gives: its first code span as JSON (`[]`, `90`, `false`) or text; none without one. */
  function documentedDefault(cell: string): unknown {
    const code = /`([^`]*)`/.exec(cell)?.[1];
    if (code === undefined) return undefined;
    try {
      return JSON.parse(code);
    } catch {
      return code;
    }
  }

  const keysRead: string[] = [];
  const defaults = loadGuardConfig((key) => {
    keysRead.push(key);
    return undefined;
  });

  it('lists exactly the keys lib/config.ts reads', () => {
    expect([...readmeTable().keys()].sort()).toEqual([...new Set(keysRead)].sort());
    expect(Object.keys(defaults).sort()).toEqual([...new Set(keysRead)].sort());
  });

  it('gives each key the default lib/config.ts applies', () => {
    const documented = Object.fromEntries(
      [...readmeTable()].map(([key, cell]) => [key, documentedDefault(cell)]),
    );
    expect(documented).toEqual({ ...defaults });
  });
});
