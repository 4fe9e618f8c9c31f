// In-memory AWS: answers Security Hub BatchImportFindings (required ASFF fields, the caller's own account and default
// product, 100 findings / 240 KB each / 6 MB a batch, "later UpdatedAt wins" updates, provider-immutable Workflow) and
// GetFindings (string filters with EQUALS/PREFIX, NextToken paging), per Region; Security Hub can be switched off.
import {
  type AwsSecurityFinding,
  ComplianceStatus,
  RecordState,
  type ServiceOutputTypes as SecurityHubOutput,
  SeverityLabel,
  WorkflowStatus,
} from '@aws-sdk/client-securityhub';
import { fakeServiceError, securityHubNotEnabledError } from './errors';
import { pageOf } from './paging';
import { FakeRequest } from './request';

/** BatchImportFindings limits (AWS-FACTS §18). */
export const SECURITY_HUB_LIMITS = {
  findingsPerBatch: 100,
  bytesPerFinding: 240 * 1024,
  bytesPerBatch: 6 * 1024 * 1024,
  getFindingsMaxResults: 100,
} as const;

const REQUIRED_STRINGS = [
  'AwsAccountId',
  'CreatedAt',
  'Description',
  'GeneratorId',
  'Id',
  'ProductArn',
  'SchemaVersion',
  'Title',
  'UpdatedAt',
] as const;
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
/** Attributes a provider sets only when it creates a finding (later imports leave them as they are). */
const CREATION_ONLY = ['Note', 'UserDefinedFields', 'VerificationState', 'Workflow'] as const;

/** A stored finding: the ASFF object as imported (plus Security Hub's own Workflow and RecordState defaults). */
export type StoredFinding = Readonly<Record<string, unknown>>;

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

interface Failure {
  readonly Id: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

export class FakeSecurityHub {
  /** region → finding key (ProductArn + Id) → finding */
  private readonly findings = new Map<string, Map<string, StoredFinding>>();
  private readonly disabled = new Set<string>();

  constructor(
    private readonly accountId: string,
    private readonly pageSize: number,
  ) {}

  /** Security Hub off in a Region: imports fail with InvalidAccess, GetFindings throws InvalidAccessException. */
  setEnabled(region: string, enabled: boolean): void {
    if (enabled) this.disabled.delete(region);
    else this.disabled.add(region);
  }

  /** Every finding stored in the Region, in import order. */
  findingsIn(region: string): StoredFinding[] {
    return [...(this.findings.get(region)?.values() ?? [])];
  }

  handle(command: string, input: unknown, region: string): SecurityHubOutput {
    const request = new FakeRequest(input, (message) =>
      fakeServiceError('securityhub', 'InvalidParameter', message),
    );
    switch (command) {
      case 'BatchImportFindings':
        return this.batchImport(request, region);
      case 'GetFindings':
        return this.getFindings(request, region);
      default:
        throw new Error(`FakeAws: Security Hub ${command} is not implemented`);
    }
  }

  private batchImport(request: FakeRequest, region: string): SecurityHubOutput {
    const raw = request.fields.Findings;
    if (!Array.isArray(raw) || raw.length === 0) throw this.invalid('Findings must hold 1 to 100 findings');
    if (raw.length > SECURITY_HUB_LIMITS.findingsPerBatch) {
      throw this.invalid(`Findings: at most ${SECURITY_HUB_LIMITS.findingsPerBatch} findings per request`);
    }
    if (byteLength(JSON.stringify(raw)) > SECURITY_HUB_LIMITS.bytesPerBatch) {
      throw this.invalid('The request exceeds the 6 MB limit');
    }
    const store = this.regionStore(region);
    const failed: Failure[] = [];
    let success = 0;
    for (const item of raw) {
      const finding: StoredFinding = isRecord(item) ? item : {};
      const id = typeof finding.Id === 'string' ? finding.Id : '';
      const problem = this.refusal(finding, region);
      if (problem !== null) {
        failed.push({ Id: id, ...problem });
        continue;
      }
      const key = `${String(finding.ProductArn)}\u0000${id}`;
      const existing = store.get(key);
      success += 1;
      if (existing === undefined) {
        store.set(key, { RecordState: 'ACTIVE', Workflow: { Status: 'NEW' }, ...finding });
        continue;
      }
      // An update counts only with a later UpdatedAt; an equal or earlier one is accepted and ignored.
      if (Date.parse(String(finding.UpdatedAt)) <= Date.parse(String(existing.UpdatedAt))) continue;
      store.set(key, updated(existing, finding));
    }
    return {
      SuccessCount: success,
      FailedCount: failed.length,
      FailedFindings: failed,
      $metadata: metadata(),
    };
  }

