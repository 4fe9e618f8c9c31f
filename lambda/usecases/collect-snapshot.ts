// Use case "collect a snapshot": reads a live account into the snapshot format (docs/snapshot-format.md) with one
// paginated GetAccountAuthorizationDetails pass and a bounded-concurrency EKS inventory; the `snapshot` command
// writes it, and the live audit and the sweep audit it in memory through a SnapshotAccountView.

import { accountFromArn, partitionFromArn } from '../domain/arn';
import { ReadAccessDeniedError } from '../domain/errors';
import { decodeDocument } from '../domain/policy-json';
import type { EcrInventory, EksInventory } from '../domain/types';
import type { AwsClients } from '../gateways/aws-clients';
import { EcrGateway } from '../gateways/ecr-gateway';
import { EksGateway, type EksProgress, type EksRegionWarning } from '../gateways/eks-gateway';
import { type AccountAuthorizationDetails, IamGateway } from '../gateways/iam-gateway';
import { RegionsGateway } from '../gateways/regions-gateway';

/** What the collection reads through (the production gateways satisfy it). */
export interface CollectionSources {
  readonly iam: Pick<IamGateway, 'accountAuthorizationDetails' | 'attachedPoliciesPerRoleQuota'>;
  readonly eks: Pick<EksGateway, 'inventory'>;
  /** ECR resource policies, read over the same regions as EKS. @default - not read (no `ecr` section) */
  readonly ecr?: Pick<EcrGateway, 'inventory'>;
  /** The regions to inventory, or how to find them (the account's enabled regions). */
  readonly regions: readonly string[] | (() => Promise<readonly string[]>);
}

export type CollectionProgress =
  | { readonly stage: 'iam'; readonly pages: number }
  | { readonly stage: 'regions'; readonly regions: readonly string[] }
  | ({ readonly stage: 'eks' } & Parameters<EksProgress>[0]);

export interface CollectOptions {
  /** Regions read at once. */
  readonly eksConcurrency: number;
  /** Known account id and partition; otherwise taken from the role ARNs. */
  readonly accountId?: string | null;
  readonly partition?: string | null;
  readonly now?: () => Date;
  readonly onProgress?: (progress: CollectionProgress) => void;
}

/** The snapshot file format as collected (documents URL-encoded, as the IAM API returns them). */
export interface CollectedSnapshot {
  readonly accountId?: string;
  readonly partition?: string;
  readonly capturedAt: string;
  readonly quotas?: { readonly attachedPoliciesPerRole: number };
  readonly iam: Pick<AccountAuthorizationDetails, 'RoleDetailList' | 'Policies'>;
  readonly eks: EksInventory;
  /** Regions whose EKS API could not be reached: they hold no evidence in this snapshot (additive key). */
  readonly eksWarnings?: readonly EksRegionWarning[];
  /** Repository/registry policies and creation templates per region (additive key; absent when not read). */
  readonly ecr?: EcrInventory;
  /** Regions whose ECR API could not be reached (additive key). */
  readonly ecrWarnings?: readonly EksRegionWarning[];
}

/** The production sources over SDK clients; `regions` empty means every enabled region of the account. */
export function liveCollectionSources(clients: AwsClients, regions: readonly string[]): CollectionSources {
  const regionsGateway = new RegionsGateway(clients.account);
  return {
    iam: new IamGateway(clients.iam),
    eks: new EksGateway(clients.eksFor),
    ...(clients.ecrFor === undefined ? {} : { ecr: new EcrGateway(clients.ecrFor) }),
    regions: regions.length > 0 ? regions : () => regionsGateway.enabledRegions(),
  };
}

/**
 * Reads the account: IAM (one GetAccountAuthorizationDetails pass, never per-role calls) and EKS (every region,
 * `eksConcurrency` at a time) run side by side. Unreachable EKS regions are kept as `eksWarnings`; AccessDenied
 * anywhere fails the collection (an audit must not pass for lack of reads).
 */
