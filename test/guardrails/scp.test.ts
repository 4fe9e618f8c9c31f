// Tests for the SCP builder: the statements it writes (actions, resources, conditions, partition, exemptions),
// what it must never deny, and the size limit.
import { pullAllowance, WRITE_ACTIONS } from '../../lambda/domain/catalogue';
import type { ScpOptions } from '../../lambda/guardrails/options';
import {
  DEFAULT_NODE_ROLE_PATTERNS,
  type PolicyStatement,
  policySize,
  SCP_MAX_CHARS,
} from '../../lambda/guardrails/policy';
import { buildScp, SCP_ECR_SID } from '../../lambda/guardrails/scp';

const OPTIONS: ScpOptions = {
  partition: 'aws',
  pullAllowance: pullAllowance([]),
  nodeRolePatterns: DEFAULT_NODE_ROLE_PATTERNS,
  nodeRoleTag: null,
  exemptPrincipals: [],
};

function statement(options: ScpOptions, sid: string): PolicyStatement {
  const found = buildScp(options).Statement.find((candidate) => candidate.Sid === sid);
  if (found === undefined) throw new Error(`no statement ${sid}`);
  return found;
}

function list(value: string | readonly string[]): readonly string[] {
  return typeof value === 'string' ? [value] : value;
}