  /** Why one finding is refused (FailedFindings), null when it is accepted. */
  private refusal(
    finding: StoredFinding,
    region: string,
  ): { ErrorCode: string; ErrorMessage: string } | null {
    if (this.disabled.has(region)) {
      return {
        ErrorCode: 'InvalidAccess',
        ErrorMessage: `Account ${this.accountId} is not subscribed to AWS Security Hub in ${region}`,
      };
    }
    const missing = REQUIRED_STRINGS.filter(
      (name) => typeof finding[name] !== 'string' || finding[name] === '',
    );
    if (missing.length > 0) return invalidFinding(`Missing required fields: ${missing.join(', ')}`);
    if (finding.SchemaVersion !== '2018-10-08') return invalidFinding('SchemaVersion must be 2018-10-08');
    if (String(finding.Id).length > 512 || String(finding.GeneratorId).length > 512) {
      return invalidFinding('Id and GeneratorId are at most 512 characters');
    }
    for (const name of ['CreatedAt', 'UpdatedAt'] as const) {
      if (!Number.isFinite(Date.parse(String(finding[name]))))
        return invalidFinding(`${name} is not a timestamp`);
    }
    const productArn = `arn:aws:securityhub:${region}:${this.accountId}:product/${this.accountId}/default`;
    const sameProduct = String(finding.ProductArn).replace(/^arn:aws[a-z-]*:/, 'arn:aws:') === productArn;
    if (finding.AwsAccountId !== this.accountId || !sameProduct) {
      return {
        ErrorCode: 'AccessDeniedException',
        ErrorMessage: `Findings under ${String(finding.ProductArn)} for ${String(finding.AwsAccountId)} may not be imported by ${this.accountId}`,
      };
    }
    const severity = isRecord(finding.Severity) ? finding.Severity : null;
    const label = severity?.Label;
    if (severity === null || (label === undefined && typeof severity.Normalized !== 'number')) {
      return invalidFinding('Severity.Label or Severity.Normalized is required');
    }
    if (label !== undefined && !SEVERITY_LABELS.includes(String(label))) {
      return invalidFinding(`Severity.Label ${String(label)} is not valid`);
    }
    const types = finding.Types;
    if (!Array.isArray(types) || types.length === 0 || types.some((t) => typeof t !== 'string')) {
      return invalidFinding('Types must be a non-empty list of namespace/category/classifier');
    }
    const resources = finding.Resources;
    if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32) {
      return invalidFinding('Resources must hold 1 to 32 resources');
    }
    if (!resources.every((r) => isRecord(r) && typeof r.Id === 'string' && typeof r.Type === 'string')) {
      return invalidFinding('Each resource needs an Id and a Type');
    }
    const compliance = isRecord(finding.Compliance) ? finding.Compliance : null;
    if (compliance !== null && !COMPLIANCE_STATUSES.includes(String(compliance.Status))) {
      return invalidFinding(`Compliance.Status ${String(compliance.Status)} is not valid`);
    }
    if (finding.RecordState !== undefined && !RECORD_STATES.includes(String(finding.RecordState))) {
      return invalidFinding(`RecordState ${String(finding.RecordState)} is not valid`);
    }
    if (byteLength(JSON.stringify(finding)) > SECURITY_HUB_LIMITS.bytesPerFinding) {
      return invalidFinding('The finding exceeds 240 KB');
    }
    return null;
  }

  private getFindings(request: FakeRequest, region: string): SecurityHubOutput {
    if (this.disabled.has(region)) {
      throw securityHubNotEnabledError(`Account ${this.accountId} is not subscribed to AWS Security Hub`);
    }
    const filters = isRecord(request.fields.Filters) ? request.fields.Filters : {};
    const matching = this.findingsIn(region).filter((finding) => matches(finding, filters));
    const page = pageOf(
      matching,
      { max: request.optionalNumber('MaxResults'), token: request.optionalString('NextToken') },
      {
        defaultSize: this.pageSize,
        maxSize: SECURITY_HUB_LIMITS.getFindingsMaxResults,
        parameter: 'MaxResults',
      },
      (message) => this.invalid(message),
    );
    return {
      Findings: page.items.map(sdkFinding),
      ...(page.next === undefined ? {} : { NextToken: page.next }),
      $metadata: metadata(),
    };
  }

  private regionStore(region: string): Map<string, StoredFinding> {
    let store = this.findings.get(region);
    if (store === undefined) {
      store = new Map();
      this.findings.set(region, store);
    }
    return store;
  }

