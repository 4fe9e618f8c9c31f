// Tests for the EKS/trust edge parser: the reference samples of every watched EKS call and of
// UpdateAssumeRolePolicy, the node-role evidence each gives, and the records it ignores (each with a reason).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WATCHED_EVENTS } from '../../lambda/contract';
import { type ParsedChange, parseRoleChangeEvent } from '../../lambda/events/role-change';

const FIXTURES = join(__dirname, 'fixtures');
type Json = Record<string, unknown>;
const sample = (file: string): Json => JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));

/** The sample with its requestParameters (or other detail fields) replaced. */
function withDetail(file: string, detail: Json): Json {
  const raw = sample(file);
  return { ...raw, detail: { ...(raw.detail as Json), ...detail } };
}
function withParams(file: string, params: Json): Json {
  const raw = sample(file);
  const detail = raw.detail as Json;
  return withDetail(file, { requestParameters: { ...(detail.requestParameters as Json), ...params } });
}

function nodeRole(change: ParsedChange) {
  if (change.kind !== 'eks-node-role')
    throw new Error(`expected eks-node-role, got ${JSON.stringify(change)}`);
  return change;
}
function ignoredReason(change: ParsedChange): string {
  if (change.kind !== 'ignored') throw new Error(`expected ignored, got ${change.kind}`);
  return change.reason;
}

