// Infrastructure (CDK) layer: the house wrapper around NodejsFunction used by both guard Lambdas.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { type Duration, RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, type EnvironmentVariable, EXEMPT_TAG_KEY, RUNTIME_ENVIRONMENT } from '../lambda/contract';

/** Repository root (`dist/` in the built package): entries are given relative to it (`lambda/handler.ts`). */
const PROJECT_ROOT = path.join(__dirname, '..');

/**
 * The built package (`npm pack`) ships each function prebuilt in `dist/bundles/<entry without .ts>/`, bundled by
 * this class at build time (scripts/build-package.ts), so an app that installs the package needs neither esbuild
 * nor Docker. From the TypeScript sources there is no such folder and NodejsFunction bundles the entry itself.
 */
function prebuiltBundle(entry: string): lambda.Code | undefined {
  const directory = path.join(PROJECT_ROOT, 'bundles', entry.replace(/\.ts$/, ''));
  return existsSync(path.join(directory, 'index.js')) ? lambda.Code.fromAsset(directory) : undefined;
}

/** The guard's handler files, relative to the repository root, each exporting `handler`. */
export const GUARD_ENTRIES = { event: 'lambda/handler.ts', sweep: 'lambda/sweep-handler.ts' } as const;

/** esbuild options in esbuild's own terms (a subset of its `BuildOptions`), so plain data anyone can read. */
export interface GuardBundling {
  /** NodejsFunction always bundles for node. */
  readonly platform: 'node';
  readonly target: string;
  readonly format: 'cjs' | 'esm';
  readonly minify: boolean;
  readonly sourcemap: boolean;
  readonly sourcesContent: boolean;
  readonly external: readonly string[];
}

/**
 * How both guard functions are bundled: `GuardFunction` hands these to NodejsFunction and the bench
 * (scripts/bench/bundles.ts) to esbuild, so the bundle measured is the bundle deployed.
 */
export const GUARD_BUNDLING: GuardBundling = {
  platform: 'node',
  target: 'node24',
  format: 'cjs',
  minify: true,
  sourcemap: true,
  // Stack traces need file:line mappings, not the original sources: a much smaller map to load at cold start.
  sourcesContent: false,
  // Nothing external: the AWS SDK v3 is bundled instead of using the runtime's copy (NodejsFunction's
  // `bundleAwsSDK: true`). The runtime's SDK version changes without notice, while the bundle pins the version the
  // tests ran against (3.1169). Costs ~1 MB of bundle.
  external: [],
};

export interface GuardFunctionProps {
  /** Handler file relative to the repository root, exporting `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  /**
   * Automatic retries of a failed asynchronous invocation (0-2).
   * @default 2
   */
  readonly retryAttempts?: number;
  /**
   * How long Lambda keeps an asynchronous event queued before giving up on it.
   * @default Duration.hours(6) (the maximum)
   */
  readonly maxEventAge?: Duration;
  /**
   * Where asynchronous invocations that still fail after the retries are sent.
   * @default - none
   */
  readonly onFailureQueue?: IQueue;
}

/**
 * A Node.js Lambda with the house defaults: Node.js 24 on arm64, bundled locally by esbuild (minified,
 * source maps, AWS SDK v3 bundled), an explicit log group with retention, X-Ray active, its own role with
 * only what the bind methods add. The role is tagged exempt, so the guard can never rewrite its own role.
 */
export class GuardFunction extends Construct {
  /** The handler file relative to the repository root, as given. */
  readonly entry: string;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: GuardFunctionProps) {
    super(scope, id);
    this.entry = props.entry;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    Tags.of(this.role).add(EXEMPT_TAG_KEY, 'true');
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource type; it only accepts "*".',
    });
    this.addStatements(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogGroup',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    const prebuilt = prebuiltBundle(props.entry);
    this.function = new NodejsFunction(this, 'Function', {
      ...(prebuilt !== undefined
        ? { code: prebuilt, handler: 'index.handler' }
        : {
            entry: path.join(PROJECT_ROOT, props.entry),
            handler: 'handler',
            projectRoot: PROJECT_ROOT,
            depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
          }),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      retryAttempts: props.retryAttempts ?? 2,
      maxEventAge: props.maxEventAge,
      onFailure: props.onFailureQueue ? new SqsFailureDestination(props.onFailureQueue) : undefined,
      bundling: {
        forceDockerBundling: false,
        minify: GUARD_BUNDLING.minify,
        sourceMap: GUARD_BUNDLING.sourcemap,
        sourcesContent: GUARD_BUNDLING.sourcesContent,
        target: GUARD_BUNDLING.target,
        format: GUARD_BUNDLING.format === 'esm' ? OutputFormat.ESM : OutputFormat.CJS,
        // Given explicitly, this list replaces NodejsFunction's default (the SDK external unless bundleAwsSDK).
        externalModules: [...GUARD_BUNDLING.external],
      },
      environment: {
        ...RUNTIME_ENVIRONMENT,
        [ENV.guardRoleArn]: this.role.roleArn,
      },
    });
  }

  /** Sets one environment variable the runtime reads (strings only: see the contract's `configEnvironment`). */
  addEnvironment(name: EnvironmentVariable, value: string): this {
    this.function.addEnvironment(name, value);
    return this;
  }

  /** Sets several variables at once (the contract writer's output). */
  addEnvironmentVariables(variables: Readonly<Partial<Record<EnvironmentVariable, string>>>): this {
    for (const [name, value] of Object.entries(variables)) {
      if (value !== undefined) this.function.addEnvironment(name, value);
    }
    return this;
  }

  addStatements(...statements: iam.PolicyStatement[]): this {
    for (const statement of statements) this.role.addToPrincipalPolicy(statement);
    return this;
  }

  /** Lets the function publish to the topic and tells it the topic's ARN in `envName`. */
  bindTopic(topic: ITopic, envName: EnvironmentVariable): this {
    this.addStatements(
      new iam.PolicyStatement({
        sid: `PublishTo${pascalCase(envName.replace(/_ARN$/, ''))}`,
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
      }),
    );
    return this.addEnvironment(envName, topic.topicArn);
  }

  /** Lets the function read and write items (Powertools idempotency) and tells it the table name in `envName`. */
  bindTable(table: ITable, envName: EnvironmentVariable): this {
    this.addStatements(
      new iam.PolicyStatement({
        sid: `ReadWrite${pascalCase(envName.replace(/_NAME$/, ''))}`,
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [table.tableArn],
      }),
    );
    return this.addEnvironment(envName, table.tableName);
  }
}

/** `ALERT_TOPIC` → `AlertTopic`, for statement ids. */
function pascalCase(envName: string): string {
  return envName
    .toLowerCase()
    .split('_')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

/** Lambda's SQS on-failure destination, with a statement id on the permission it needs. */
class SqsFailureDestination implements lambda.IDestination {
  constructor(private readonly queue: IQueue) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'SendFailedEventsToFailureQueue',
        actions: ['sqs:SendMessage'],
        resources: [this.queue.queueArn],
      }),
    );
    return { destination: this.queue.queueArn };
  }
}
