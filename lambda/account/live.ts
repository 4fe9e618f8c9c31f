// Account view (live): the AccountView the use cases read through in the Lambda and the live CLI, backed by
// the IAM and EKS gateways, with warm-container caches for the node-role inventory and managed policies.
import { accountFromArn } from '../domain/arn';
import { ReadAccessDeniedError } from '../domain/errors';
import { bundledManagedPolicy } from '../domain/managed-policies';
import type { EksInventory, ManagedPolicyContent, RoleRecord } from '../domain/types';
import {
  type EksGateway,
  type EksInventoryResult,
  EksRegionUnavailableError,
  type EksRegionWarning,
} from '../gateways/eks-gateway';
import { DEFAULT_ATTACHED_POLICIES_PER_ROLE_QUOTA, type IamGateway } from '../gateways/iam-gateway';
import type { AccountView } from './account-view';

export interface LiveAccountViewOptions {
  readonly iam: IamGateway;
  readonly eks: EksGateway;
  /** The regions to inventory: a fixed list, or a lookup (e.g. the enabled regions) run on every reload. */
  readonly regions: readonly string[] | (() => Promise<readonly string[]>);
  readonly accountId: string | null;
  readonly partition: string;
  /** How long the EKS inventory and the managed-policy quota stay cached. @default 300 */
  readonly nodeRoleCacheTtlSeconds?: number;
  /** Regions read at once. @default 4 */
  readonly eksConcurrency?: number;
  /**
   * Leave regions where EKS cannot be reached out of the inventory (reported to `onEksWarnings`) instead
   * of failing. @default false: a region we cannot see could hold the node group that makes a role a
   * node role, so by default the inventory load fails with EksRegionUnavailableError.
   */
  readonly skipUnavailableRegions?: boolean;
  /** Told about the regions left out of each inventory load. */
  readonly onEksWarnings?: (warnings: readonly EksRegionWarning[]) => void;
  /** Milliseconds clock. @default Date.now */
  readonly now?: () => number;
}

interface Cached<T> {
  readonly value: T;
  readonly expiresAt: number;
}

/** The default version of a managed policy as last read; versions are immutable. */
interface CachedPolicyVersion {
  readonly name: string;
  readonly versionId: string;
  readonly document: unknown;
  /** When it was read (the `now` clock), for the AWS managed TTL. */
  readonly readAt: number;
}

export class LiveAccountView implements AccountView {
  readonly accountId: string | null;
  readonly partition: string;

  private readonly iam: IamGateway;
  private readonly eks: EksGateway;
  private readonly ttlMs: number;
  private readonly eksConcurrency: number;
  private readonly now: () => number;
  private readonly inventoryCache: TtlCache<EksInventory>;
  private readonly quotaCache: TtlCache<number>;
  private readonly policyVersions = new Map<string, CachedPolicyVersion>();
  private lastWarnings: readonly EksRegionWarning[] = [];

  constructor(private readonly options: LiveAccountViewOptions) {
    this.accountId = options.accountId;
    this.partition = options.partition;
    this.iam = options.iam;
    this.eks = options.eks;
    this.ttlMs = (options.nodeRoleCacheTtlSeconds ?? 300) * 1000;
    this.eksConcurrency = options.eksConcurrency ?? 4;
    this.now = options.now ?? Date.now;
    this.inventoryCache = new TtlCache(this.ttlMs, this.now);
    this.quotaCache = new TtlCache(this.ttlMs, this.now);
  }

  /** GetRole + ListAttachedRolePolicies + ListRolePolicies; never cached. */
  async getRole(roleName: string): Promise<RoleRecord | null> {
    const role = await this.iam.getRole(roleName);
    if (role === null) return null;
    const [attachedPolicies, inlinePolicyNames] = await Promise.all([
      this.iam.listAttachedRolePolicies(roleName),
      this.iam.listRolePolicyNames(roleName),
    ]);
    return { ...role, attachedPolicies, inlinePolicyNames };
  }

  /** Never cached. */
  getInlinePolicy(roleName: string, policyName: string): Promise<unknown | null> {
    return this.iam.getRolePolicy(roleName, policyName);
  }

  /**
   * Bundled AWS managed documents cost no call. Another AWS managed policy read within the TTL costs no call
   * either: only AWS can move its default version, no event in the account announces it, and the TTL bounds
   * how stale it can be (the same bound as the node-role inventory). A customer managed policy with a cached
   * version costs a GetPolicyVersion of that version, kept while it is still the default (1 call), because
   * the account's own CreatePolicyVersion/SetDefaultPolicyVersion may have moved it; otherwise
   * GetPolicy + GetPolicyVersion (2 calls).
   */
  async getManagedPolicy(policyArn: string): Promise<ManagedPolicyContent | null> {
    const bundled = bundledManagedPolicy(policyArn);
    if (bundled !== null) return bundled;
    const cached = this.policyVersions.get(policyArn);
    if (
      cached !== undefined &&
      accountFromArn(policyArn) === 'aws' &&
      this.now() - cached.readAt < this.ttlMs
    )
      return content(policyArn, cached);
    if (cached !== undefined) {
      const version = await this.iam.getPolicyVersion(policyArn, cached.versionId);
      if (version?.isDefaultVersion === true) {
        const confirmed = { ...cached, readAt: this.now() };
        this.policyVersions.set(policyArn, confirmed);
        return content(policyArn, confirmed);
      }
    }
    return this.loadDefaultVersion(policyArn);
  }

