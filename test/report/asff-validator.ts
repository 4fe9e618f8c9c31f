// Test helper: a small, independent validator of AWS Security Finding Format findings (the attributes
// BatchImportFindings requires, their types, enums and bounds), written from the ASFF reference, not from our builder.

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
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
/** The finding-type namespaces ASFF defines. */
const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
];
/** ISO 8601 / RFC 3339 as ASFF takes it (`2020-03-22T13:22:13.933Z`). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const DEFAULT_PRODUCT =
  /^arn:aws(?:-cn|-us-gov)?:securityhub:[a-z]{2}(?:-[a-z]+)+-\d:(?<account>\d{12}):product\/(?<company>\d{12})\/default$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every problem of one finding; empty when it is valid. */
export function asffProblems(finding: unknown): string[] {
  if (!isRecord(finding)) return ['not an object'];
  const problems: string[] = [];
  for (const name of REQUIRED_STRINGS) {
    const value = finding[name];
    if (typeof value !== 'string' || value.length === 0) problems.push(`${name}: required non-empty string`);
  }
  if (finding.SchemaVersion !== '2018-10-08') problems.push('SchemaVersion: must be 2018-10-08');
  for (const name of ['Id', 'GeneratorId'] as const) {
    if (String(finding[name]).length > 512) problems.push(`${name}: longer than 512`);
  }
  if (String(finding.Title).length > 256) problems.push('Title: longer than 256');
  if (String(finding.Description).length > 1024) problems.push('Description: longer than 1024');
  if (!/^\d{12}$/.test(String(finding.AwsAccountId))) problems.push('AwsAccountId: not 12 digits');
  for (const name of ['CreatedAt', 'UpdatedAt'] as const) {
    if (!TIMESTAMP.test(String(finding[name]))) problems.push(`${name}: not an ISO 8601 timestamp`);
  }
  if (Date.parse(String(finding.UpdatedAt)) < Date.parse(String(finding.CreatedAt))) {
    problems.push('UpdatedAt: before CreatedAt');
  }
  const product = DEFAULT_PRODUCT.exec(String(finding.ProductArn));
  if (product === null) problems.push('ProductArn: not an account default product ARN');
  else if (
    product.groups?.account !== finding.AwsAccountId ||
    product.groups?.company !== finding.AwsAccountId
  ) {
    problems.push('ProductArn: not the finding account default product');
  }
  problems.push(...severityProblems('Severity', finding.Severity));
  problems.push(...typesProblems('Types', finding.Types));
  if (isRecord(finding.FindingProviderFields)) {
    problems.push(
      ...severityProblems('FindingProviderFields.Severity', finding.FindingProviderFields.Severity),
    );
    problems.push(...typesProblems('FindingProviderFields.Types', finding.FindingProviderFields.Types));
  }
  problems.push(...resourceProblems(finding.Resources));
  if (finding.Compliance !== undefined) {
    const compliance = finding.Compliance;
    if (!isRecord(compliance) || !COMPLIANCE_STATUSES.includes(String(compliance.Status))) {
      problems.push('Compliance.Status: not PASSED | WARNING | FAILED | NOT_AVAILABLE');
    } else if (
      compliance.RelatedRequirements !== undefined &&
      (!Array.isArray(compliance.RelatedRequirements) ||
        compliance.RelatedRequirements.length > 32 ||
        compliance.RelatedRequirements.some((item) => typeof item !== 'string'))
    ) {
      problems.push('Compliance.RelatedRequirements: not a list of at most 32 strings');
    }
  }
  if (finding.RecordState !== undefined && !RECORD_STATES.includes(String(finding.RecordState))) {
    problems.push('RecordState: not ACTIVE | ARCHIVED');
  }
  if (finding.Workflow !== undefined) {
    const status = isRecord(finding.Workflow) ? finding.Workflow.Status : undefined;
    if (!WORKFLOW_STATUSES.includes(String(status))) problems.push('Workflow.Status: not a workflow status');
  }
  const remediation = isRecord(finding.Remediation) ? finding.Remediation.Recommendation : undefined;
  if (finding.Remediation !== undefined) {
    if (
      !isRecord(remediation) ||
      (typeof remediation.Text !== 'string' && typeof remediation.Url !== 'string')
    ) {
      problems.push('Remediation.Recommendation: needs Text or Url');
    } else if (String(remediation.Text ?? '').length > 512) {
      problems.push('Remediation.Recommendation.Text: longer than 512');
    }
  }
  if (finding.ProductFields !== undefined) {
    const fields = finding.ProductFields;
    if (!isRecord(fields) || Object.keys(fields).length > 50)
      problems.push('ProductFields: at most 50 entries');
    else if (Object.values(fields).some((value) => typeof value !== 'string')) {
      problems.push('ProductFields: values must be strings');
    }
  }
  if (Buffer.byteLength(JSON.stringify(finding), 'utf8') > 240 * 1024) problems.push('larger than 240 KB');
  return problems;
}

function severityProblems(where: string, severity: unknown): string[] {
  if (!isRecord(severity)) return [`${where}: required`];
  if (severity.Label === undefined && typeof severity.Normalized !== 'number') {
    return [`${where}: Label or Normalized required`];
  }
  if (severity.Label !== undefined && !SEVERITY_LABELS.includes(String(severity.Label))) {
    return [`${where}.Label: not a severity label`];
  }
  return [];
}

function typesProblems(where: string, types: unknown): string[] {
  if (!Array.isArray(types) || types.length === 0 || types.length > 50) return [`${where}: 1 to 50 required`];
  return types.flatMap((type) => {
    const parts = String(type).split('/');
    const [namespace] = parts;
    return parts.length > 3 || namespace === undefined || !TYPE_NAMESPACES.includes(namespace)
      ? [`${where}: "${String(type)}" is not namespace/category/classifier`]
      : [];
  });
}

function resourceProblems(resources: unknown): string[] {
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32) {
    return ['Resources: 1 to 32 required'];
  }
  return resources.flatMap((resource, index) =>
    isRecord(resource) && typeof resource.Id === 'string' && typeof resource.Type === 'string'
      ? []
      : [`Resources[${index}]: Id and Type required`],
  );
}

/** Fails the test with the finding's problems. */
export function assertValidAsff(finding: unknown): void {
  expect(asffProblems(finding)).toEqual([]);
}
