// Dev script support (benchmark): builds a large, deterministic synthetic account in the snapshot format
// (docs/snapshot-format.md): node roles behind managed node groups, Karpenter access entries, Auto Mode and Fargate,
// self-managed (heuristic) node roles, ordinary workload roles, shared customer managed policies, a few violations,
// exemptions and dangling EKS references.
import { ACCOUNT_ID, customerPolicyArn, type Json, PARTITION, roleArn } from './synthetic/arns';
import { customerPolicies } from './synthetic/documents';
import {
  autoModeRole,
  fargateRole,
  nodeRole,
  type RoleSpec,
  roleDetail,
  workloadRole,
} from './synthetic/roles';

export { ACCOUNT_ID };

/** 17 commercial regions, the spread a large organisation's account can have. */
export const SYNTHETIC_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'sa-east-1',
  'me-central-1',
];

export interface SyntheticOptions {
  /** IAM roles in all (node roles included). */
  readonly roles: number;
  /** Managed node groups in all, spread over the regions' clusters (one node role each). */
  readonly nodegroups: number;
  /** @default 17 */
  readonly regions?: number;
  /** Node groups per cluster. @default 10 */
  readonly nodegroupsPerCluster?: number;
  /** Customer managed policies shared by the roles. @default 300 */
  readonly customerPolicies?: number;
  /**
   * `encoded`: documents URL-encoded, as the IAM API returns them (the in-memory path of `audit --live` and the
   * sweep); `objects`: JSON objects, as `eks-ecr-guard snapshot` and the AWS CLI write them.
   * @default 'objects'
   */
  readonly documents?: 'encoded' | 'objects';
  /** @default 1 */
  readonly seed?: number;
}

export interface SyntheticStats {
  readonly roles: number;
  readonly nodeRoles: number;
  readonly clusters: number;
  readonly nodegroups: number;
  readonly regions: number;
  readonly customerPolicies: number;
  readonly danglingReferences: number;
}

/** Small deterministic PRNG (mulberry32) so every run audits the same account. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
/** A cluster in the snapshot's `eks` section (field names as the EKS API returns them). */
interface SyntheticCluster {
  readonly name: string;
  computeConfig?: { readonly enabled: boolean; readonly nodeRoleArn: string };
  readonly nodegroups: Json[];
  readonly accessEntries: Json[];
  readonly fargateProfiles: Json[];
}

/** The synthetic account and what is in it. */
export function syntheticSnapshot(options: SyntheticOptions): { snapshot: Json; stats: SyntheticStats } {
  const next = random(options.seed ?? 1);
  const encode = options.documents === 'encoded';
  const doc = (document: Json): unknown => (encode ? encodeURIComponent(JSON.stringify(document)) : document);
  const regionCount = Math.min(options.regions ?? SYNTHETIC_REGIONS.length, SYNTHETIC_REGIONS.length);
  const regions = SYNTHETIC_REGIONS.slice(0, regionCount);
  const perCluster = options.nodegroupsPerCluster ?? 10;
  const clusterCount = Math.max(1, Math.ceil(options.nodegroups / perCluster));
  const policyCount = options.customerPolicies ?? 300;

  const policies = customerPolicies(policyCount, next, doc);
  const pickPolicy = (): string => customerPolicyArn(`team-policy-${Math.floor(next() * policyCount)}`);
  const roles: RoleSpec[] = [];
  const clusters: { region: string; cluster: SyntheticCluster }[] = [];

  // EKS side: clusters round-robin over the regions; one node role per node group; per cluster a Karpenter role
  // (EC2_LINUX access entry), every 5th cluster a Fargate profile, every 7th Auto Mode.
  let nodegroupIndex = 0;
  for (let c = 0; c < clusterCount; c += 1) {
    const region = regions[c % regions.length] ?? 'us-east-1';
    const name = `cluster-${c}`;
    const cluster: SyntheticCluster = { name, nodegroups: [], accessEntries: [], fargateProfiles: [] };
    for (let n = 0; n < perCluster && nodegroupIndex < options.nodegroups; n += 1, nodegroupIndex += 1) {
      const role = nodeRole(
        `${name}-ng-${n}-NodeInstanceRole`,
        nodegroupIndex % 9 === 0 ? '/eks/' : '/',
        next,
        pickPolicy,
      );
      roles.push(role);
      cluster.nodegroups.push({ nodegroupName: `ng-${n}`, nodeRole: roleArn(role.path, role.name) });
      cluster.accessEntries.push({ principalArn: roleArn(role.path, role.name), type: 'EC2_LINUX' });
    }
    const karpenter = nodeRole(`KarpenterNodeRole-${name}`, '/', next, pickPolicy);
    roles.push(karpenter);
    cluster.accessEntries.push({ principalArn: roleArn('/', karpenter.name), type: 'EC2_LINUX' });
    cluster.accessEntries.push({ principalArn: roleArn('/', `platform-admin-${c}`), type: 'STANDARD' });
    if (c % 5 === 0) {
      const podExec = fargateRole(`${name}-fargate-pod-exec`);
      roles.push(podExec);
      cluster.fargateProfiles.push({
        fargateProfileName: 'fp-default',
        podExecutionRoleArn: roleArn('/', podExec.name),
      });
      cluster.accessEntries.push({ principalArn: roleArn('/', podExec.name), type: 'FARGATE_LINUX' });
    }
    if (c % 7 === 0) {
      const auto = autoModeRole(`${name}-AutoNodeRole`);
      roles.push(auto);
      cluster.computeConfig = { enabled: true, nodeRoleArn: roleArn('/', auto.name) };
      cluster.accessEntries.push({ principalArn: roleArn('/', auto.name), type: 'EC2' });
    }
    clusters.push({ region, cluster });
  }
  // Dangling references: node groups whose role was deleted from IAM.
  const danglingReferences = Math.max(1, Math.floor(clusterCount / 25));
  for (let d = 0; d < danglingReferences; d += 1) {
    clusters[d % clusters.length]?.cluster.nodegroups.push({
      nodegroupName: `ng-orphan-${d}`,
      nodeRole: roleArn('/', `deleted-node-role-${d}`),
    });
  }

  // Self-managed node roles (found by the heuristic only), then workload roles up to the requested count.
  const selfManaged = Math.max(1, Math.floor(options.roles * 0.01));
  for (let s = 0; s < selfManaged && roles.length < options.roles; s += 1) {
    roles.push({ ...nodeRole(`self-managed-nodes-${s}`, '/', next, pickPolicy), tags: [] });
  }
  const nodeRoles = roles.length;
  for (let w = 0; roles.length < options.roles; w += 1) roles.push(workloadRole(w, next, pickPolicy));

  const snapshot: Json = {
    accountId: ACCOUNT_ID,
    partition: PARTITION,
    capturedAt: '2026-11-20T08:30:00Z',
    quotas: { attachedPoliciesPerRole: 20 },
    iam: {
      RoleDetailList: roles.slice(0, options.roles).map((role, i) => roleDetail(role, i, doc)),
      Policies: policies,
    },
    eks: Object.fromEntries(
      regions.map((region) => [
        region,
        { clusters: clusters.filter((entry) => entry.region === region).map((entry) => entry.cluster) },
      ]),
    ),
  };
  return {
    snapshot,
    stats: {
      roles: Math.min(roles.length, options.roles),
      nodeRoles: Math.min(nodeRoles, options.roles),
      clusters: clusterCount,
      nodegroups: options.nodegroups,
      regions: regions.length,
      customerPolicies: policyCount,
      danglingReferences,
    },
  };
}
