// Gateway (the only EKS caller): builds the per-region inventory of clusters, managed node groups, access
// entries, Fargate profiles and Auto Mode node roles that the node-role evidence is drawn from.
import {
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeFargateProfileCommand,
  DescribeNodegroupCommand,
  type EKSClient,
  ListAccessEntriesCommand,
  ListClustersCommand,
  ListFargateProfilesCommand,
  ListNodegroupsCommand,
} from '@aws-sdk/client-eks';
import { AccountReadError } from '../domain/errors';
import type {
  EksAccessEntryRecord,
  EksClusterRecord,
  EksFargateProfileRecord,
  EksInventory,
  EksNodegroupRecord,
  EksRegionWarning,
} from '../domain/types';
import { awsErrorName, guardedRead, isEksNotFound, isRegionUnavailable } from './aws-errors';
import { createLimiter, type Limiter, mapWithConcurrency } from './concurrency';
import { podIdentityAssociations } from './eks-pod-identity';
import { collectPages } from './pagination';

// Defined in the domain (presenters show it); re-exported for the callers of this gateway.
export type { EksRegionWarning } from '../domain/types';

/** The inventory of every reachable region, and the regions that could not be read (never silently). */
export interface EksInventoryResult {
  readonly inventory: EksInventory;
  readonly warnings: readonly EksRegionWarning[];
}

export interface EksInventoryOptions {
  /** How many regions are read at once. */
  readonly concurrency: number;
  /**
   * Also read each cluster's Pod Identity associations (the pod-role KPI of the snapshot, audit and sweep). The
   * event path's node-role inventory does not need them. @default false
   */
  readonly podIdentity?: boolean;
}

/** Told after each region: its name, its cluster count (null when skipped), and how many regions are done. */
export type EksProgress = (progress: {
  readonly region: string;
  readonly clusters: number | null;
  readonly done: number;
  readonly total: number;
}) => void;

export interface EksGatewayOptions {
  /** Most EKS calls in flight per region (list and describe calls of all its clusters). @default 4 */
  readonly callsPerRegion?: number;
}

/** Raised by callers that refuse an inventory with unreadable regions; lists them. */
export class EksRegionUnavailableError extends AccountReadError {
  override readonly name = 'EksRegionUnavailableError';
  constructor(readonly warnings: readonly EksRegionWarning[]) {
    super(
      `EKS could not be read in ${warnings.map((w) => `${w.region} (${w.code}: ${w.message})`).join(', ')}`,
    );
  }
}

export class EksGateway {
  private readonly callsPerRegion: number;

  constructor(
    private readonly clientFor: (region: string) => EKSClient,
    options: EksGatewayOptions = {},
  ) {
    this.callsPerRegion = options.callsPerRegion ?? 4;
  }

  /**
   * Every region in `regions`, `concurrency` at a time. A region where EKS cannot be reached at all
   * (opt-in region not enabled, endpoint missing) becomes a warning; AccessDenied anywhere throws
   * ReadAccessDeniedError naming the region/cluster; any other error rejects the whole inventory.
   */
  async inventory(
    regions: readonly string[],
    options: EksInventoryOptions,
    onProgress?: EksProgress,
  ): Promise<EksInventoryResult> {
    const inventory: Record<string, { clusters: EksClusterRecord[] }> = {};
    const warnings: EksRegionWarning[] = [];
    let done = 0;
    await mapWithConcurrency(regions, options.concurrency, async (region) => {
      let clusters: EksClusterRecord[] | null = null;
      try {
        clusters = await this.clusterInventory(region, options.podIdentity === true);
        inventory[region] = { clusters };
      } catch (error) {
        if (!isRegionUnavailable(error)) throw error;
        warnings.push({ region, code: awsErrorName(error) ?? 'Unknown', message: errorMessage(error) });
      }
      done += 1;
      onProgress?.({ region, clusters: clusters?.length ?? null, done, total: regions.length });
    });
    return { inventory: orderedLike(regions, inventory), warnings };
  }

  /**
   * The clusters of one region with their node groups, access entries, Fargate profiles and compute config, and
   * with `podIdentity` their Pod Identity associations.
   */
  async clusterInventory(region: string, podIdentity = false): Promise<EksClusterRecord[]> {
    const limiter = createLimiter(this.callsPerRegion);
    const reader = new RegionReader(this.clientFor(region), region, limiter, podIdentity);
    const names = await reader.clusterNames();
    const clusters = await Promise.all(names.map((name) => reader.cluster(name)));
    return clusters.flatMap((cluster) => (cluster === null ? [] : [cluster]));
  }
}

