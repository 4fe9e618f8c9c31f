// Tests for the optional `ecr` section of the snapshot format: loading, defaults, errors that name the path, the
// view that serves it, and the what-if of an ECR change.
import { applyChange } from '../../lambda/account/apply-change';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { InvalidInputError } from '../../lambda/domain/errors';
import type { EcrChange } from '../../lambda/events/ecr-change';

const BASE = { iam: { RoleDetailList: [], Policies: [] } };
const ARN = 'arn:aws:ecr:eu-west-1:111122223333:repository/app';

describe('the ecr section', () => {
  it('is optional: a snapshot without it loads, and its view has no ECR policies', async () => {
    const snapshot = loadSnapshot(BASE);
    expect(snapshot.ecr).toBeUndefined();
    expect(await new SnapshotAccountView(snapshot).ecrResourcePolicies()).toEqual({});
  });

  it('fills defaults and keeps the field names ECR returns', async () => {
    const snapshot = loadSnapshot({
      ...BASE,
      ecr: {
        'eu-west-1': { repositories: [{ repositoryName: 'app', repositoryArn: ARN, policyText: '{}' }] },
      },
    });
    expect(await new SnapshotAccountView(snapshot).ecrResourcePolicies()).toEqual({
      'eu-west-1': {
        registryPolicy: null,
        repositories: [{ repositoryName: 'app', repositoryArn: ARN, policyText: '{}' }],
        repositoryCreationTemplates: [],
      },
    });
  });

  it('names the bad path', () => {
    const bad = { ...BASE, ecr: { 'eu-west-1': { repositories: [{ repositoryName: 'app' }] } } };
    expect(() => loadSnapshot(bad)).toThrow(InvalidInputError);
    expect(() => loadSnapshot(bad)).toThrow(/ecr\.eu-west-1\.repositories\[0\]\.repositoryArn/);
  });

  it('a SetRepositoryPolicy change is applied to the section (adding the repository when unknown)', async () => {
    const change: EcrChange = {
      kind: 'ecr-repository-policy',
      event: { id: null, name: 'SetRepositoryPolicy', time: null, actor: null },
      region: 'us-west-2',
      registryId: '111122223333',
      repositoryName: 'new',
      policyText: '{"Statement":[]}',
    };
    const after = applyChange(loadSnapshot(BASE), change);
    expect(after.ecr?.['us-west-2']?.repositories).toEqual([
      {
        repositoryName: 'new',
        repositoryArn: 'arn:aws:ecr:us-west-2:111122223333:repository/new',
        policyText: '{"Statement":[]}',
      },
    ]);
  });
});
