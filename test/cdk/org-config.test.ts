// Tests for the CDK layer: the organization keys of the config (OU and root ids, callAs, stackSetRegions, the
// organization id), the combinations that say no, and what synth says about an org deployment.
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import {
  type GuardAppConfig,
  GuardConfigError,
  loadGuardConfig,
  UnknownContextKeyError,
} from '../../lib/config';
import { resolveDeploymentTarget } from '../../lib/deployment-target';
import { loadAppConfig } from '../../lib/guard-app';
import { addOrgDeployment, orgDeploymentNote } from '../../lib/org/org-app';
import { isOrgDeployment, MAX_ORGANIZATIONAL_UNITS, resolveOrgDeployment } from '../../lib/org/org-plan';
import { TWO_OUS } from './support/synth-org';

const load = (context: Record<string, unknown>): GuardAppConfig => loadGuardConfig((key) => context[key]);

/** The plan for a context and environment, as bin/app.ts resolves it. */
function plan(context: Record<string, unknown>, env: Record<string, string> = {}) {
  const config = load(context);
  return resolveOrgDeployment(config, resolveDeploymentTarget({ config, env }));
}

/** The GuardConfigError a context causes, parsing or planning. */
function errorFor(context: Record<string, unknown>): GuardConfigError {
  try {
    plan(context);
  } catch (error) {
    if (error instanceof GuardConfigError) return error;
    throw error;
  }
  throw new Error(`no error for ${JSON.stringify(context)}`);
}