  async getPolicyVersion(policyArn: string, versionId: string): Promise<ManagedPolicyContent | null> {
    const bundled = bundledManagedPolicy(policyArn);
    if (bundled?.versionId === versionId) return bundled;
    const version = await this.iam.getPolicyVersion(policyArn, versionId);
    if (version === null) return null;
    return {
      arn: policyArn,
      name: this.policyVersions.get(policyArn)?.name ?? policyNameOf(policyArn),
      versionId,
      isDefaultVersion: version.isDefaultVersion,
      document: version.document,
    };
  }

  rolesForPolicy(policyArn: string): Promise<readonly string[]> {
    return this.iam.listRoleNamesForPolicy(policyArn);
  }

  /** Cached for the TTL across warm invocations; concurrent callers share one load; failures are not kept. */
  eksInventory(): Promise<EksInventory> {
    return this.inventoryCache.get(() => this.loadInventory());
  }

  /** Drops the cached inventory; a load already running is not reused by later callers either. */
  invalidateNodeRoles(): void {
    this.inventoryCache.clear();
  }

  /** The regions left out of the last inventory load (only with `skipUnavailableRegions`). */
  eksWarnings(): readonly EksRegionWarning[] {
    return this.lastWarnings;
  }

  /**
   * GetAccountSummary's quota, cached for the TTL. When the summary may not be read, 10: the quota can
   * only be raised from there, so the remediation plans with the strictest value.
   */
  managedPolicyQuota(): Promise<number> {
    return this.quotaCache.get(async () => {
      try {
        return await this.iam.attachedPoliciesPerRoleQuota();
      } catch (error) {
        if (error instanceof ReadAccessDeniedError) return DEFAULT_ATTACHED_POLICIES_PER_ROLE_QUOTA;
        throw error;
      }
    });
  }

  private async loadDefaultVersion(policyArn: string): Promise<ManagedPolicyContent | null> {
    const policy = await this.iam.getPolicy(policyArn);
    const version =
      policy === null ? null : await this.iam.getPolicyVersion(policyArn, policy.defaultVersionId);
    if (policy === null || version === null) {
      this.policyVersions.delete(policyArn);
      return null;
    }
    const entry = {
      name: policy.name,
      versionId: policy.defaultVersionId,
      document: version.document,
      readAt: this.now(),
    };
    this.policyVersions.set(policyArn, entry);
    return content(policyArn, entry);
  }

  private async loadInventory(): Promise<EksInventory> {
    const regions =
      typeof this.options.regions === 'function' ? await this.options.regions() : this.options.regions;
    const result: EksInventoryResult = await this.eks.inventory(regions, {
      concurrency: this.eksConcurrency,
    });
    this.lastWarnings = result.warnings;
    if (result.warnings.length > 0) {
      this.options.onEksWarnings?.(result.warnings);
      if (this.options.skipUnavailableRegions !== true) throw new EksRegionUnavailableError(result.warnings);
    }
    return result.inventory;
  }
}

/**
 * A single value kept for `ttlMs` (0 = reload on every call). Concurrent callers of an empty or expired
 * cache share one load; a failed load is dropped so the next caller retries.
 */
class TtlCache<T> {
  private cached: Cached<T> | null = null;
  private loading: Promise<T> | null = null;
  /** Bumped by `clear()`, so a load that started before it is not kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
  ) {}

  get(load: () => Promise<T>): Promise<T> {
    if (this.cached !== null && this.now() < this.cached.expiresAt) return Promise.resolve(this.cached.value);
    if (this.loading === null) this.loading = this.refresh(load);
    return this.loading;
  }

  /** Forgets the value; a load started before still answers its own callers but is not kept. */
  clear(): void {
    this.cached = null;
    this.loading = null;
    this.generation += 1;
  }

  private async refresh(load: () => Promise<T>): Promise<T> {
    const generation = this.generation;
    try {
      const value = await load();
      if (generation === this.generation) this.cached = { value, expiresAt: this.now() + this.ttlMs };
      return value;
    } finally {
      if (generation === this.generation) this.loading = null;
    }
  }
}

function content(arn: string, version: CachedPolicyVersion): ManagedPolicyContent {
  return {
    arn,
    name: version.name,
    versionId: version.versionId,
    isDefaultVersion: true,
    document: version.document,
  };
}

/** IAM policy names are the last segment of the ARN's `policy/<path>/<name>` resource. */
function policyNameOf(policyArn: string): string {
  return policyArn.slice(policyArn.lastIndexOf('/') + 1);
}