describe('the watched EKS calls', () => {
  it('are the contract list for aws.eks', () => {
    expect(WATCHED_EVENTS['aws.eks']).toEqual({
      serviceEndpoint: 'eks.amazonaws.com',
      eventNames: [
        'CreateNodegroup',
        'CreateAccessEntry',
        'CreateCluster',
        'UpdateClusterConfig',
        'CreateFargateProfile',
      ],
    });
    expect(WATCHED_EVENTS['aws.iam'].eventNames).toContain('UpdateAssumeRolePolicy');
  });

  it('CreateNodegroup names the node role of the new node group', () => {
    const change = nodeRole(parseRoleChangeEvent(sample('eks-CreateNodegroup.json')));
    expect(change.roleName).toBe('eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F');
    expect(change.evidence).toMatchObject({
      kind: 'managed-nodegroup',
      region: 'eu-west-1',
      cluster: 'prod',
      nodegroup: 'ng-1',
      roleArn: 'arn:aws:iam::111122223333:role/eksctl-prod-nodegroup-ng-1-NodeInstanceRole-1A2B3C4D5E6F',
    });
    expect(change.evidence.detail).toMatch(/CreateNodegroup/);
    expect(change.event).toMatchObject({
      name: 'CreateNodegroup',
      id: 'c7a0b2d4-2222-4e5f-8a9b-000000000007',
    });
  });

  it('accepts clusterName when the record has no name', () => {
    const raw = sample('eks-CreateNodegroup.json');
    const detail = raw.detail as Json;
    const { name: _name, ...params } = detail.requestParameters as Json;
    const change = nodeRole(
      parseRoleChangeEvent({
        ...raw,
        detail: { ...detail, requestParameters: { ...params, clusterName: 'other' } },
      }),
    );
    expect(change.evidence.cluster).toBe('other');
  });

  it('CreateAccessEntry of a node type names the role, with the type', () => {
    const change = nodeRole(parseRoleChangeEvent(sample('eks-CreateAccessEntry.json')));
    expect(change.roleName).toBe('KarpenterNodeRole-prod');
    expect(change.evidence).toMatchObject({
      kind: 'access-entry',
      accessEntryType: 'EC2_LINUX',
      cluster: 'prod',
    });
  });

  it.each(['EC2_WINDOWS', 'EC2', 'HYBRID_LINUX', 'HYPERPOD_LINUX', 'FARGATE_LINUX'])(
    'CreateAccessEntry of type %s is node evidence',
    (type) => {
      const change = nodeRole(parseRoleChangeEvent(withParams('eks-CreateAccessEntry.json', { type })));
      expect(change.evidence.accessEntryType).toBe(type);
    },
  );

  it('ignores a STANDARD access entry, and one without type (STANDARD is the default), with a reason', () => {
    expect(
      ignoredReason(parseRoleChangeEvent(withParams('eks-CreateAccessEntry.json', { type: 'STANDARD' }))),
    ).toMatch(/type "STANDARD" maps people or workloads, not nodes/);
    const raw = sample('eks-CreateAccessEntry.json');
    const detail = raw.detail as Json;
    const { type: _type, ...params } = detail.requestParameters as Json;
    const reason = ignoredReason(
      parseRoleChangeEvent({ ...raw, detail: { ...detail, requestParameters: params } }),
    );
    expect(reason).toMatch(/"STANDARD" \(the default: no type in the request\)/);
  });

  it('CreateCluster with Auto Mode names computeConfig.nodeRoleArn', () => {
    const change = nodeRole(parseRoleChangeEvent(sample('eks-CreateCluster.json')));
    expect(change.roleName).toBe('AmazonEKSAutoNodeRole');
    expect(change.evidence).toMatchObject({ kind: 'auto-mode', region: 'eu-west-1', cluster: 'auto' });
  });

  it('UpdateClusterConfig without computeConfig (the sample changes the access mode) is ignored with a reason', () => {
    expect(ignoredReason(parseRoleChangeEvent(sample('eks-UpdateClusterConfig.json')))).toMatch(
      /UpdateClusterConfig sets no Auto Mode node role/,
    );
  });

  it('UpdateClusterConfig with an Auto Mode node role names it', () => {
    const raw = withParams('eks-UpdateClusterConfig.json', {
      computeConfig: { enabled: true, nodeRoleArn: 'arn:aws:iam::111122223333:role/nodes/auto-nodes' },
    });
    const change = nodeRole(parseRoleChangeEvent(raw));
    expect(change.roleName).toBe('auto-nodes');
    expect(change.evidence).toMatchObject({ kind: 'auto-mode', cluster: 'prod' });
  });

  it('ignores Auto Mode turned off', () => {
    const raw = withParams('eks-CreateCluster.json', {
      computeConfig: { enabled: false, nodeRoleArn: 'arn:aws:iam::111122223333:role/AmazonEKSAutoNodeRole' },
    });
    expect(ignoredReason(parseRoleChangeEvent(raw))).toMatch(/turns Auto Mode off/);
  });

  it('CreateFargateProfile names the pod execution role', () => {
    const change = nodeRole(parseRoleChangeEvent(sample('eks-CreateFargateProfile.json')));
    expect(change.roleName).toBe('AmazonEKSFargatePodExecutionRole');
    expect(change.evidence).toMatchObject({
      kind: 'fargate-profile',
      fargateProfile: 'batch',
      cluster: 'prod',
    });
  });

  it.each([
    [
      'a failed call',
      withDetail('eks-CreateNodegroup.json', { errorCode: 'ResourceInUseException' }),
      /the call failed \(errorCode "ResourceInUseException"\)/,
    ],
    [
      'a native EKS event',
      { ...sample('eks-CreateNodegroup.json'), 'detail-type': 'EKS Nodegroup State Change' },
      /unsupported detail-type/,
    ],
    [
      'another eventSource',
      withDetail('eks-CreateNodegroup.json', { eventSource: 'ecr.amazonaws.com' }),
      /unsupported eventSource/,
    ],
    [
      'a call not watched',
      withDetail('eks-CreateNodegroup.json', { eventName: 'DeleteNodegroup' }),
      /"DeleteNodegroup" is not one the guard evaluates/,
    ],
    [
      'CreatePodIdentityAssociation (no node role)',
      sample('eks-CreatePodIdentityAssociation.json'),
      /not one the guard evaluates/,
    ],
    ['no cluster', withParams('eks-CreateNodegroup.json', { name: undefined }), /names no cluster/],
    [
      'a node role that is no role ARN',
      withParams('eks-CreateNodegroup.json', { nodeRole: 'arn:aws:iam::111122223333:user/bob' }),
      /nodeRole.*not an IAM role ARN/,
    ],
    [
      'a node access entry for a user',
      withParams('eks-CreateAccessEntry.json', { principalArn: 'arn:aws:iam::111122223333:user/bob' }),
      /is not an IAM role ARN/,
    ],
    ['a detail that is no object', { ...sample('eks-CreateNodegroup.json'), detail: 'x' }, /detail is/],
  ])('ignores %s with a reason', (_name, raw, reason) => {
    expect(ignoredReason(parseRoleChangeEvent(raw))).toMatch(reason);
  });
});

describe('IAM UpdateAssumeRolePolicy', () => {
  it('carries the role and the new trust document as sent', () => {
    const change = parseRoleChangeEvent(sample('iam-UpdateAssumeRolePolicy.json'));
    expect(change).toMatchObject({ kind: 'trust-policy-updated', roleName: 'ci-image-pusher' });
    if (change.kind !== 'trust-policy-updated') throw new Error('unreachable');
    expect(typeof change.document).toBe('string');
    expect(String(change.document)).toContain('pods.eks.amazonaws.com');
  });

  it('ignores unusable parameters with a reason', () => {
    const raw = withParams('iam-UpdateAssumeRolePolicy.json', { policyDocument: 42 });
    expect(ignoredReason(parseRoleChangeEvent(raw))).toMatch(
      /UpdateAssumeRolePolicy with unusable request parameters/,
    );
  });
});
