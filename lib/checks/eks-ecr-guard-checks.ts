// Infrastructure (CDK) check for other people's apps: an Aspect that, at synth time, reports each EKS node role of
// a stack that can write to Amazon ECR (an error annotation, like cdk-nag) and each one it cannot judge (a warning).
// The verdict is the runtime's own pure IaC check (lambda/iac), run on the stack's resolved template.
import { Annotations, CfnElement, type IAspect, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { pullAllowance } from '../../lambda/domain/catalogue';
import type { IacFinding } from '../../lambda/iac/check';
import { findingMessage } from '../../lambda/iac/report';
import { checkTemplateValue } from '../../lambda/iac/template';

/** Annotation ids: acknowledge a warning with `Annotations.of(scope).acknowledgeWarning(id, reason)`. */
export const NODE_ROLE_ECR_WRITE = 'EksEcrGuard-NodeRoleEcrWrite';
export const NODE_ROLE_ECR_WRITE_UNKNOWN = 'EksEcrGuard-NodeRoleEcrWriteUnknown';

export interface EksEcrGuardChecksProps {
  /**
   * How a node role that can write to ECR is reported: `error` fails `cdk synth` (as cdk-nag errors do),
   * `warning` only warns (`cdk synth --strict` still fails).
   * @default 'error'
   */
  readonly violationLevel?: 'error' | 'warning';
  /**
   * Write-level ECR actions to tolerate on node roles besides the pull allowance (e.g. `ecr:BatchImportUpstreamImage`
   * is already tolerated).
   * @default - none
   */
  readonly extraPullActions?: readonly string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * `Aspects.of(app).add(new EksEcrGuardChecks())`: checks every stack once it is visited. Node groups, node access
 * entries, Auto Mode clusters and Fargate profiles are tied to their roles and the roles' policies (inline, managed,
 * AWS::IAM::Policy / ManagedPolicy naming them) through the resolved template; a reference it cannot follow (a
 * parameter, another stack's export) is a warning, never silence.
 */
export class EksEcrGuardChecks implements IAspect {
  private readonly violationLevel: 'error' | 'warning';
  private readonly allowance: ReadonlySet<string>;

  constructor(props: EksEcrGuardChecksProps = {}) {
    this.violationLevel = props.violationLevel ?? 'error';
    this.allowance = pullAllowance(props.extraPullActions ?? [], 'extraPullActions');
  }

  visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    const stack = node;
    const template: Record<string, Record<string, unknown>> = {};
    const constructs = new Map<string, IConstruct>();
    for (const child of stack.node.findAll()) {
      if (!CfnElement.isCfnElement(child) || Stack.of(child) !== stack) continue;
      let fragment: unknown;
      try {
        fragment = stack.resolve(child._toCloudFormation());
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        Annotations.of(child).addWarningV2(
          NODE_ROLE_ECR_WRITE_UNKNOWN,
          `eks-ecr-guard could not resolve this resource: ${detail}`,
        );
        continue;
      }
      if (!isRecord(fragment)) continue;
      for (const [section, entries] of Object.entries(fragment)) {
        if (!isRecord(entries)) continue;
        template[section] = { ...template[section], ...entries };
        if (section === 'Resources') for (const id of Object.keys(entries)) constructs.set(id, child);
      }
    }
    const report = checkTemplateValue(stack.artifactId, template, { pullAllowance: this.allowance });
    for (const finding of report.findings)
      this.annotate(constructs.get(finding.resourceId) ?? stack, finding);
  }

  private annotate(scope: IConstruct, finding: IacFinding): void {
    const annotations = Annotations.of(scope);
    if (finding.verdict === 'violation') {
      const message = `[${NODE_ROLE_ECR_WRITE}] (${finding.severity ?? 'medium'}) ${findingMessage(finding)}`;
      if (this.violationLevel === 'error') annotations.addError(message);
      else annotations.addWarningV2(NODE_ROLE_ECR_WRITE, message);
    } else if (finding.verdict === 'unknown') {
      annotations.addWarningV2(
        NODE_ROLE_ECR_WRITE_UNKNOWN,
        `[${NODE_ROLE_ECR_WRITE_UNKNOWN}] ${findingMessage(finding)}`,
      );
    }
  }
}
