// In-memory AWS: builds the roles, managed policies and clusters FakeState keeps from the seeds callers (tests,
// the snapshot loader) hand in, filling what a seed leaves out the way IAM would (ARN, path, ids, dates).
import { AuthenticationMode } from '@aws-sdk/client-eks';
import { accountFromArn } from '../domain/arn';
import { documentText } from './documents';
import type {
  ClusterSeed,
  FakeCluster,
  FakePolicy,
  FakeRole,
  FakeState,
  PolicySeed,
  RoleSeed,
} from './model';

/** The trust policy of a role seeded without one: EC2 may assume it (a node role). */
const DEFAULT_TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

export function roleFromSeed(state: FakeState, seed: RoleSeed): FakeRole {
  const path = seed.path ?? '/';
  return {
    name: seed.name,
    arn: seed.arn ?? state.roleArn(path, seed.name),
    path,
    roleId: state.nextId('AROA'),
    createDate: state.createDate,
    trustPolicyText: documentText(seed.trustPolicy ?? DEFAULT_TRUST_POLICY),
    tags: new Map(Object.entries(seed.tags ?? {})),
    permissionsBoundaryArn: seed.permissionsBoundaryArn ?? null,
    attached: [...new Set(seed.attached ?? [])],
    inline: new Map(
      Object.entries(seed.inline ?? {}).map(([name, document]) => [name, documentText(document)]),
    ),
  };
}

/** An ARN in the `aws` account makes it AWS managed; without an ARN it is customer managed in this account. */
export function policyFromSeed(state: FakeState, seed: PolicySeed): FakePolicy {
  const path = seed.path ?? '/';
  const arn = seed.arn ?? state.customerPolicyArn(path, seed.name);
  const versionSeeds = seed.versions ?? [
    { versionId: 'v1', document: seed.document ?? {}, isDefaultVersion: true },
  ];
  if (versionSeeds.length === 0) throw new Error(`FakeAws: policy ${arn} needs at least one version`);
  const versions = versionSeeds.map((version) => ({
    versionId: version.versionId,
    text: documentText(version.document),
    createDate: state.createDate,
  }));
  const defaultVersionId =
    seed.defaultVersionId ??
    versionSeeds.find((version) => version.isDefaultVersion === true)?.versionId ??
    versions[versions.length - 1]?.versionId ??
    'v1';
  return {
    name: seed.name,
    arn,
    path,
    policyId: state.nextId('ANPA'),
    awsManaged: accountFromArn(arn) === 'aws',
    createDate: state.createDate,
    versions,
    defaultVersionId,
    nextVersion: Math.max(0, ...versions.map((version) => versionNumber(version.versionId))) + 1,
  };
}

const AUTHENTICATION_MODES: ReadonlySet<string> = new Set(Object.values(AuthenticationMode));

/** A mode EKS knows (a snapshot may hold any string). */
export function isAuthenticationMode(mode: string): mode is AuthenticationMode {
  return AUTHENTICATION_MODES.has(mode);
}

export function clusterFromSeed(seed: ClusterSeed): FakeCluster {
  return {
    name: seed.name,
    computeConfig: seed.computeConfig === undefined ? undefined : { ...seed.computeConfig },
    authenticationMode: seed.accessConfig?.authenticationMode,
    nodegroups: [...(seed.nodegroups ?? [])],
    accessEntries: [...(seed.accessEntries ?? [])],
    fargateProfiles: [...(seed.fargateProfiles ?? [])],
    oidcIssuer: seed.identity?.oidc?.issuer,
    podIdentityAssociations: (seed.podIdentityAssociations ?? []).map((association, index) => ({
      ...association,
      associationId: `a-${(index + 1).toString(36).padStart(17, '0')}`,
    })),
    tags: { ...(seed.tags ?? {}) },
  };
}

/** `v3` → 3; other shapes count as 0. */
function versionNumber(versionId: string): number {
  const number = Number(versionId.startsWith('v') ? versionId.slice(1) : Number.NaN);
  return Number.isInteger(number) ? number : 0;
}
