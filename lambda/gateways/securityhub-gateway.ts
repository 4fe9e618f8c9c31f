// Gateway (the only Security Hub caller): imports ASFF findings into the account's own Security Hub
// (BatchImportFindings) and reads back the findings the guard owns (GetFindings, paginated).
import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  type GetFindingsCommandInput,
  Partition,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import type { AsffFinding, OwnedFinding } from '../report/asff';
import { collectPages } from './pagination';

/** One finding Security Hub refused (a FailedFindings entry). */
export interface RefusedFinding {
  readonly id: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** A stored finding of the guard's product and generator, as the reconciliation needs it. */
export interface StoredOwnedFinding extends OwnedFinding {
  readonly updatedAt: string;
}

/** GetFindings takes at most 20 values per filter attribute. */
const FILTER_VALUES = 20;
const PAGE_SIZE = 100;

export class SecurityHubGateway {
  constructor(private readonly client: SecurityHubClient) {}

  /** One BatchImportFindings call (the caller keeps each batch within 100 findings and 6 MB); returns the refused. */
  async importFindings(findings: readonly AsffFinding[]): Promise<RefusedFinding[]> {
    const output = await this.client.send(
      new BatchImportFindingsCommand({ Findings: findings.map(toSdkFinding) }),
    );
    return (output.FailedFindings ?? []).map((failed) => ({
      id: failed.Id ?? '',
      errorCode: failed.ErrorCode ?? 'Unknown',
      errorMessage: failed.ErrorMessage ?? '',
    }));
  }

  /** Every finding (active or archived) of the product and generator, across all pages. */
  async ownedFindings(productArn: string, generatorId: string): Promise<StoredOwnedFinding[]> {
    return this.find({
      ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
      GeneratorId: [{ Value: generatorId, Comparison: 'EQUALS' }],
    });
  }

  /** The stored findings with these ids under the product (20 ids a call). */
  async findingsById(productArn: string, ids: readonly string[]): Promise<StoredOwnedFinding[]> {
    const found: StoredOwnedFinding[] = [];
    for (let start = 0; start < ids.length; start += FILTER_VALUES) {
      const chunk = ids.slice(start, start + FILTER_VALUES);
      found.push(
        ...(await this.find({
          ProductArn: [{ Value: productArn, Comparison: 'EQUALS' }],
          Id: chunk.map((id) => ({ Value: id, Comparison: 'EQUALS' as const })),
        })),
      );
    }
    return found;
  }

  private async find(
    filters: NonNullable<GetFindingsCommandInput['Filters']>,
  ): Promise<StoredOwnedFinding[]> {
    const findings = await collectPages(async (token) => {
      const output = await this.client.send(
        new GetFindingsCommand({
          Filters: filters,
          MaxResults: PAGE_SIZE,
          ...(token === undefined ? {} : { NextToken: token }),
        }),
      );
      return { items: output.Findings ?? [], next: output.NextToken };
    });
    return findings.flatMap(ownedOf);
  }
}

/** The SDK's shape of our finding (the same attributes; the SDK's lists are mutable). */
export function toSdkFinding(finding: AsffFinding): AwsSecurityFinding {
  return {
    ...finding,
    Types: [...finding.Types],
    FindingProviderFields: {
      Severity: finding.FindingProviderFields.Severity,
      Types: [...finding.FindingProviderFields.Types],
    },
    ProductFields: { ...finding.ProductFields },
    Resources: finding.Resources.map((resource) => ({
      Type: resource.Type,
      Id: resource.Id,
      Region: resource.Region,
      Partition: Object.values(Partition).find((partition) => partition === resource.Partition),
      ...(resource.Details === undefined ? {} : { Details: { Other: { ...resource.Details.Other } } }),
    })),
    Compliance: {
      Status: finding.Compliance.Status,
      RelatedRequirements: [...finding.Compliance.RelatedRequirements],
      ...(finding.Compliance.StatusReasons === undefined
        ? {}
        : { StatusReasons: finding.Compliance.StatusReasons.map((reason) => ({ ...reason })) }),
    },
  };
}

function ownedOf(finding: AwsSecurityFinding): StoredOwnedFinding[] {
  const role = (finding.Resources ?? []).find((resource) => resource.Type === 'AwsIamRole');
  if (
    finding.Id === undefined ||
    role?.Id === undefined ||
    finding.CreatedAt === undefined ||
    finding.UpdatedAt === undefined
  ) {
    return [];
  }
  return [
    {
      id: finding.Id,
      roleArn: role.Id,
      createdAt: finding.CreatedAt,
      updatedAt: finding.UpdatedAt,
      complianceStatus: finding.Compliance?.Status ?? null,
      recordState: finding.RecordState ?? null,
    },
  ];
}