describe('buildScp', () => {
  it('denies attaching the five write policies to node roles, by iam:PolicyARN', () => {
    const attach = statement(OPTIONS, 'DenyWritePolicyAttachToNodeRoles');
    expect(attach.Effect).toBe('Deny');
    expect(attach.Action).toBe('iam:AttachRolePolicy');
    expect(attach.Condition).toEqual({
      ArnEquals: {
        'iam:PolicyARN': [
          'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
          'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser',
          'arn:aws:iam::aws:policy/AmazonElasticContainerRegistryPublicFullAccess',
          'arn:aws:iam::aws:policy/AdministratorAccess',
          'arn:aws:iam::aws:policy/PowerUserAccess',
        ],
      },
    });
    expect(list(attach.Resource)).toContain('arn:aws:iam::*:role/KarpenterNodeRole-*');
    expect(list(attach.Resource)).toContain('arn:aws:iam::*:role/*/KarpenterNodeRole-*');
    expect(list(attach.Resource)).toContain('arn:aws:iam::*:role/eksctl-*-nodegroup-*-NodeInstanceRole-*');
    expect(list(attach.Resource)).toContain('arn:aws:iam::*:role/AmazonEKSAutoNodeRole*');
  });

  it('denies any inline policy on the same roles, with no condition when nobody is exempt', () => {
    const inline = statement(OPTIONS, 'DenyInlinePolicyToNodeRoles');
    expect(inline.Action).toBe('iam:PutRolePolicy');
    expect(inline.Resource).toEqual(statement(OPTIONS, 'DenyWritePolicyAttachToNodeRoles').Resource);
    expect(inline).not.toHaveProperty('Condition');
  });

  it('denies every ECR write but the pull-through import to EC2 instance credentials', () => {
    const ecr = statement(OPTIONS, SCP_ECR_SID);
    expect(ecr.Condition).toEqual({ Null: { 'ec2:SourceInstanceARN': 'false' } });
    expect(ecr.Resource).toBe('*');
    const actions = list(ecr.Action);
    expect(actions).toEqual(WRITE_ACTIONS.filter((action) => action !== 'ecr:BatchImportUpstreamImage'));
    expect(actions).toEqual(
      expect.arrayContaining(['ecr:PutImage', 'ecr-public:PutImage', 'ecr:CreateRepository']),
    );
  });

  it('never denies a pull, the pull-through import or eks-auth in any statement', () => {
    const denied = buildScp(OPTIONS).Statement.flatMap((s) => list(s.Action));
    for (const action of ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:GetAuthorizationToken']) {
      expect(denied).not.toContain(action);
    }
    expect(denied).not.toContain('ecr:BatchImportUpstreamImage');
    expect(denied.filter((action) => action.startsWith('eks-auth:') || action === '*')).toEqual([]);
  });

  it('leaves the extra pull actions of the config alone', () => {
    const ecr = statement(
      { ...OPTIONS, pullAllowance: pullAllowance(['ecr:CreateRepository']) },
      SCP_ECR_SID,
    );
    expect(list(ecr.Action)).not.toContain('ecr:CreateRepository');
    expect(list(ecr.Action)).toContain('ecr:PutImage');
  });

  it('adds the exempt principals to every statement as ArnNotLike aws:PrincipalArn', () => {
    const exempt = ['arn:aws:iam::*:role/eks-ecr-guard-remediator', 'arn:aws:iam::111122223333:role/ci-*'];
    const scp = buildScp({ ...OPTIONS, exemptPrincipals: exempt });
    for (const s of scp.Statement) {
      expect(s.Condition?.ArnNotLike).toEqual({ 'aws:PrincipalArn': exempt });
    }
    expect(statement({ ...OPTIONS, exemptPrincipals: exempt }, SCP_ECR_SID).Condition?.Null).toEqual({
      'ec2:SourceInstanceARN': 'false',
    });
  });

  it('adds a tag-scoped pair of IAM statements for --node-role-tag', () => {
    const options = { ...OPTIONS, nodeRoleTag: { key: 'eks:node-role', value: 'true' } };
    const attach = statement(options, 'DenyWritePolicyAttachToTaggedNodeRoles');
    expect(attach.Resource).toBe('*');
    expect(attach.Condition?.StringEquals).toEqual({ 'aws:ResourceTag/eks:node-role': 'true' });
    expect(attach.Condition?.ArnEquals).toEqual(
      statement(options, 'DenyWritePolicyAttachToNodeRoles').Condition?.ArnEquals,
    );
    const inline = statement(options, 'DenyInlinePolicyToTaggedNodeRoles');
    expect(inline.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/eks:node-role': 'true' } });
  });

  it('with no pattern and only a tag, writes no pattern statements', () => {
    const scp = buildScp({ ...OPTIONS, nodeRolePatterns: [], nodeRoleTag: { key: 'role', value: 'node' } });
    expect(scp.Statement.map((s) => s.Sid)).toEqual([
      'DenyWritePolicyAttachToTaggedNodeRoles',
      'DenyInlinePolicyToTaggedNodeRoles',
      SCP_ECR_SID,
    ]);
  });

  it('writes ARNs in the partition asked for, and keeps role ARN patterns as given', () => {
    const scp = buildScp({
      ...OPTIONS,
      partition: 'aws-cn',
      nodeRolePatterns: ['arn:aws-cn:iam::111122223333:role/nodes/*', 'prod-*-nodes'],
    });
    const text = JSON.stringify(scp);
    expect(text).not.toContain('arn:aws:');
    const attach = scp.Statement[0];
    expect(attach?.Resource).toEqual([
      'arn:aws-cn:iam::111122223333:role/nodes/*',
      'arn:aws-cn:iam::*:role/prod-*-nodes',
      'arn:aws-cn:iam::*:role/*/prod-*-nodes',
    ]);
    expect(attach?.Condition?.ArnEquals?.['iam:PolicyARN']).toContain(
      'arn:aws-cn:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess',
    );
  });

  it('fits the SCP size limit with the defaults, a tag and two exemptions', () => {
    const scp = buildScp({
      ...OPTIONS,
      nodeRoleTag: { key: 'eks-node', value: 'true' },
      exemptPrincipals: ['arn:aws:iam::*:role/eks-ecr-guard-*', 'arn:aws:iam::*:role/ci-runner-*'],
    });
    expect(policySize(scp)).toBeLessThanOrEqual(SCP_MAX_CHARS);
  });
});