/** Reads one region; every SDK call goes through the region's limiter. */
class RegionReader {
  constructor(
    private readonly client: EKSClient,
    private readonly region: string,
    private readonly limiter: Limiter,
    private readonly withPodIdentity: boolean,
  ) {}

  async clusterNames(): Promise<string[]> {
    return this.read('eks:ListClusters', '', () =>
      collectPages(async (nextToken) => {
        const output = await this.limiter.run(() => this.client.send(new ListClustersCommand({ nextToken })));
        return { items: output.clusters ?? [], next: output.nextToken };
      }),
    );
  }

  /**
   * The cluster, or null when it was deleted between the list and the describe. DescribeCluster comes first: a
   * `CONFIG_MAP` cluster has no access entries and its access-entry APIs refuse every call, so they are not called.
   */
  async cluster(name: string): Promise<EksClusterRecord | null> {
    const [described, nodegroups, fargateProfiles, pods] = await Promise.all([
      this.describeCluster(name),
      this.nodegroups(name),
      this.fargateProfiles(name),
      this.podIdentity(name),
    ]);
    if (described === null) return null;
    const { computeConfig, accessConfig, identity, tags } = described;
    const entries =
      accessConfig?.authenticationMode === 'CONFIG_MAP'
        ? { accessEntries: [] }
        : await this.accessEntriesOrError(name);
    return {
      name,
      computeConfig,
      ...(accessConfig === undefined ? {} : { accessConfig }),
      nodegroups,
      ...entries,
      fargateProfiles,
      ...(identity === undefined ? {} : { identity }),
      ...pods,
      tags,
    };
  }

  /** The Pod Identity associations when asked for (eks-pod-identity.ts); AccessDenied is recorded, not thrown. */
  private async podIdentity(cluster: string): ReturnType<typeof podIdentityAssociations> {
    return this.withPodIdentity ? podIdentityAssociations(this.client, cluster, this.limiter) : {};
  }

  /**
   * DescribeCluster's computeConfig (Auto Mode), accessConfig and tags (the owner tags), field names as EKS returns
   * them; null when the cluster is gone, so that "gone" differs from "none". A cluster without tags has `{}`.
   */
  private async describeCluster(cluster: string): Promise<
    | (Pick<EksClusterRecord, 'computeConfig' | 'accessConfig' | 'identity'> & {
        tags: Record<string, string>;
      })
    | null
  > {
    const output = await this.describe('eks:DescribeCluster', cluster, () =>
      this.client.send(new DescribeClusterCommand({ name: cluster })),
    );
    if (output?.cluster === undefined) return null;
    const config = output.cluster.computeConfig;
    const mode = output.cluster.accessConfig?.authenticationMode;
    const issuer = output.cluster.identity?.oidc?.issuer;
    return {
      identity: issuer === undefined ? undefined : { oidc: { issuer } },
      computeConfig:
        config === undefined
          ? undefined
          : {
              ...(config.enabled === undefined ? {} : { enabled: config.enabled }),
              ...(config.nodeRoleArn === undefined ? {} : { nodeRoleArn: config.nodeRoleArn }),
            },
      accessConfig: mode === undefined ? undefined : { authenticationMode: mode },
      tags: { ...(output.cluster.tags ?? {}) },
    };
  }

  /**
   * The access entries, or (InvalidRequestException: the mode was not returned, or changed since the describe)
   * none with the error, so one such cluster never fails the inventory; the caller reports it as unreadable.
   */
  private async accessEntriesOrError(
    cluster: string,
  ): Promise<Pick<EksClusterRecord, 'accessEntries' | 'accessEntriesError'>> {
    try {
      return { accessEntries: await this.accessEntries(cluster) };
    } catch (error) {
      if (!isEksInvalidRequest(error)) throw error;
      return {
        accessEntries: [],
        accessEntriesError: {
          code: awsErrorName(error) ?? 'InvalidRequestException',
          message: errorMessage(error),
        },
      };
    }
  }