export async function collectSnapshot(
  sources: CollectionSources,
  options: CollectOptions,
): Promise<CollectedSnapshot> {
  const progress = options.onProgress;
  const capturedAt = (options.now ?? (() => new Date()))().toISOString();
  const regions = resolveRegions(sources, options);
  const [details, eks, quota, ecr] = await Promise.all([
    sources.iam.accountAuthorizationDetails((pages) => progress?.({ stage: 'iam', pages })),
    collectEks(sources, options, regions),
    readQuota(sources),
    collectEcr(sources, options, regions),
  ]);
  const firstRoleArn = details.RoleDetailList[0]?.Arn;
  const accountId = options.accountId ?? (firstRoleArn === undefined ? null : accountFromArn(firstRoleArn));
  const partition = options.partition ?? (firstRoleArn === undefined ? null : partitionFromArn(firstRoleArn));
  return {
    ...(accountId === null ? {} : { accountId }),
    ...(partition === null ? {} : { partition }),
    capturedAt,
    ...(quota === null ? {} : { quotas: { attachedPoliciesPerRole: quota } }),
    iam: { RoleDetailList: details.RoleDetailList, Policies: details.Policies },
    eks: eks.inventory,
    ...(eks.warnings.length === 0 ? {} : { eksWarnings: eks.warnings }),
    ...(ecr === null ? {} : { ecr: ecr.inventory }),
    ...(ecr === null || ecr.warnings.length === 0 ? {} : { ecrWarnings: ecr.warnings }),
  };
}

/** The region list, resolved once: EKS and ECR read the same regions. */
async function resolveRegions(
  sources: CollectionSources,
  options: CollectOptions,
): Promise<readonly string[]> {
  const regions = typeof sources.regions === 'function' ? await sources.regions() : sources.regions;
  options.onProgress?.({ stage: 'regions', regions });
  return regions;
}

async function collectEks(
  sources: CollectionSources,
  options: CollectOptions,
  regionList: Promise<readonly string[]>,
): Promise<{ inventory: EksInventory; warnings: readonly EksRegionWarning[] }> {
  const regions = await regionList;
  return sources.eks.inventory(regions, { concurrency: options.eksConcurrency, podIdentity: true }, (step) =>
    options.onProgress?.({ stage: 'eks', ...step }),
  );
}

/** Same regions and region concurrency as EKS; null when the sources have no ECR reader. */
async function collectEcr(
  sources: CollectionSources,
  options: CollectOptions,
  regionList: Promise<readonly string[]>,
): Promise<{ inventory: EcrInventory; warnings: readonly EksRegionWarning[] } | null> {
  if (sources.ecr === undefined) return null;
  const regions = await regionList;
  return sources.ecr.inventory(regions, { concurrency: options.eksConcurrency });
}

/** The quota when GetAccountSummary may be read; null (the snapshot's default applies) when denied. */
async function readQuota(sources: CollectionSources): Promise<number | null> {
  try {
    return await sources.iam.attachedPoliciesPerRoleQuota();
  } catch (error) {
    if (error instanceof ReadAccessDeniedError) return null;
    throw error;
  }
}

/** The snapshot as written to a file: the same keys, with documents as JSON objects where they decode. */
export type ReadableSnapshot = Omit<CollectedSnapshot, 'iam'> & {
  readonly iam: { readonly RoleDetailList: readonly object[]; readonly Policies: readonly object[] };
};

/**
 * The snapshot with every policy document decoded into a JSON object, as the AWS CLI prints them: readable and
 * diffable on disk (the format accepts both forms). Documents that do not decode are kept as they are. The input
 * is not modified.
 */
export function withReadableDocuments(snapshot: CollectedSnapshot): ReadableSnapshot {
  return {
    ...snapshot,
    iam: {
      RoleDetailList: snapshot.iam.RoleDetailList.map((role) => ({
        ...role,
        ...(role.AssumeRolePolicyDocument === undefined
          ? {}
          : { AssumeRolePolicyDocument: readable(role.AssumeRolePolicyDocument) }),
        ...(role.RolePolicyList === undefined
          ? {}
          : {
              RolePolicyList: role.RolePolicyList.map((policy) => ({
                ...policy,
                ...(policy.PolicyDocument === undefined
                  ? {}
                  : { PolicyDocument: readable(policy.PolicyDocument) }),
              })),
            }),
      })),
      Policies: snapshot.iam.Policies.map((policy) => ({
        ...policy,
        ...(policy.PolicyVersionList === undefined
          ? {}
          : {
              PolicyVersionList: policy.PolicyVersionList.map((version) => ({
                ...version,
                ...(version.Document === undefined ? {} : { Document: readable(version.Document) }),
              })),
            }),
      })),
    },
  };
}

function readable(document: string): unknown {
  return decodeDocument(document) ?? document;
}
