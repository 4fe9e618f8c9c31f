// Gateway (the only ECR caller): reads each region's repository policies, registry policy and repository creation
// templates (the `ecr` section of the snapshot), paginated and with bounded concurrency.
import {
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  type ECRClient,
  GetRegistryPolicyCommand,
  GetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import type { EcrInventory, EcrRegionRecord, EcrRepositoryRecord, EksRegionWarning } from '../domain/types';
import { awsErrorName, guardedRead, isRegionUnavailable } from './aws-errors';
import { createLimiter, type Limiter, mapWithConcurrency } from './concurrency';
import { collectPages } from './pagination';

/** ECR's largest page for DescribeRepositories and DescribeRepositoryCreationTemplates (API reference). */
export const ECR_PAGE_SIZE = 1000;

export interface EcrInventoryResult {
  readonly inventory: EcrInventory;
  /** Regions where ECR could not be reached (same shape as the EKS warnings). */
  readonly warnings: readonly EksRegionWarning[];
}

export interface EcrGatewayOptions {
  /** Most ECR calls in flight per region (GetRepositoryPolicy fans out per repository). @default 8 */
  readonly callsPerRegion?: number;
  /** maxResults of the list calls (1-1000). @default 1000 (ECR_PAGE_SIZE) */
  readonly pageSize?: number;
}

const isPolicyNotFound = (error: unknown): boolean => {
  const name = awsErrorName(error);
  return name === 'RepositoryPolicyNotFoundException' || name === 'RegistryPolicyNotFoundException';
};

export class EcrGateway {
  private readonly callsPerRegion: number;
  private readonly pageSize: number;

  constructor(
    private readonly clientFor: (region: string) => ECRClient,
    options: EcrGatewayOptions = {},
  ) {
    this.callsPerRegion = options.callsPerRegion ?? 8;
    this.pageSize = options.pageSize ?? ECR_PAGE_SIZE;
  }

  /**
   * Every region, `concurrency` at a time. Unreachable regions become warnings; AccessDenied throws
   * ReadAccessDeniedError; "no policy" (RepositoryPolicyNotFound / RegistryPolicyNotFound) is not an error.
   */
  async inventory(
    regions: readonly string[],
    options: { readonly concurrency: number },
  ): Promise<EcrInventoryResult> {
    const inventory: Record<string, EcrRegionRecord> = {};
    const warnings: EksRegionWarning[] = [];
    await mapWithConcurrency(regions, options.concurrency, async (region) => {
      try {
        inventory[region] = await this.region(region);
      } catch (error) {
        if (!isRegionUnavailable(error)) throw error;
        const message = error instanceof Error ? error.message : String(error);
        warnings.push({ region, code: awsErrorName(error) ?? 'Unknown', message });
      }
    });
    const ordered: Record<string, EcrRegionRecord> = {};
    for (const region of regions) {
      const record = inventory[region];
      if (record !== undefined) ordered[region] = record;
    }
    return { inventory: ordered, warnings };
  }

  /** One region: repositories (each with its policy), registry policy and creation templates. */
  async region(region: string): Promise<EcrRegionRecord> {
    const client = this.clientFor(region);
    const limiter = createLimiter(this.callsPerRegion);
    const [repositories, registryPolicy, repositoryCreationTemplates] = await Promise.all([
      this.repositories(client, region, limiter),
      this.registryPolicy(client, region, limiter),
      this.templates(client, region, limiter),
    ]);
    return { registryPolicy, repositories, repositoryCreationTemplates };
  }

  private async repositories(
    client: ECRClient,
    region: string,
    limiter: Limiter,
  ): Promise<EcrRepositoryRecord[]> {
    const listed = await collectPages(async (nextToken) => {
      const output = await limiter.run(() =>
        guardedRead('ecr:DescribeRepositories', region, () =>
          client.send(new DescribeRepositoriesCommand({ maxResults: this.pageSize, nextToken })),
        ),
      );
      return { items: output.repositories ?? [], next: output.nextToken };
    });
    const named = listed.flatMap((r) =>
      r.repositoryName === undefined || r.repositoryArn === undefined
        ? []
        : [{ repositoryName: r.repositoryName, repositoryArn: r.repositoryArn }],
    );
    return Promise.all(
      named.map(async (repository) => {
        const policyText = await limiter.run(() =>
          this.policyOrNull('ecr:GetRepositoryPolicy', repository.repositoryArn, async () => {
            const output = await client.send(
              new GetRepositoryPolicyCommand({ repositoryName: repository.repositoryName }),
            );
            return output.policyText;
          }),
        );
        return policyText === null ? repository : { ...repository, policyText };
      }),
    );
  }

  private async registryPolicy(client: ECRClient, region: string, limiter: Limiter): Promise<string | null> {
    return limiter.run(() =>
      this.policyOrNull('ecr:GetRegistryPolicy', region, async () => {
        const output = await client.send(new GetRegistryPolicyCommand({}));
        return output.policyText;
      }),
    );
  }

  private async templates(
    client: ECRClient,
    region: string,
    limiter: Limiter,
  ): Promise<EcrRegionRecord['repositoryCreationTemplates']> {
    const templates = await collectPages(async (nextToken) => {
      const output = await limiter.run(() =>
        guardedRead('ecr:DescribeRepositoryCreationTemplates', region, () =>
          client.send(
            new DescribeRepositoryCreationTemplatesCommand({ maxResults: this.pageSize, nextToken }),
          ),
        ),
      );
      return { items: output.repositoryCreationTemplates ?? [], next: output.nextToken };
    });
    return templates.flatMap((t) =>
      t.prefix === undefined
        ? []
        : [
            t.repositoryPolicy === undefined
              ? { prefix: t.prefix }
              : { prefix: t.prefix, repositoryPolicy: t.repositoryPolicy },
          ],
    );
  }

  private async policyOrNull(
    operation: string,
    resource: string,
    read: () => Promise<string | undefined>,
  ): Promise<string | null> {
    try {
      return (await guardedRead(operation, resource, read)) ?? null;
    } catch (error) {
      if (isPolicyNotFound(error)) return null;
      throw error;
    }
  }
}
