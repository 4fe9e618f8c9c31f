// The functions' runtime configuration, read from the environment the CDK stack sets: every variable maps to
// its key, a bad value names the variable, and remediate mode refuses to start without its own role ARN.

import { settingsFromEnv } from '../lambda/config';
import { ConfigError } from '../lambda/domain/errors';

const BASE = { ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:alerts' };

describe('settingsFromEnv', () => {
  it('defaults to alert mode with nothing but the topic set', () => {
    const settings = settingsFromEnv(BASE);
    expect(settings.config).toMatchObject({ mode: 'alert', eksConcurrency: 4, managedPolicyQuota: null });
    expect(settings).toMatchObject({ partition: 'aws', guardRoleArn: null, chatTopicArn: null });
  });

  it('maps every variable to its key', () => {
    const settings = settingsFromEnv({
      ...BASE,
      GUARD_MODE: 'remediate',
      GUARD_ROLE_ARN: 'arn:aws:iam::111122223333:role/guard',
      GUARD_PARTITION: 'aws-cn',
      GUARD_ACCOUNT_ID: '111122223333',
      REPLACEMENT_POLICY_NAME: 'AmazonEC2ContainerRegistryPullOnly',
      EXEMPT_ROLES: '["legacy-*"]',
      EXTRA_PULL_ACTIONS: '["ecr:CreateRepository"]',
      EKS_REGIONS: '["eu-west-1","us-east-1"]',
      MANAGED_POLICY_QUOTA: '20',
      NODE_ROLE_CACHE_TTL_SECONDS: '60',
      EKS_CONCURRENCY: '8',
      NOTIFY_EXEMPT: 'true',
      DIGEST_WHEN_CLEAN: 'false',
      USAGE_WINDOW_DAYS: '30',
      USAGE_LOOKUP_BUDGET_SECONDS: '45',
      FIX_WHEN_USAGE_UNKNOWN: 'true',
      SECURITY_HUB_FINDINGS: 'true',
      OWNER_TAG_KEYS: '["team","Owner"]',
      AWS_REGION: 'cn-north-1',
      CHAT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:chat',
      CENTRAL_ALERT_TOPIC_ARN: 'arn:aws-cn:sns:cn-north-1:999988887777:central',
      IDEMPOTENCY_TABLE_NAME: 'idem',
    });
    expect(settings).toEqual({
      config: {
        mode: 'remediate',
        replacementPolicy: 'AmazonEC2ContainerRegistryPullOnly',
        exemptRoles: ['legacy-*'],
        extraPullActions: ['ecr:CreateRepository'],
        eksRegions: ['eu-west-1', 'us-east-1'],
        managedPolicyQuota: 20,
        nodeRoleCacheTtlSeconds: 60,
        eksConcurrency: 8,
        notifyExempt: true,
        digestWhenClean: false,
        usageWindowDays: 30,
        usageLookupBudgetSeconds: 45,
        fixWhenUsageUnknown: true,
        securityHub: true,
        ownerTagKeys: ['team', 'Owner'],
      },
      partition: 'aws-cn',
      accountId: '111122223333',
      alertTopicArn: BASE.ALERT_TOPIC_ARN,
      chatTopicArn: 'arn:aws:sns:eu-west-1:111122223333:chat',
      centralAlertTopicArn: 'arn:aws-cn:sns:cn-north-1:999988887777:central',
      idempotencyTableName: 'idem',
      guardRoleArn: 'arn:aws:iam::111122223333:role/guard',
      region: 'cn-north-1',
    });
  });

  it.each([
    [{ GUARD_MODE: 'fix' }, /GUARD_MODE/],
    [{ EKS_CONCURRENCY: '0' }, /EKS_CONCURRENCY/],
    [{ MANAGED_POLICY_QUOTA: 'ten' }, /MANAGED_POLICY_QUOTA: expected a number/],
    [{ EKS_REGIONS: 'eu-west-1' }, /EKS_REGIONS: expected a JSON array/],
    [{ NOTIFY_EXEMPT: 'yes' }, /NOTIFY_EXEMPT: expected true or false/],
    [{ DIGEST_WHEN_CLEAN: 'monthly' }, /DIGEST_WHEN_CLEAN.*expected daily, weekly or false/],
    [{ USAGE_WINDOW_DAYS: '91' }, /USAGE_WINDOW_DAYS/],
    [{ USAGE_WINDOW_DAYS: '0' }, /USAGE_WINDOW_DAYS/],
    [{ USAGE_LOOKUP_BUDGET_SECONDS: '0' }, /USAGE_LOOKUP_BUDGET_SECONDS/],
    [{ FIX_WHEN_USAGE_UNKNOWN: 'maybe' }, /FIX_WHEN_USAGE_UNKNOWN: expected true or false/],
    [{ SECURITY_HUB_FINDINGS: 'on' }, /SECURITY_HUB_FINDINGS: expected true or false/],
    [{ OWNER_TAG_KEYS: 'owner' }, /OWNER_TAG_KEYS: expected a JSON array/],
    [{ OWNER_TAG_KEYS: '[]' }, /OWNER_TAG_KEYS/],
    [{ OWNER_TAG_KEYS: '["bad<key>"]' }, /OWNER_TAG_KEYS.*not a tag key/],
  ])('names the variable of a bad value: %j', (extra, message) => {
    expect(() => settingsFromEnv({ ...BASE, ...extra })).toThrow(message);
  });

  it('reads the owner tag keys: owner, then team, by default', () => {
    expect(settingsFromEnv(BASE).config.ownerTagKeys).toEqual(['owner', 'team']);
  });

  it('reads the clean-digest schedule: weekly by default, daily, or false', () => {
    expect(settingsFromEnv(BASE).config.digestWhenClean).toBe('weekly');
    expect(settingsFromEnv({ ...BASE, DIGEST_WHEN_CLEAN: 'daily' }).config.digestWhenClean).toBe('daily');
  });

  it('reads no central alert topic when its variable is unset or empty', () => {
    expect(settingsFromEnv(BASE).centralAlertTopicArn).toBeNull();
    expect(settingsFromEnv({ ...BASE, CENTRAL_ALERT_TOPIC_ARN: '' }).centralAlertTopicArn).toBeNull();
  });

  it('requires the alert topic', () => {
    expect(() => settingsFromEnv({})).toThrow(/ALERT_TOPIC_ARN is required/);
  });

  it('refuses remediate mode without the guard role ARN (its own changes would not be recognised)', () => {
    expect(() => settingsFromEnv({ ...BASE, GUARD_MODE: 'remediate' })).toThrow(ConfigError);
    expect(() => settingsFromEnv({ ...BASE, GUARD_MODE: 'remediate' })).toThrow(/GUARD_ROLE_ARN is required/);
  });
});
