// Test support for the report and digest tests: audit reports of the demo account and of small hand-built accounts.
import { join } from 'node:path';
import { loadSnapshot } from '../../lambda/account/snapshot-format';
import { SnapshotAccountView } from '../../lambda/account/snapshot-view';
import { evaluationSettings } from '../../lambda/composition';
import { parseConfig } from '../../lambda/config';
import { type AuditReport, auditAccount } from '../../lambda/usecases/audit';
import { ChangeEvaluator } from '../../lambda/usecases/evaluate-change';

export const TODAY = '2026-11-22';
export const ACCOUNT = '111122223333';
export const SAMPLE_PATH = join(__dirname, '..', '..', 'demo', 'sample-account.json');

export async function reportOf(view: SnapshotAccountView): Promise<AuditReport> {
  const evaluator = new ChangeEvaluator(
    view,
    evaluationSettings(parseConfig({}), view.partition, () => TODAY),
  );
  return auditAccount(view, evaluator, { today: TODAY });
}

export const demoReport = (): Promise<AuditReport> => reportOf(SnapshotAccountView.fromFile(SAMPLE_PATH));

const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const awsManaged = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

export interface RoleSpec {
  readonly attached?: readonly string[];
  readonly inline?: Readonly<Record<string, unknown>>;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Every role is a node group's node role in eu-west-1/prod (`ng-<role>`); `dangling` adds node groups of missing roles. */
export function accountJson(
  roles: Readonly<Record<string, RoleSpec>>,
  dangling: readonly string[] = [],
): unknown {
  const arn = (name: string): string => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  return {
    accountId: ACCOUNT,
    iam: {
      RoleDetailList: Object.entries(roles).map(([name, spec]) => ({
        RoleName: name,
        Arn: arn(name),
        AssumeRolePolicyDocument: trust,
        AttachedManagedPolicies: (spec.attached ?? []).map((policy) => ({
          PolicyName: policy,
          PolicyArn: awsManaged(policy),
        })),
        RolePolicyList: Object.entries(spec.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({
          PolicyName,
          PolicyDocument,
        })),
        Tags: Object.entries(spec.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    },
    eks: {
      'eu-west-1': {
        clusters: [
          {
            name: 'prod',
            nodegroups: [...Object.keys(roles), ...dangling].map((name) => ({
              nodegroupName: `ng-${name}`,
              nodeRole: arn(name),
            })),
          },
        ],
      },
    },
  };
}

export const reportOfJson = (json: unknown): Promise<AuditReport> =>
  reportOf(new SnapshotAccountView(loadSnapshot(json)));

const scopedPush = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Action: 'ecr:PutImage',
      Resource: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/cache`,
    },
  ],
};

/** One node role per verdict and severity: admin (critical), pusher (high), cache (medium), ok, waived (exempt). */
export function mixedAccountJson(): unknown {
  return accountJson(
    {
      admin: { attached: ['AdministratorAccess'] },
      pusher: { attached: ['AmazonEC2ContainerRegistryPowerUser'] },
      cache: { attached: ['AmazonEC2ContainerRegistryPullOnly'], inline: { 'push-cache': scopedPush } },
      ok: { attached: ['AmazonEC2ContainerRegistryPullOnly'] },
      waived: {
        attached: ['AmazonEC2ContainerRegistryFullAccess'],
        tags: { 'eks-ecr-guard:exempt': 'cache warmer, until=2026-11-30' },
      },
    },
    ['gone'],
  );
}
