// Tests for the snapshot file format and its loader: what it accepts, the errors that name the bad path, the
// documented example, and reading a file.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSnapshot, readSnapshotFile } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { InvalidInputError } from '../../lambda/domain/errors';
import { edited, expectInvalid, readDoc, sampleJson } from './snapshot-sample';

describe('loadSnapshot', () => {
  it('accepts unknown keys at every level (forward compatible)', () => {
    const snapshot = loadSnapshot(sampleJson());
    expect(snapshot.iam.RoleDetailList).toHaveLength(2);
  });

  it('accepts a snapshot whose eks section and IAM lists are missing', () => {
    const snapshot = loadSnapshot({ iam: {} });
    expect(snapshot.iam.RoleDetailList).toEqual([]);
    expect(snapshot.iam.Policies).toEqual([]);
    expect(snapshot.eks).toEqual({});
  });

  it('requires the iam section', () => {
    expectInvalid({ eks: {} }, /^invalid snapshot: iam: expected object \(missing\)/);
  });

  it.each([
    ['not an object', [], /\(root\): expected object, got array/],
    [
      'a numeric role name',
      edited((j) => {
        j.iam.RoleDetailList[1] = { ...j.iam.RoleDetailList[1], RoleName: 7 };
      }),
      /iam\.RoleDetailList\[1\]\.RoleName: expected string, got number/,
    ],
    [
      'a role without Arn',
      edited((j) => {
        delete j.iam.RoleDetailList[0]?.Arn;
      }),
      /iam\.RoleDetailList\[0\]\.Arn: expected string \(missing\)/,
    ],
    [
      'an attached policy without ARN',
      edited((j) => {
        j.iam.RoleDetailList[0] = {
          ...j.iam.RoleDetailList[0],
          AttachedManagedPolicies: [{ PolicyName: 'x' }],
        };
      }),
      /iam\.RoleDetailList\[0\]\.AttachedManagedPolicies\[0\]\.PolicyArn/,
    ],
    [
      'a numeric policy document',
      edited((j) => {
        j.iam.RoleDetailList[0] = {
          ...j.iam.RoleDetailList[0],
          RolePolicyList: [{ PolicyName: 'p', PolicyDocument: 5 }],
        };
      }),
      /RolePolicyList\[0\]\.PolicyDocument: expected a policy document/,
    ],
    [
      'tags as an object',
      edited((j) => {
        j.iam.RoleDetailList[0] = { ...j.iam.RoleDetailList[0], Tags: { team: 'x' } };
      }),
      /iam\.RoleDetailList\[0\]\.Tags: expected array, got object/,
    ],
    [
      'a policy with no default version',
      edited((j) => {
        j.iam.Policies[0] = {
          ...j.iam.Policies[0],
          DefaultVersionId: 'v9',
          PolicyVersionList: [{ VersionId: 'v1', Document: readDoc }],
        };
      }),
      /iam\.Policies\[0\]\.PolicyVersionList: no default version/,
    ],
    [
      'a duplicate role name (ignoring case)',
      edited((j) => {
        j.iam.RoleDetailList[1] = { ...j.iam.RoleDetailList[1], RoleName: 'NODES' };
      }),
      /iam\.RoleDetailList\[1\]\.RoleName: duplicate role name "NODES" \(also at index 0\)/,
    ],
    ['a bad account id', { ...sampleJson(), accountId: '1234' }, /accountId: expected a 12-digit account id/],
    ['a bad partition', { ...sampleJson(), partition: 'amazon' }, /partition: expected a partition/],
    [
      'a zero quota',
      { ...sampleJson(), quotas: { attachedPoliciesPerRole: 0 } },
      /quotas\.attachedPoliciesPerRole/,
    ],
    [
      'clusters not an array',
      { iam: {}, eks: { 'eu-west-1': { clusters: {} } } },
      /eks\.eu-west-1\.clusters: expected array, got object/,
    ],
    [
      'an access entry without type',
      { iam: {}, eks: { r: { clusters: [{ name: 'c', accessEntries: [{ principalArn: 'arn' }] }] } } },
      /eks\.r\.clusters\[0\]\.accessEntries\[0\]\.type: expected string \(missing\)/,
    ],
    [
      'computeConfig.enabled as a string',
      { iam: {}, eks: { r: { clusters: [{ name: 'c', computeConfig: { enabled: 'yes' } }] } } },
      /computeConfig\.enabled: expected boolean, got string/,
    ],
  ])('rejects %s with InvalidInputError naming the path', (_label, json, message) => {
    expectInvalid(json, message);
  });
});

describe('docs/snapshot-format.md', () => {
  it('its complete example loads and shows a node role with both document encodings', async () => {
    const markdown = readFileSync(join(__dirname, '..', '..', 'docs', 'snapshot-format.md'), 'utf8');
    const blocks = markdown
      .split('```json\n')
      .slice(1)
      .map((block) => block.slice(0, block.indexOf('```')));
    const example = blocks.at(-1);
    if (example === undefined) throw new Error('no JSON example in the doc');
    const exampleView = new SnapshotAccountView(loadSnapshot(JSON.parse(example)));
    const role = await exampleView.getRole('prod-nodes');
    expect(role?.trustPolicy).toMatchObject({ Statement: [{ Principal: { Service: 'ec2.amazonaws.com' } }] });
    expect(await exampleView.getManagedPolicy('arn:aws:iam::111122223333:policy/node-extras')).not.toBeNull();
    expect(Object.keys(await exampleView.eksInventory())).toEqual(['eu-west-1']);
  });
});

describe('readSnapshotFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'snapshot-test-'));

  it('reads and validates a file', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, JSON.stringify(sampleJson()));
    expect(readSnapshotFile(path).iam.RoleDetailList).toHaveLength(2);
  });

  it('says when the file is missing', () => {
    expect(() => readSnapshotFile(join(dir, 'nope.json'))).toThrow(
      /cannot read snapshot file .*nope\.json: no such file/,
    );
  });

  it('says when the path is a directory', () => {
    expect(() => readSnapshotFile(dir)).toThrow(/it is a directory/);
  });

  it('says when the file is not JSON', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, '{"iam": {');
    expect(() => readSnapshotFile(path)).toThrow(InvalidInputError);
    expect(() => readSnapshotFile(path)).toThrow(/bad\.json is not valid JSON/);
  });

  it('names the file and the bad path when the shape is wrong', () => {
    const path = join(dir, 'shape.json');
    writeFileSync(path, JSON.stringify({ iam: { RoleDetailList: 'none' } }));
    expect(() => readSnapshotFile(path)).toThrow(
      /invalid snapshot file .*shape\.json: iam\.RoleDetailList: expected array, got string/,
    );
  });
});