describe('organization keys', () => {
  it('reads OU ids and root ids, as a JSON array or comma-separated', () => {
    const config = load({
      organizationalUnits: '["ou-abcd-11111111", "r-ab12"]',
      remediateOrganizationalUnits: 'ou-a1b2c3d4-a1b2c3d4e5f6, ou-abcd-33333333',
    });
    expect(config.organizationalUnits).toEqual(['ou-abcd-11111111', 'r-ab12']);
    expect(config.remediateOrganizationalUnits).toEqual(['ou-a1b2c3d4-a1b2c3d4e5f6', 'ou-abcd-33333333']);
  });

  it.each([
    ['organizationalUnits', 'ou-abc-11111111'],
    ['organizationalUnits', 'ou-abcd-1111111'],
    ['organizationalUnits', 'OU-ABCD-11111111'],
    ['organizationalUnits', '123456789012'],
    ['remediateOrganizationalUnits', 'r-abc'],
    ['remediateOrganizationalUnits', 'o-abcd111111'],
  ])('refuses %s item %s, naming the documented pattern', (key, value) => {
    const error = errorFor({ [key]: value });
    expect(error.key).toBe(key);
    expect(error.message).toContain(`item "${value}" is not valid`);
    expect(error.message).toContain('organizational unit ids (ou-<4-32 of a-z 0-9>-<8-32 of a-z 0-9>)');
  });

  it('takes callAs SELF (default) or DELEGATED_ADMIN, nothing else', () => {
    expect(load({}).callAs).toBe('SELF');
    expect(load({ callAs: 'DELEGATED_ADMIN' }).callAs).toBe('DELEGATED_ADMIN');
    for (const value of ['self', 'MANAGEMENT', 'DELEGATED-ADMIN']) {
      const error = errorFor({ ...TWO_OUS, callAs: value });
      expect(error.key).toBe('callAs');
      expect(error.message).toContain('Accepted: SELF | DELEGATED_ADMIN');
    }
  });

  it('takes an organization id o-<10-32 of a-z 0-9>', () => {
    expect(load({ organizationId: 'o-a1b2c3d4e5' }).organizationId).toBe('o-a1b2c3d4e5');
    for (const value of ['o-short', 'a1b2c3d4e5', 'o-A1B2C3D4E5']) {
      expect(errorFor({ ...TWO_OUS, organizationId: value }).key).toBe('organizationId');
    }
  });

  it('refuses a stackSetRegions item that is no Region code', () => {
    const error = errorFor({ ...TWO_OUS, stackSetRegions: 'us-east-1,eu-west' });
    expect(error.key).toBe('stackSetRegions');
    expect(error.message).toContain('item "eu-west" is not valid');
  });

  it('suggests the organization key closest to a typo', () => {
    let error: unknown;
    try {
      loadAppConfig(new App({ context: { organisationalUnits: 'ou-abcd-11111111' } }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UnknownContextKeyError);
    expect(error instanceof Error ? error.message : '').toContain('Did you mean "organizationalUnits"?');
  });
});

describe('the org deployment plan', () => {
  it('is chosen only when a target OU is set (either list)', () => {
    expect(isOrgDeployment(load({}))).toBe(false);
    expect(isOrgDeployment(load({ organizationalUnits: '' }))).toBe(false);
    expect(isOrgDeployment(load({ organizationalUnits: 'ou-abcd-11111111' }))).toBe(true);
    expect(isOrgDeployment(load({ remediateOrganizationalUnits: 'ou-abcd-22222222' }))).toBe(true);
  });

  it('gives organizationalUnits alert mode and remediateOrganizationalUnits remediate mode', () => {
    expect(plan(TWO_OUS)).toMatchObject({
      alertOrganizationalUnits: ['ou-abcd-11111111'],
      remediateOrganizationalUnits: ['ou-abcd-22222222'],
      callAs: 'SELF',
      organizationId: undefined,
      members: { homeRegion: 'us-east-1', iamEventRegion: 'us-east-1', watchRegions: ['us-east-1'] },
    });
  });

  it('defaults the member Regions to the watched Regions, home first', () => {
    expect(
      plan({ ...TWO_OUS, region: 'eu-west-1', watchRegions: 'us-west-2,eu-west-1' }).members.watchRegions,
    ).toEqual(['eu-west-1', 'us-west-2']);
    expect(plan({ ...TWO_OUS, stackSetRegions: 'us-west-2,us-east-1' }).members.watchRegions).toEqual([
      'us-east-1',
      'us-west-2',
    ]);
  });

  it('refuses an OU in both lists: an OU gets one mode', () => {
    const error = errorFor({
      organizationalUnits: 'ou-abcd-11111111,ou-abcd-22222222',
      remediateOrganizationalUnits: 'ou-abcd-22222222',
    });
    expect(error.key).toBe('remediateOrganizationalUnits');
    expect(error.message).toContain('"ou-abcd-22222222" is also in organizationalUnits');
  });

  it('refuses mode=remediate with target OUs (the mode is per OU there)', () => {
    const error = errorFor({ ...TWO_OUS, mode: 'remediate' });
    expect(error.key).toBe('mode');
    expect(error.message).toContain('remediateOrganizationalUnits');
  });

  it(`refuses more than ${MAX_ORGANIZATIONAL_UNITS} target OUs in all`, () => {
    const ous = Array.from(
      { length: MAX_ORGANIZATIONAL_UNITS + 1 },
      (_, i) => `ou-abcd-${String(i).padStart(8, '0')}`,
    );
    const error = errorFor({
      organizationalUnits: ous.slice(0, 30).join(','),
      remediateOrganizationalUnits: ous.slice(30).join(','),
    });
    expect(error.key).toBe('organizationalUnits');
    expect(error.message).toContain(`at most ${MAX_ORGANIZATIONAL_UNITS}`);
  });

  it('refuses stackSetRegions without the home Region', () => {
    const error = errorFor({ ...TWO_OUS, region: 'eu-west-1', stackSetRegions: 'us-west-2' });
    expect(error.key).toBe('stackSetRegions');
    expect(error.message).toContain('leaves out the home Region eu-west-1');
  });

  it('refuses a stackSetRegions Region that cannot forward to the home Region', () => {
    const error = errorFor({ ...TWO_OUS, region: 'eu-west-1', stackSetRegions: 'eu-west-1,cn-north-1' });
    expect(error.key).toBe('stackSetRegions');
    expect(error.message).toContain('"cn-north-1" cannot forward events to eu-west-1');
    expect(error.message).toContain('set stackSetRegions to narrow the list');
  });

  it('refuses an org deployment from the China partition (no StackSets trusted access)', () => {
    const error = errorFor({ ...TWO_OUS, region: 'cn-north-1' });
    expect(error.key).toBe('organizationalUnits');
    expect(error.message).toContain('China partition');
  });
});

describe('what synth says', () => {
  function note(context: Record<string, unknown>): string {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const config = loadGuardConfig((key) => app.node.tryGetContext(key));
    const target = resolveDeploymentTarget({ config, env: {} });
    const deployment = addOrgDeployment(app, config, target);
    return orgDeploymentNote(deployment);
  }

  it('names each StackSet with its OUs and Regions, the management account, and the missing organization id', () => {
    const text = note({ ...TWO_OUS, region: 'eu-west-1', stackSetRegions: 'eu-west-1,us-west-2' });
    expect(text).toContain('EksEcrGuard-Alert: ou-abcd-11111111 in eu-west-1');
    expect(text).toContain('EksEcrGuard-Remediate: ou-abcd-22222222 in eu-west-1');
    expect(text).toContain('EksEcrGuard-IamForwarder: every target OU in us-east-1');
    expect(text).toContain('EksEcrGuard-RegionalForwarder: every target OU in us-west-2');
    expect(text).toContain('The management account is never a target');
    expect(text).toContain('--parameters EksEcrGuardOrg:OrganizationId=o-...');
  });

  it('does not ask for the organization id when it is configured', () => {
    expect(note({ ...TWO_OUS, organizationId: 'o-a1b2c3d4e5' })).not.toContain('OrganizationId');
  });
});

describe('the org stack warns when nobody receives the alerts', () => {
  function warnings(context: Record<string, unknown>): string[] {
    const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
    const config = loadGuardConfig((key) => app.node.tryGetContext(key));
    const { stack } = addOrgDeployment(app, config, resolveDeploymentTarget({ config, env: {} }));
    return Annotations.fromStack(stack)
      .findWarning('*', Match.stringLikeRegexp('Nobody is subscribed'))
      .map((entry) => String(entry.entry.data));
  }

  it('warns without a subscriber, not with one', () => {
    expect(warnings(TWO_OUS)).toHaveLength(1);
    expect(warnings({ ...TWO_OUS, notificationEmails: 'sec@example.com' })).toEqual([]);
  });
});
