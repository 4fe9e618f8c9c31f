// Tests for the CDK Aspect (lib/checks): a small app with aws-eks L1s and an aws-iam Role is synthesised and the
// annotations the Aspect leaves are read back: an error on a node role with FullAccess, none on a pull-only one,
// a warning when the role's policy comes from a parameter.
import { App, Aspects, Aws, CfnParameter, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { CfnAccessEntry, CfnFargateProfile, CfnNodegroup } from 'aws-cdk-lib/aws-eks';
import { ManagedPolicy, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  EksEcrGuardChecks,
  type EksEcrGuardChecksProps,
  NODE_ROLE_ECR_WRITE,
  NODE_ROLE_ECR_WRITE_UNKNOWN,
} from '../../lib/checks/eks-ecr-guard-checks';

function stackWith(build: (stack: Stack) => void, props?: EksEcrGuardChecksProps): Stack {
  const app = new App();
  const stack = new Stack(app, 'Nodes');
  build(stack);
  Aspects.of(app).add(new EksEcrGuardChecks(props));
  app.synth();
  return stack;
}

function nodeRole(stack: Stack, id: string, ...policies: string[]): Role {
  return new Role(stack, id, {
    assumedBy: new ServicePrincipal('ec2.amazonaws.com'),
    managedPolicies: policies.map((name) => ManagedPolicy.fromAwsManagedPolicyName(name)),
  });
}

function nodegroup(stack: Stack, id: string, role: Role): CfnNodegroup {
  return new CfnNodegroup(stack, id, {
    clusterName: 'demo',
    nodeRole: role.roleArn,
    subnets: ['subnet-0a1b2c3d4e5f60718'],
  });
}

describe('EksEcrGuardChecks', () => {
  it('puts an error on a node group role that has AmazonEC2ContainerRegistryFullAccess', () => {
    const stack = stackWith((s) => {
      nodegroup(
        s,
        'Builders',
        nodeRole(s, 'BuilderRole', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryFullAccess'),
      );
    });
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp(NODE_ROLE_ECR_WRITE));
    expect(errors).toHaveLength(1);
    expect(errors[0]?.id).toMatch(/BuilderRole/);
    expect(String(errors[0]?.entry.data)).toMatch(/\(high\).*AmazonEC2ContainerRegistryFullAccess/);
  });

  it('reports nothing for a node role that only pulls', () => {
    const stack = stackWith((s) => {
      nodegroup(
        s,
        'Workers',
        nodeRole(s, 'WorkerRole', 'AmazonEKSWorkerNodePolicy', 'AmazonEC2ContainerRegistryPullOnly'),
      );
    });
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
    expect(Annotations.fromStack(stack).findWarning('*', Match.anyValue())).toHaveLength(0);
  });

  it('follows grants added with addToPolicy (an AWS::IAM::Policy naming the role) to an access entry', () => {
    const stack = stackWith((s) => {
      const role = nodeRole(s, 'KarpenterRole', 'AmazonEKSWorkerNodePolicy');
      role.addToPolicy(new PolicyStatement({ actions: ['ecr:PutImage'], resources: ['*'] }));
      new CfnAccessEntry(s, 'KarpenterEntry', {
        clusterName: 'demo',
        principalArn: role.roleArn,
        type: 'EC2_LINUX',
      });
    });
    const errors = Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp('ecr:PutImage'));
    expect(errors).toHaveLength(1);
  });

  it('can report violations as warnings', () => {
    const stack = stackWith(
      (s) => {
        const role = nodeRole(s, 'PodRole', 'AmazonEC2ContainerRegistryPowerUser');
        new CfnFargateProfile(s, 'Profile', {
          clusterName: 'demo',
          podExecutionRoleArn: role.roleArn,
          selectors: [{ namespace: 'ci' }],
        });
      },
      { violationLevel: 'warning' },
    );
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
    expect(
      Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp(NODE_ROLE_ECR_WRITE)),
    ).toHaveLength(1);
  });

  it('warns "unknown" when a policy ARN comes from a parameter', () => {
    const stack = stackWith((s) => {
      const extra = new CfnParameter(s, 'ExtraPolicyArn', { type: 'String' });
      const role = nodeRole(s, 'NodeRole', 'AmazonEKSWorkerNodePolicy');
      role.addManagedPolicy(ManagedPolicy.fromManagedPolicyArn(s, 'Extra', extra.valueAsString));
      nodegroup(s, 'Nodes', role);
    });
    const warnings = Annotations.fromStack(stack).findWarning(
      '*',
      Match.stringLikeRegexp(NODE_ROLE_ECR_WRITE_UNKNOWN),
    );
    expect(warnings).toHaveLength(1);
    expect(String(warnings[0]?.entry.data)).toMatch(/parameter ExtraPolicyArn/);
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toHaveLength(0);
  });

  it('resolves the partition token in a managed policy ARN built by hand', () => {
    const stack = stackWith((s) => {
      const role = nodeRole(s, 'HandRole');
      role.addManagedPolicy(
        ManagedPolicy.fromManagedPolicyArn(
          s,
          'Full',
          `arn:${Aws.PARTITION}:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess`,
        ),
      );
      nodegroup(s, 'Nodes', role);
    });
    expect(
      Annotations.fromStack(stack).findError('*', Match.stringLikeRegexp(NODE_ROLE_ECR_WRITE)),
    ).toHaveLength(1);
  });
});