  private invalid(message: string): Error {
    return fakeServiceError('securityhub', 'InvalidParameter', message);
  }
}

/** A provider's update: every attribute it sends replaces the stored one, except those set only at creation. */
function updated(existing: StoredFinding, update: StoredFinding): StoredFinding {
  const next: Record<string, unknown> = { ...existing, ...update };
  for (const name of CREATION_ONLY) {
    if (existing[name] === undefined) delete next[name];
    else next[name] = existing[name];
  }
  // Security Hub reopens the workflow when a finding leaves PASSED or comes back from ARCHIVED.
  const leftPassed = statusOf(existing) === 'PASSED' && statusOf(next) !== 'PASSED';
  const reactivated = existing.RecordState === 'ARCHIVED' && next.RecordState !== 'ARCHIVED';
  const workflow = isRecord(existing.Workflow) ? existing.Workflow.Status : undefined;
  if ((leftPassed || reactivated) && (workflow === 'NOTIFIED' || workflow === 'RESOLVED')) {
    next.Workflow = { Status: 'NEW' };
  }
  return next;
}

/** What GetFindings returns of a stored finding: the attributes the guard reads back, typed as the SDK's. */
function sdkFinding(finding: StoredFinding): AwsSecurityFinding {
  const text = (name: string) => (typeof finding[name] === 'string' ? String(finding[name]) : '');
  const severity = isRecord(finding.Severity) ? finding.Severity.Label : undefined;
  const workflow = isRecord(finding.Workflow) ? finding.Workflow.Status : undefined;
  const resources = Array.isArray(finding.Resources) ? finding.Resources : [];
  return {
    SchemaVersion: text('SchemaVersion'),
    Id: text('Id'),
    ProductArn: text('ProductArn'),
    GeneratorId: text('GeneratorId'),
    AwsAccountId: text('AwsAccountId'),
    CreatedAt: text('CreatedAt'),
    UpdatedAt: text('UpdatedAt'),
    Title: text('Title'),
    Description: text('Description'),
    Types: Array.isArray(finding.Types) ? finding.Types.map(String) : [],
    Severity: { Label: enumValue(SeverityLabel, severity) },
    Resources: resources
      .filter(isRecord)
      .map((resource) => ({ Type: String(resource.Type), Id: String(resource.Id) })),
    Compliance: { Status: enumValue(ComplianceStatus, statusOf(finding)) },
    RecordState: enumValue(RecordState, finding.RecordState),
    Workflow: { Status: enumValue(WorkflowStatus, workflow) },
  };
}

/** The member of an SDK enum equal to `value`, undefined when none is. */
function enumValue<T extends string>(members: Readonly<Record<string, T>>, value: unknown): T | undefined {
  return Object.values(members).find((member) => member === value);
}

function statusOf(finding: StoredFinding): unknown {
  return isRecord(finding.Compliance) ? finding.Compliance.Status : undefined;
}

/** AwsSecurityFindingFilters: each named attribute's string filters (EQUALS / PREFIX / NOT_EQUALS), ANDed. */
function matches(finding: StoredFinding, filters: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(filters).every(([name, list]) => {
    if (!Array.isArray(list)) return true;
    const value = attributeFor(finding, name);
    const positive = list.filter((f) => isRecord(f) && f.Comparison !== 'NOT_EQUALS');
    const negative = list.filter((f) => isRecord(f) && f.Comparison === 'NOT_EQUALS');
    const matchesOne = (filter: unknown): boolean => {
      if (!isRecord(filter) || typeof filter.Value !== 'string' || value === undefined) return false;
      return filter.Comparison === 'PREFIX' ? value.startsWith(filter.Value) : value === filter.Value;
    };
    return (positive.length === 0 || positive.some(matchesOne)) && !negative.some(matchesOne);
  });
}

/** The string an ASFF filter name refers to (the subset the guard and its tests filter on). */
function attributeFor(finding: StoredFinding, name: string): string | undefined {
  const read = (value: unknown) => (typeof value === 'string' ? value : undefined);
  switch (name) {
    case 'ComplianceStatus':
      return read(statusOf(finding));
    case 'WorkflowStatus':
      return isRecord(finding.Workflow) ? read(finding.Workflow.Status) : undefined;
    case 'ResourceId': {
      const [first] = Array.isArray(finding.Resources) ? finding.Resources : [];
      return isRecord(first) ? read(first.Id) : undefined;
    }
    default:
      return read(finding[name]);
  }
}

function invalidFinding(message: string): { ErrorCode: string; ErrorMessage: string } {
  return { ErrorCode: 'InvalidInput', ErrorMessage: message };
}

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
