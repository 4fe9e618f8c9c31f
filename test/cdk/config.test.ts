// Tests for the CDK layer: the context config parser (cdk.json values, `-c key=value` strings, errors, unknown
// keys with the closest known one, the synth warning when nobody is subscribed to alerts).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  closestKey,
  GuardConfigError,
  knownContextKeys,
  loadGuardConfig,
  UnknownContextKeyError,
} from '../../lib/config';
import { resolveDeploymentTarget } from '../../lib/deployment-target';
import { addGuardStacks, loadAppConfig, NO_SUBSCRIBER_WARNING } from '../../lib/guard-app';
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
      watchRegions: [],
      securityHub: false,
      sweepSchedule: 'cron(0 6 * * ? *)',
      logRetentionDays: 90,
      createTrail: false,
      notifyExempt: false,
      nodeRoleCacheTtlSeconds: 300,
      usageWindowDays: 14,
      usageLookupBudgetSeconds: 20,
      fixWhenUsageUnknown: false,
      ownerTagKeys: ['owner', 'team'],
      operationsEmails: [],
      digestWhenClean: 'weekly',
      silenceAlarmDays: 7,
      region: undefined,
      organizationalUnits: [],
      remediateOrganizationalUnits: [],
      stackSetRegions: [],
      callAs: 'SELF',
      organizationId: undefined,
    });
  });

  it('takes ownerTagKeys as a JSON array or a comma-separated list, in the order given', () => {
    expect(load({ ownerTagKeys: ['Team', 'cost-center'] }).ownerTagKeys).toEqual(['Team', 'cost-center']);
    expect(load({ ownerTagKeys: 'owner, app:team' }).ownerTagKeys).toEqual(['owner', 'app:team']);
    expect(load({ ownerTagKeys: '["squad"]' }).ownerTagKeys).toEqual(['squad']);
  });

  it('takes digestWhenClean daily | weekly | false (boolean or text) and silenceAlarmDays 0 to 7', () => {
    expect(load({ digestWhenClean: 'daily' }).digestWhenClean).toBe('daily');
    expect(load({ digestWhenClean: false }).digestWhenClean).toBe(false);
    expect(load({ digestWhenClean: 'false' }).digestWhenClean).toBe(false);
    expect(errorFor({ digestWhenClean: 'monthly' }).message).toMatch(
      /Invalid config "digestWhenClean": got "monthly". Accepted: daily \| weekly \| false/,
    );
    expect(load({ silenceAlarmDays: '0' }).silenceAlarmDays).toBe(0);
    expect(load({ silenceAlarmDays: 7 }).silenceAlarmDays).toBe(7);
    // CloudWatch alarms look back at most 7 days (period x evaluation periods <= 604,800 s).
    expect(errorFor({ silenceAlarmDays: 8 }).message).toMatch(
      /"silenceAlarmDays".*a whole number from 0 to 7/,
    );
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
    [{ usageWindowDays: '91' }, 'usageWindowDays', /whole number from 1 to 90/],
    [{ usageWindowDays: 0 }, 'usageWindowDays', /whole number from 1 to 90/],
    [{ usageLookupBudgetSeconds: 46 }, 'usageLookupBudgetSeconds', /whole number from 1 to 45/],
    [{ fixWhenUsageUnknown: 'yes' }, 'fixWhenUsageUnknown', /true \| false/],
    [{ ownerTagKeys: 'owner,bad<key>' }, 'ownerTagKeys', /item "bad<key>" is not valid.*tag keys/],
    [{ ownerTagKeys: '' }, 'ownerTagKeys', /got 0 keys.*1 to 10 tag keys/],
    [{ ownerTagKeys: Array.from({ length: 11 }, (_, i) => `k${i}`) }, 'ownerTagKeys', /got 11 keys/],
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

describe('config that says no: unknown context keys fail synth', () => {
  /** The error `loadAppConfig` throws for the context of an App, as `bin/app.ts` reads it. */
  function appError(context: Record<string, unknown>): GuardConfigError {
    try {
      loadAppConfig(new App({ context }));
    } catch (error) {
      if (error instanceof GuardConfigError) return error;
      throw error;
    }
    throw new Error(`no error for ${JSON.stringify(context)}`);
  }

  it.each([
    ['notificationEmail', 'x@example.com', 'notificationEmails'],
    ['mdoe', 'remediate', 'mode'],
    ['exemptRole', 'a', 'exemptRoles'],
    ['sweepschedule', '', 'sweepSchedule'],
    ['logRetention', '30', 'logRetentionDays'],
  ])('-c %s=%s fails naming %s', (key, value, suggestion) => {
    const error = appError({ [key]: value });
    expect(error).toBeInstanceOf(UnknownContextKeyError);
    expect(error.key).toBe(key);
    expect(error.message).toContain(`Unknown config "${key}"`);
    expect(error.message).toContain(`Did you mean "${suggestion}"?`);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('suggests nothing for a key far from every known one, and lists the known keys', () => {
    const error = appError({ colour: 'blue' });
    expect(error.message).not.toContain('Did you mean');
    expect(error.message).toContain('notificationEmails');
  });

  it("leaves CDK feature flags, CDK keys, cached lookups and the toolkit's notices alone", () => {
    const config = loadAppConfig(
      new App({
        context: {
          mode: 'remediate',
          '@aws-cdk/core:enablePartitionLiterals': true,
          'aws:cdk:bundling-stacks': [],
          'availability-zones:account=111122223333:region=eu-west-1': ['eu-west-1a'],
          'acknowledged-issue-numbers': [32775],
        },
      }),
    );
    expect(config.mode).toBe('remediate');
  });

  it("accepts the repository's own cdk.json context", () => {
    const cdkJson: unknown = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'));
    const context = isRecord(cdkJson) && isRecord(cdkJson.context) ? cdkJson.context : {};
    expect(loadAppConfig(new App({ context })).mode).toBe('alert');
  });

  it('knows every key the parser reads, so a key added to the parser is known without another list', () => {
    const read = new Set<string>();
    loadGuardConfig((key) => {
      read.add(key);
      return undefined;
    });
    expect([...knownContextKeys()].sort()).toEqual([...read].sort());
    expect(knownContextKeys()).toContain('notificationEmails');
  });

  it('finds the closest key case-insensitively, with a swap counting as one edit', () => {
    const known = knownContextKeys();
    expect(closestKey('MODE', known)).toBe('mode');
    expect(closestKey('notifyExmept', known)).toBe('notifyExempt');
    expect(closestKey('xyz', known)).toBeUndefined();
  });
});

describe('synth warns when nobody is subscribed to alerts', () => {
  const homeAnnotations = (context: Record<string, unknown>) => {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const config = loadAppConfig(app);
    const stacks = addGuardStacks(app, config, resolveDeploymentTarget({ config, env: {} }));
    return Annotations.fromStack(stacks.home);
  };
  const warning = Match.stringLikeRegexp('Nobody is subscribed to alerts');

  it('warns with no e-mail, chat topic or existing alert topic', () => {
    homeAnnotations({}).hasWarning('*', warning);
    expect(JSON.stringify(homeAnnotations({}).findWarning('*', warning))).toContain(NO_SUBSCRIBER_WARNING);
  });

  it.each([
    ['notificationEmails', 'oncall@example.com'],
    ['chatTopicArn', 'arn:aws:sns:eu-west-1:111122223333:chat'],
    ['alertTopicArn', 'arn:aws:sns:eu-west-1:111122223333:alerts'],
    ['centralAlertTopicArn', 'arn:aws:sns:eu-central-1:999988887777:eks-ecr-guard-central-alerts'],
  ])('does not warn when %s is set', (key, value) => {
    homeAnnotations({ [key]: value }).hasNoWarning('*', warning);
  });
});
