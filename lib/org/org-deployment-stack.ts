// Infrastructure (CDK) layer: the stack deployed once in the management (or delegated administrator) account: the
// code bucket and the service-managed StackSets that put the guard (one StackSet per mode) and its forwarders in
// every account of the target OUs, including accounts that join later.
import {
  Aws,
  CfnElement,
  CfnParameter,
  DefaultStackSynthesizer,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { BucketDeployment } from 'aws-cdk-lib/aws-s3-deployment';
import {
  Capability,
  DeploymentType,
  RegionConcurrencyType,
  StackSet,
  type StackSetStack,
  StackSetTarget,
  StackSetTemplate,
} from 'cdk-stacksets';
import type { Construct } from 'constructs';
import type { GuardMode } from '../../lambda/contract';
import type { GuardAppConfig } from '../config';
import { forwarderRegions, needsForwarder } from '../deployment-target';
import { wildcardResourceFinding } from '../guard-permissions';
import { OrgAssetBucket } from './org-asset-bucket';
import type { OrgDeploymentPlan } from './org-plan';
import { ASSET_BUCKET_PREFIX_PARAMETER, ForwarderTemplate, GuardTemplate } from './stackset-templates';

/** The StackSets' names, fixed so the docs and the console agree. */
export const ORG_STACK_SET_NAMES = {
  alertGuard: 'EksEcrGuard-Alert',
  remediateGuard: 'EksEcrGuard-Remediate',
  iamForwarder: 'EksEcrGuard-IamForwarder',
  regionalForwarder: 'EksEcrGuard-RegionalForwarder',
} as const;
export type OrgStackSetKind = keyof typeof ORG_STACK_SET_NAMES;

/** The parameter of the org stack naming the organization whose principals may read the code bucket. */
export const ORGANIZATION_ID_PARAMETER = 'OrganizationId';

/**
 * How an operation rolls out: a tenth of the accounts may fail before CloudFormation stops (one account's SCP must
 * not hold the rest back, a systematic error stops early), a quarter at a time, Regions in parallel.
 */
export const ORG_OPERATION_PREFERENCES = {
  failureTolerancePercentage: 10,
  maxConcurrentPercentage: 25,
  regionConcurrencyType: RegionConcurrencyType.PARALLEL,
} as const;

export interface EksEcrGuardOrgStackProps extends StackProps {
  readonly config: GuardAppConfig;
  readonly plan: OrgDeploymentPlan;
}

/** One StackSet of the org deployment, with the template it deploys and where. */
export interface OrgStackSet {
  readonly stackSet: StackSet;
  readonly template: StackSetStack;
  readonly organizationalUnits: readonly string[];
  readonly regions: readonly string[];
}

export class EksEcrGuardOrgStack extends Stack {
  readonly assetBucket: OrgAssetBucket;
  readonly stackSets: ReadonlyMap<OrgStackSetKind, OrgStackSet>;
  /** `callAs: DELEGATED_ADMIN`: the StackSets are created from a delegated administrator account. */
  private readonly delegatedAdmin: boolean;

  constructor(scope: Construct, id: string, props: EksEcrGuardOrgStackProps) {
    super(scope, id, {
      description:
        'eks-ecr-guard organization deployment: StackSets putting the guard in every account of the chosen OUs',
      ...props,
    });
    const { plan, config } = props;
    this.delegatedAdmin = plan.callAs === 'DELEGATED_ADMIN';
    const organizationId = new CfnParameter(this, ORGANIZATION_ID_PARAMETER, {
      type: 'String',
      description: 'AWS Organizations id (o-...) whose principals may read the guard code bucket',
      allowedPattern: '^o-[a-z0-9]{10,32}$',
      default: plan.organizationId,
    });
    this.assetBucket = new OrgAssetBucket(this, 'AssetBucket', {
      organizationId: organizationId.valueAsString,
    });
    const stackSets = new Map<OrgStackSetKind, OrgStackSet>();
    const guards: StackSet[] = [];
    const modes: ReadonlyArray<[OrgStackSetKind, GuardMode, readonly string[]]> = [
      ['alertGuard', 'alert', plan.alertOrganizationalUnits],
      ['remediateGuard', 'remediate', plan.remediateOrganizationalUnits],
    ];
    for (const [kind, mode, organizationalUnits] of modes) {
      if (organizationalUnits.length === 0) continue;
      const template = new GuardTemplate(this, `${pascal(mode)}GuardTemplate`, {
        config,
        mode,
        assetBucket: this.assetBucket.bucket,
      });
      const entry = this.addStackSet(kind, template, organizationalUnits, [plan.members.homeRegion], {
        [ASSET_BUCKET_PREFIX_PARAMETER]: this.assetBucket.namePrefix,
      });
      guards.push(entry.stackSet);
      stackSets.set(kind, entry);
    }
    this.addForwarders(props, stackSets, guards);
    this.stackSets = stackSets;
    this.acknowledgeCodeCopyFindings();
  }

  /** The forwarders go to every target OU (both modes), after the guards whose buses they feed. */
  private addForwarders(
    { plan, config }: EksEcrGuardOrgStackProps,
    stackSets: Map<OrgStackSetKind, OrgStackSet>,
    guards: readonly StackSet[],
  ): void {
    const everyOu = [...plan.alertOrganizationalUnits, ...plan.remediateOrganizationalUnits];
    const regions = forwarderRegions(plan.members);
    const iamRegion = needsForwarder(plan.members) ? [plan.members.iamEventRegion] : [];
    const regional = regions.filter((region) => !iamRegion.includes(region));
    const forwarders: ReadonlyArray<[OrgStackSetKind, string, readonly string[], boolean]> = [
      ['iamForwarder', 'IamForwarderTemplate', iamRegion, true],
      ['regionalForwarder', 'RegionalForwarderTemplate', regional, false],
    ];
    for (const [kind, id, forwarderRegionList, iamEventRegion] of forwarders) {
      if (forwarderRegionList.length === 0) continue;
      const template = new ForwarderTemplate(this, id, {
        members: plan.members,
        iamEventRegion,
        operationsEmails: config.operationsEmails,
      });
      const entry = this.addStackSet(kind, template, everyOu, forwarderRegionList, undefined);
      for (const guard of guards) entry.stackSet.node.addDependency(guard);
      stackSets.set(kind, entry);
    }
  }

  private addStackSet(
    kind: OrgStackSetKind,
    template: StackSetStack,
    organizationalUnits: readonly string[],
    regions: readonly string[],
    parameters: Record<string, string> | undefined,
  ): OrgStackSet {
    const stackSet = new StackSet(this, `${pascal(kind)}StackSet`, {
      stackSetName: ORG_STACK_SET_NAMES[kind],
      description: `eks-ecr-guard: ${describeKind(kind)} in every account of the target OUs`,
      template: StackSetTemplate.fromStackSetStack(template),
      target: StackSetTarget.fromOrganizationalUnits({
        organizationalUnits: [...organizationalUnits],
        regions: [...regions],
      }),
      deploymentType: DeploymentType.serviceManaged({
        // New accounts of the OUs get the stacks; an account that leaves loses them (nothing left behind).
        autoDeployEnabled: true,
        autoDeployRetainStacks: false,
        delegatedAdmin: this.delegatedAdmin,
      }),
      managedExecution: true,
      operationPreferences: { ...ORG_OPERATION_PREFERENCES },
      // The templates create IAM roles without custom names.
      capabilities: [Capability.IAM],
      ...(parameters === undefined ? {} : { parameters }),
    });
    // The bundles must be in the bucket before any instance is created (the library adds this too, by name).
    for (const copy of this.node.children.filter((child) => child instanceof BucketDeployment)) {
      stackSet.node.addDependency(copy);
    }
    return { stackSet, template, organizationalUnits, regions };
  }

  /**
   * The code copy is CDK's BucketDeployment (created by cdk-stacksets for each template with code): a function that
   * runs only during deploys, copying the bundles from the CDK bootstrap bucket to the code bucket. Its findings are
   * CDK's choices, acknowledged here one by one.
   */
  private acknowledgeCodeCopyFindings(): void {
    const qualifier = this.synthesizer.bootstrapQualifier ?? DefaultStackSynthesizer.DEFAULT_QUALIFIER;
    const bootstrapObjects = `arn:${this.partition}:s3:::cdk-${qualifier}-assets-${Aws.ACCOUNT_ID}-${this.region}/*`;
    const bucketResource = this.assetBucket.bucket.node.defaultChild;
    const bucketLogicalId =
      bucketResource instanceof CfnElement ? this.getLogicalId(bucketResource) : undefined;
    const copies = this.node
      .findAll()
      .filter(
        (child) =>
          child instanceof lambda.Function && child.node.id.startsWith('Custom::CDKBucketDeployment'),
      );
    for (const copy of copies) {
      const validations = Validations.of(copy);
      validations.acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason:
            "CDK's BucketDeployment handler role gets the AWS managed basic execution role (CloudWatch Logs writes only) from aws-cdk-lib; it runs only while deploying.",
        },
        {
          id: 'AwsSolutions-L1',
          reason:
            "The runtime of CDK's BucketDeployment handler (Python, with the AWS CLI layer) is pinned by aws-cdk-lib and moves with its releases; it runs only while deploying.",
        },
        ...['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*'].map((action) => ({
          id: `AwsSolutions-IAM5[Action::${action}]`,
          reason:
            "CDK's BucketDeployment grants these read (bootstrap bucket) and write (code bucket) action groups with grantRead/grantReadWrite, on those two buckets' objects only.",
        })),
        {
          id: wildcardResourceFinding(bootstrapObjects),
          reason:
            "The copy reads the function bundles from the CDK bootstrap bucket's objects, whose keys are content hashes known only at synth.",
        },
        ...(bucketLogicalId === undefined
          ? []
          : [
              {
                id: `AwsSolutions-IAM5[Resource::<${bucketLogicalId}.Arn>/*]`,
                reason:
                  'The copy writes the bundles (keys are content hashes) into the code bucket and nothing else.',
              },
            ]),
      );
    }
  }
}

function describeKind(kind: OrgStackSetKind): string {
  switch (kind) {
    case 'alertGuard':
      return 'the guard in alert mode (no IAM write permission)';
    case 'remediateGuard':
      return 'the guard in remediate mode';
    case 'iamForwarder':
      return "the forwarder of IAM's events to the guard's Region";
    case 'regionalForwarder':
      return "the forwarders of each watched Region's EKS/ECR events to the guard's Region";
  }
}

function pascal(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
