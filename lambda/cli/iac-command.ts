// CLI command `iac`: checks CloudFormation templates (JSON/YAML, a cdk.out folder) and Terraform plan JSON before
// deploy: the node roles they declare, analysed like the guard does, printed as a table, JSON or SARIF.
import { parseArgs } from 'node:util';
import { pullAllowance } from '../domain/catalogue';
import type { Severity } from '../domain/types';
import { checkModel, hasViolationAtLeast, type IacReport } from '../iac/check';
import { loadIacFiles } from '../iac/load';
import { renderIacJson, renderIacSarif, renderIacTable } from '../iac/report';
import { SEVERITIES } from '../usecases/audit';
import { loadCliConfig } from './audit-command';
import { type CliIo, UsageError } from './io';

const FORMATS = ['table', 'json', 'sarif'] as const;
type IacFormat = (typeof FORMATS)[number];

export const IAC_USAGE = `Usage: eks-ecr-guard iac PATH... [--format table|json|sarif] [--fail-on critical|high|medium]
                         [--fail-on-unknown] [--config C.json]

Checks infrastructure code before it is deployed: CloudFormation templates (JSON or YAML, short-form tags such as
!Ref, !Sub, !GetAtt included), cdk.out folders (every *.template.json in them) and Terraform plans in JSON
(terraform show -json plan.out > plan.json). Finds the EKS node roles they declare (node groups, node access
entries, Auto Mode, Fargate profiles) and reports the ones whose policies let them write to Amazon ECR.

  --format            table (default), json, sarif (SARIF 2.1.0 with file and line, for code scanning)
  --fail-on LEVEL     exit 1 when a violation of LEVEL or above is found (critical > high > medium)
  --fail-on-unknown   exit 1 too when a node role or policy cannot be resolved from the files
  --config C.json     extraPullActions (the same config file as audit)

Exit codes: 0 done (nothing at or above --fail-on), 1 a violation at or above --fail-on (or an unknown with
--fail-on-unknown), 2 bad usage or unreadable input.`;

export const iacCommand = {
  usage: IAC_USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        format: { type: 'string', default: 'table' },
        'fail-on': { type: 'string' },
        'fail-on-unknown': { type: 'boolean', default: false },
        config: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length === 0) throw new UsageError('give at least one template, plan or cdk.out folder');
    const format = FORMATS.find((candidate) => candidate === values.format);
    if (format === undefined) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const failOn = parseFailOn(values['fail-on']);
    const config = loadCliConfig(values.config);
    const { files, model } = loadIacFiles(positionals);
    const report = checkModel(model, files, { pullAllowance: pullAllowance(config.extraPullActions) });
    io.stdout.write(render(format, report));
    const failed =
      (failOn !== undefined && hasViolationAtLeast(report, failOn)) ||
      (values['fail-on-unknown'] && report.summary.unknown > 0);
    return failed ? 1 : 0;
  },
};

function render(format: IacFormat, report: IacReport): string {
  switch (format) {
    case 'table':
      return renderIacTable(report);
    case 'json':
      return renderIacJson(report);
    case 'sarif':
      return renderIacSarif(report);
  }
}

function parseFailOn(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const severity = SEVERITIES.find((candidate) => candidate === value);
  if (severity === undefined) throw new UsageError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  return severity;
}
