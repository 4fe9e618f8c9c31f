// Tests for the analyser checks run before a guardrail is printed: the generated policies pass, and each way a
// policy can be wrong (a write left in, a pull denied, eks-auth denied, too large, unparsable) is caught.
import { pullAllowance } from '../../lambda/domain/catalogue';
import { buildBoundary } from '../../lambda/guardrails/boundary';
import { checkBoundary, checkScp } from '../../lambda/guardrails/check';
import { generateBoundary, generateScp } from '../../lambda/guardrails/guardrails';
import type { BoundaryOptions, ScpOptions } from '../../lambda/guardrails/options';
import {
  DEFAULT_NODE_ROLE_PATTERNS,
  type PolicyDocument,
  type PolicyStatement,
} from '../../lambda/guardrails/policy';
import { buildScp, SCP_ECR_SID } from '../../lambda/guardrails/scp';

const SCP_OPTIONS: ScpOptions = {
  partition: 'aws',
  pullAllowance: pullAllowance([]),
  nodeRolePatterns: DEFAULT_NODE_ROLE_PATTERNS,
  nodeRoleTag: null,
  exemptPrincipals: [],
};
const BOUNDARY_OPTIONS: BoundaryOptions = {
  partition: 'aws',
  pullAllowance: pullAllowance([]),
  ssmCore: true,
  extraActions: [],
};

function replaced(document: PolicyDocument, sid: string, change: Partial<PolicyStatement>): PolicyDocument {
  return {
    ...document,
    Statement: document.Statement.map((statement) =>
      statement.Sid === sid ? { ...statement, ...change } : statement,
    ),
  };
}

describe('checkScp', () => {
  const scp = buildScp(SCP_OPTIONS);
  const ecrActions = scp.Statement.find((s) => s.Sid === SCP_ECR_SID)?.Action ?? [];

  it('passes the generated SCP', () => {
    expect(checkScp(scp, SCP_OPTIONS)).toEqual([]);
  });

  it('catches an ECR write left out of the instance-credential Deny', () => {
    const partial = [...ecrActions].filter((action) => action !== 'ecr:PutImage');
    expect(checkScp(replaced(scp, SCP_ECR_SID, { Action: partial }), SCP_OPTIONS)).toEqual([
      'with EC2 instance credentials: ECR write actions remain allowed: ecr:PutImage',
    ]);
  });

  it('catches a Deny that takes pulls and eks-auth away', () => {
    const problems = checkScp(
      replaced(scp, SCP_ECR_SID, { Action: ['ecr:*', 'ecr-public:*', 'eks-auth:*'] }),
      SCP_OPTIONS,
    );
    expect(problems).toEqual([
      expect.stringMatching(
        /^with EC2 instance credentials: node pull actions are no longer allowed: .*ecr:BatchGetImage/,
      ),
      `statement ${SCP_ECR_SID} denies eks-auth:AssumeRoleForPodIdentity, which nodes need`,
    ]);
  });

  it('catches a missing instance-credential statement', () => {
    const without = { ...scp, Statement: scp.Statement.filter((s) => s.Sid !== SCP_ECR_SID) };
    expect(checkScp(without, SCP_OPTIONS)).toEqual([`the SCP has no ${SCP_ECR_SID} statement`]);
  });

  it('catches an SCP over the 5,120-character limit, and generateScp then prints nothing', () => {
    const patterns = Array.from({ length: 40 }, (_, index) => `team-${index}-cluster-nodes-*`);
    const options = { ...SCP_OPTIONS, nodeRolePatterns: patterns };
    expect(checkScp(buildScp(options), options)).toEqual([
      expect.stringMatching(/^the SCP is \d+ characters \(UTF-8 bytes\), over the 5120 limit$/),
    ]);
    const result = generateScp(options);
    expect(result.ok).toBe(false);
    expect(result).not.toHaveProperty('document');
  });

  it('catches a statement the analyser cannot use', () => {
    const broken = replaced(scp, SCP_ECR_SID, { Action: [] });
    expect(checkScp(broken, SCP_OPTIONS)[0]).toMatch(/^statement skipped by the analyser: /);
  });
});

describe('checkBoundary', () => {
  const boundary = buildBoundary(BOUNDARY_OPTIONS);

  it('passes the generated boundary', () => {
    expect(checkBoundary(boundary, BOUNDARY_OPTIONS)).toEqual([]);
  });

  it('catches an ECR write in an Allow even though the explicit Deny would hide it', () => {
    const options = { ...BOUNDARY_OPTIONS, extraActions: ['ecr:Put*'] };
    expect(checkBoundary(buildBoundary(options), options)).toEqual([
      expect.stringMatching(/^without its Deny: ECR write actions remain allowed: .*ecr:PutImage/),
    ]);
    const result = generateBoundary(options);
    expect(result).toEqual({ ok: false, kind: 'boundary', problems: expect.any(Array) });
  });

  it('catches a boundary that stops pulls', () => {
    const noPulls = replaced(boundary, 'AllowImagePulls', { Action: 'ecr:DescribeImages' });
    expect(checkBoundary(noPulls, BOUNDARY_OPTIONS)).toEqual([
      expect.stringMatching(
        /^without its Deny: node pull actions are no longer allowed: ecr:GetAuthorizationToken/,
      ),
      expect.stringMatching(/^as the boundary: node pull actions are no longer allowed: /),
    ]);
  });
});

describe('generateScp / generateBoundary', () => {
  it('return the document with its size and a description citing the condition keys page', () => {
    const scp = generateScp(SCP_OPTIONS);
    if (!scp.ok) throw new Error(scp.problems.join('; '));
    expect(scp.size.limit).toBe(5120);
    expect(scp.size.used).toBe(Buffer.byteLength(JSON.stringify(scp.document), 'utf8'));
    expect(scp.description.join('\n')).toContain(
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
    );
    const boundary = generateBoundary(BOUNDARY_OPTIONS);
    if (!boundary.ok) throw new Error(boundary.problems.join('; '));
    expect(boundary.size.limit).toBe(6144);
    expect(boundary.document).toEqual(buildBoundary(BOUNDARY_OPTIONS));
  });
});
