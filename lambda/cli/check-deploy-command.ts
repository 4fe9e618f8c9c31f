// CLI command `check-deploy`: with the caller's own credentials, checks a deployed guard step by step (use case
// check-deploy) and prints ✓/✗ per step with what to do. The SDK packages are loaded only when it runs.
import { parseArgs } from 'node:util';
import { DeployCheckGateway, deployCheckClients, loadDeployCheckSdk } from '../gateways/deploy-check-gateway';
import { type CheckDeployReport, checkDeploy, type DeployProbe } from '../usecases/check-deploy';
import { type CliIo, UsageError } from './io';

export const CHECK_DEPLOY_USAGE = `Usage: eks-ecr-guard check-deploy [--no-change] [--profile P] [--region R] [--stack-name N]
                                  [--forwarder-stack-name N] [--timeout SECONDS]

Checks a deployed guard with your own credentials (see docs/check-deploy.md): the stacks, the IAM change rule (and
the us-east-1 forwarder), a trail logging IAM events, the topics' subscriptions; then makes one harmless watched
change (a PutRolePolicy that denies everything, on a throw-away role trusted by no one), waits for the guard's
log line and always deletes the role.

  --no-change              read-only checks: no role, no end-to-end proof
  --profile P              named profile of your AWS config
  --region R               home Region of the guard stack (default: AWS_REGION, AWS_DEFAULT_REGION)
  --stack-name N           guard stack (default EksEcrGuard)
  --forwarder-stack-name N forwarder stack in us-east-1 (default EksEcrGuardIamForwarder)
  --timeout SECONDS        how long to wait for the guard's log line (default 300)

Exit codes: 0 every step passed, 1 a step failed, 2 bad usage.`;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** Where IAM's CloudTrail events arrive, by partition. */
export function iamEventRegionOf(homeRegion: string): string {
  if (homeRegion.startsWith('cn-')) return 'cn-north-1';
  if (homeRegion.startsWith('us-gov-')) return 'us-gov-west-1';
  return 'us-east-1';
}

export interface CheckDeployCommandDeps {
  /** Tests hand in a probe over mocked clients; by default the SDK gateways, imported on first use. */
  readonly probe?: (options: {
    readonly profile?: string;
    readonly iamRegion: string;
  }) => Promise<DeployProbe>;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

async function sdkProbe(options: {
  readonly profile?: string;
  readonly iamRegion: string;
}): Promise<DeployProbe> {
  const sdk = await loadDeployCheckSdk();
  return new DeployCheckGateway(sdk, deployCheckClients(sdk, options));
}

export function printReport(report: CheckDeployReport, io: CliIo): void {
  for (const step of report.steps) {
    io.stdout.write(`${step.ok ? '✓' : '✗'} ${step.name}: ${step.detail}\n`);
    if (!step.ok && step.fix !== undefined) io.stdout.write(`    what to do: ${step.fix}\n`);
  }
  const failed = report.steps.filter((step) => !step.ok).length;
  io.stdout.write(
    failed === 0 ? 'All checks passed.\n' : `${failed} of ${report.steps.length} checks failed.\n`,
  );
}

export const createCheckDeployCommand = (deps: CheckDeployCommandDeps = {}) => ({
  usage: CHECK_DEPLOY_USAGE,
  async run(args: string[], io: CliIo): Promise<number> {
    const { values } = parseArgs({
      args,
      options: {
        'no-change': { type: 'boolean', default: false },
        profile: { type: 'string' },
        region: { type: 'string' },
        'stack-name': { type: 'string', default: 'EksEcrGuard' },
        'forwarder-stack-name': { type: 'string', default: 'EksEcrGuardIamForwarder' },
        timeout: { type: 'string', default: '300' },
      },
      strict: true,
    });
    const env = deps.env ?? process.env;
    const homeRegion = values.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    if (homeRegion === undefined || !REGION.test(homeRegion))
      throw new UsageError(
        'give the home Region of the guard stack with --region (for example --region eu-west-1)',
      );
    const timeout = Number(values.timeout);
    if (!Number.isInteger(timeout) || timeout < 0 || timeout > 3600)
      throw new UsageError('--timeout takes whole seconds from 0 to 3600');
    const iamRegion = iamEventRegionOf(homeRegion);
    const probe = await (deps.probe ?? sdkProbe)({
      iamRegion,
      ...(values.profile === undefined ? {} : { profile: values.profile }),
    });
    const report = await checkDeploy(probe, {
      homeRegion,
      iamEventRegion: iamRegion,
      stackName: values['stack-name'],
      forwarderStackName: values['forwarder-stack-name'],
      noChange: values['no-change'],
      timeoutMs: timeout * 1000,
      ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      ...(deps.now === undefined ? {} : { now: deps.now }),
    });
    printReport(report, io);
    return report.ok ? 0 : 1;
  },
});

export const checkDeployCommand = createCheckDeployCommand();