  private async nodegroups(cluster: string): Promise<EksNodegroupRecord[]> {
    const names = await this.list('eks:ListNodegroups', cluster, async (nextToken) => {
      const output = await this.client.send(new ListNodegroupsCommand({ clusterName: cluster, nextToken }));
      return { items: output.nodegroups ?? [], next: output.nextToken };
    });
    const records = await Promise.all(
      names.map(async (nodegroupName) => {
        const output = await this.describe('eks:DescribeNodegroup', `${cluster}/${nodegroupName}`, () =>
          this.client.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName })),
        );
        const nodeRole = output?.nodegroup?.nodeRole;
        // The same call returns the node group's tags (the owner tags): `{}` when it has none.
        const tags = { ...(output?.nodegroup?.tags ?? {}) };
        return nodeRole === undefined ? null : { nodegroupName, nodeRole, tags };
      }),
    );
    return records.flatMap((record) => (record === null ? [] : [record]));
  }

  private async accessEntries(cluster: string): Promise<EksAccessEntryRecord[]> {
    const principals = await this.list('eks:ListAccessEntries', cluster, async (nextToken) => {
      const output = await this.client.send(
        new ListAccessEntriesCommand({ clusterName: cluster, nextToken }),
      );
      return { items: output.accessEntries ?? [], next: output.nextToken };
    });
    const records = await Promise.all(
      principals.map(async (principalArn) => {
        const output = await this.describe('eks:DescribeAccessEntry', `${cluster} ${principalArn}`, () =>
          this.client.send(new DescribeAccessEntryCommand({ clusterName: cluster, principalArn })),
        );
        const entry = output?.accessEntry;
        if (entry === undefined) return null;
        return { principalArn: entry.principalArn ?? principalArn, type: entry.type ?? 'STANDARD' };
      }),
    );
    return records.flatMap((record) => (record === null ? [] : [record]));
  }

  private async fargateProfiles(cluster: string): Promise<EksFargateProfileRecord[]> {
    const names = await this.list('eks:ListFargateProfiles', cluster, async (nextToken) => {
      const output = await this.client.send(
        new ListFargateProfilesCommand({ clusterName: cluster, nextToken }),
      );
      return { items: output.fargateProfileNames ?? [], next: output.nextToken };
    });
    const records = await Promise.all(
      names.map(async (fargateProfileName) => {
        const output = await this.describe(
          'eks:DescribeFargateProfile',
          `${cluster}/${fargateProfileName}`,
          () =>
            this.client.send(new DescribeFargateProfileCommand({ clusterName: cluster, fargateProfileName })),
        );
        const podExecutionRoleArn = output?.fargateProfile?.podExecutionRoleArn;
        return podExecutionRoleArn === undefined ? null : { fargateProfileName, podExecutionRoleArn };
      }),
    );
    return records.flatMap((record) => (record === null ? [] : [record]));
  }

  /** All pages of a per-cluster list, each page a limited call; a cluster deleted meanwhile lists nothing. */
  private async list<T>(
    operation: string,
    cluster: string,
    fetchPage: (token: string | undefined) => Promise<{ items: readonly T[]; next: string | undefined }>,
  ): Promise<T[]> {
    const items = await orNullWhenGone(
      this.read(operation, cluster, () => collectPages((token) => this.limiter.run(() => fetchPage(token)))),
    );
    return items ?? [];
  }

  /** One limited call; ResourceNotFound (deleted between list and describe) gives null. */
  private describe<T>(operation: string, resource: string, call: () => Promise<T>): Promise<T | null> {
    return orNullWhenGone(this.read(operation, resource, () => this.limiter.run(call)));
  }

  /** AccessDenied names `region` or `region/cluster...`. */
  private read<T>(operation: string, resource: string, call: () => Promise<T>): Promise<T> {
    return guardedRead(operation, resource === '' ? this.region : `${this.region}/${resource}`, call);
  }
}

/** Keeps the regions in the order they were asked for, whatever order they finished in. */
function orderedLike(
  regions: readonly string[],
  byRegion: Record<string, { clusters: EksClusterRecord[] }>,
): EksInventory {
  const ordered: Record<string, { clusters: EksClusterRecord[] }> = {};
  for (const region of regions) {
    const entry = byRegion[region];
    if (entry !== undefined) ordered[region] = entry;
  }
  return ordered;
}

async function orNullWhenGone<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isEksNotFound(error)) return null;
    throw error;
  }
}

/** What EKS answers an access-entry call on a cluster whose authentication mode does not allow it (HTTP 400). */
function isEksInvalidRequest(error: unknown): boolean {
  return awsErrorName(error) === 'InvalidRequestException';
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
