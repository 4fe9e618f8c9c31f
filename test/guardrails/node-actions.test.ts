// Tests for the node's needs as read from the bundled managed policies: worker node actions and image pulls.
import { pullAllowance } from '../../lambda/domain/catalogue';
import {
  bundledAllowActions,
  CNI_ACTIONS,
  imagePullActions,
  workerNodeActions,
} from '../../lambda/guardrails/node-actions';

describe('node actions', () => {
  it('reads the Allow actions of a bundled policy and refuses an unbundled one', () => {
    expect(bundledAllowActions('AmazonEKSWorkerNodeMinimalPolicy')).toEqual([
      'eks-auth:AssumeRoleForPodIdentity',
    ]);
    expect(() => bundledAllowActions('AmazonEKS_CNI_Policy')).toThrow('not bundled');
  });

  it('worker node actions are the union of both worker node policies, without duplicates', () => {
    const actions = workerNodeActions();
    expect(actions).toEqual(bundledAllowActions('AmazonEKSWorkerNodePolicy'));
    expect(new Set(actions).size).toBe(actions.length);
  });

  it('image pulls are ReadOnly ∪ PullOnly with writes limited to the allowance', () => {
    expect(imagePullActions(pullAllowance([]))).toEqual(
      expect.arrayContaining([
        'ecr:GetAuthorizationToken',
        'ecr:BatchGetImage',
        'ecr:GetDownloadUrlForLayer',
        'ecr:BatchImportUpstreamImage',
        'ecr:DescribeImageScanFindings',
      ]),
    );
    expect(imagePullActions(pullAllowance([]))).not.toContain('ecr:CreateRepository');
    expect(imagePullActions(pullAllowance(['ecr:CreateRepository']))).toContain('ecr:CreateRepository');
  });

  it('lists the CNI actions the VPC CNI needs', () => {
    expect(CNI_ACTIONS).toHaveLength(12);
    expect(CNI_ACTIONS).toContain('ec2:AttachNetworkInterface');
  });
});
