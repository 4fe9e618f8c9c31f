// In-memory AWS (the offline account the demo, tests and bench run on): a stateful account behind real SDK v3
// clients. A middleware answers each command before it is serialised, so production gateways run unchanged in
// unit tests, the end-to-end test, the demo and the benchmark; every call is logged and faults can be injected.

import { AccountClient } from '@aws-sdk/client-account';
import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { ECRClient } from '@aws-sdk/client-ecr';
import { EKSClient } from '@aws-sdk/client-eks';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecurityHubClient } from '@aws-sdk/client-securityhub';
import { SNSClient } from '@aws-sdk/client-sns';
import { awsManagedPolicyArn } from '../domain/arn';
import { BUNDLED_MANAGED_POLICY_NAMES, bundledManagedPolicy } from '../domain/managed-policies';
import type { EksAccessEntryRecord, EksFargateProfileRecord, EksNodegroupRecord } from '../domain/types';
import { perRegion } from '../gateways/aws-clients';
import { FakeAccount } from './account-api';
import { type CloudTrailEventSeed, FakeCloudTrail } from './cloudtrail';
import { parsedDocument } from './documents';
import { type EcrSeed, FakeEcr, seedEcr } from './ecr';
import { FakeEks } from './eks';
import type { FakeService } from './errors';
import { commandName, type FaultRule, Faults } from './faults';
import { FakeIam } from './iam';
import {
  type ClusterSeed,
  type FakeCluster,
  FakeState,
  type FakeTopic,
  type PolicySeed,
  type PublishedMessage,
  type RegionStatus,
  type RoleSeed,
} from './model';
import { FakeSecurityHub, type StoredFinding } from './securityhub';
import { clusterFromSeed, policyFromSeed, roleFromSeed } from './seeding';
import { snapshotSeeds } from './snapshot-seeds';
import { DEFAULT_MAXIMUM_MESSAGE_SIZE, FakeSns } from './sns';

export type { CloudTrailEventSeed } from './cloudtrail';
export type { EcrSeed } from './ecr';
export type { FakeErrorKind, FakeService } from './errors';
export type { FaultRule } from './faults';
export type { ClusterSeed, PolicySeed, PublishedMessage, RegionStatus, RoleSeed } from './model';
export type { StoredFinding } from './securityhub';

export interface FakeAwsOptions {
  /** @default '111122223333' */
  readonly accountId?: string;
  /** @default 'aws' */
  readonly partition?: string;
  /** The account's name (Account GetAccountInformation). @default - none in the answer */
  readonly accountName?: string;
  /** The account's organization, for cross-account topic policies (`aws:PrincipalOrgID`). @default - none */
  readonly organizationId?: string;
  /** AttachedPoliciesPerRoleQuota. @default 10 */
  readonly managedPolicyQuota?: number;
  /** Default page size of every paginated list; small so that tests cross page boundaries. @default 2 */
  readonly pageSize?: number;
  /** Regions enabled from the start (ENABLED_BY_DEFAULT); adding a cluster enables its region. @default ['us-east-1'] */
  readonly regions?: readonly string[];
  /** Seed the AWS managed policies whose documents ship with the guard. @default true */
  readonly seedAwsManagedPolicies?: boolean;
  /** Region of the IAM, SNS and Account clients. @default 'us-east-1' */
  readonly homeRegion?: string;
  /** Wait this long (setTimeout) before answering each call; 0 answers at once. @default 0 */
  readonly latencyMs?: number;
  /**
   * Milliseconds clock for CloudTrail's rate limit (2 LookupEvents per second per region, beyond that a
   * ThrottlingException); without it the fake does not throttle.
   */
  readonly clock?: () => number;
}

/** One call the fake received, whether it was answered or failed. `command` has no `Command` suffix. */
export interface FakeCall {
  readonly service: FakeService;
  readonly command: string;
  readonly input: Readonly<Record<string, unknown>>;
  readonly region: string;
}

export interface RoleState {
  /** Attached managed policy ARNs, in attachment order. */
  readonly attached: string[];
  /** Inline policies: name → parsed document (the text itself when it is not JSON). */
  readonly inline: Record<string, unknown>;
}

/** The clients the guard's composition root takes (same shape as its `AwsClients`). */
export interface FakeAwsClients {
  readonly iam: IAMClient;
  readonly eksFor: (region: string) => EKSClient;
  readonly sns: SNSClient;
  readonly snsFor: (region: string) => SNSClient;
  readonly account: AccountClient;
  readonly ecrFor: (region: string) => ECRClient;
  readonly cloudtrailFor: (region: string) => CloudTrailClient;
  readonly securityHub: SecurityHubClient;
}

type AnyClient =
  | IAMClient
  | EKSClient
  | SNSClient
  | AccountClient
  | ECRClient
  | CloudTrailClient
  | SecurityHubClient;

const MIDDLEWARE_NAME = 'eksEcrGuardFakeAws';
const DUMMY_CREDENTIALS = { accessKeyId: 'AKIAFAKEFAKEFAKEFAKE', secretAccessKey: 'fake-secret-access-key' };
const FIXED_CREATE_DATE = new Date('2025-01-01T00:00:00Z');

export class FakeAws {
  private readonly state: FakeState;
  private readonly iam: FakeIam;
  private readonly eks: FakeEks;
  private readonly sns: FakeSns;
  private readonly account: FakeAccount;
  private readonly ecr: FakeEcr;
  private readonly cloudtrail: FakeCloudTrail;
  private readonly securityHub: FakeSecurityHub;
  private readonly homeRegion: string;
  private readonly latencyMs: number;
  private readonly callLog: FakeCall[] = [];
  private readonly faults = new Faults();
  /** One client of each kind per Region, wired to this fake, made on first use. */
  private readonly regional = {
    iam: perRegion((region) => this.connect(new IAMClient(this.clientConfig(region)))),
    eks: perRegion((region) => this.connect(new EKSClient(this.clientConfig(region)))),
    ecr: perRegion((region) => this.connect(new ECRClient(this.clientConfig(region)))),
    sns: perRegion((region) => this.connect(new SNSClient(this.clientConfig(region)))),
    account: perRegion((region) => this.connect(new AccountClient(this.clientConfig(region)))),
    cloudtrail: perRegion((region) => this.connect(new CloudTrailClient(this.clientConfig(region)))),
    securityHub: perRegion((region) => this.connect(new SecurityHubClient(this.clientConfig(region)))),
  };

  constructor(options: FakeAwsOptions = {}) {
    this.state = new FakeState(
      options.accountId ?? '111122223333',
      options.partition ?? 'aws',
      options.managedPolicyQuota ?? 10,
      options.pageSize ?? 2,
      FIXED_CREATE_DATE,
    );
    this.state.accountName = options.accountName ?? null;
    this.state.organizationId = options.organizationId ?? null;
    this.iam = new FakeIam(this.state);
    this.eks = new FakeEks(this.state);
    this.sns = new FakeSns(this.state);
    this.account = new FakeAccount(this.state);
    this.ecr = new FakeEcr(this.state);
    this.cloudtrail = new FakeCloudTrail(options.clock ?? null);
    this.securityHub = new FakeSecurityHub(this.state.accountId, this.state.pageSize);
    this.homeRegion = options.homeRegion ?? 'us-east-1';
    this.latencyMs = options.latencyMs ?? 0;
    for (const region of options.regions ?? ['us-east-1']) this.addRegion(region);
    if (options.seedAwsManagedPolicies !== false) this.seedBundledAwsManagedPolicies();
  }

  /**
   * An account from the snapshot format (docs/snapshot-format.md: `{ accountId?, partition?, quotas?,
   * iam: <GetAccountAuthorizationDetails>, eks: { <region>: { clusters } } }`), as JSON text or parsed.
   * Policies in the snapshot replace the bundled ones; the snapshot's account, partition and quota take
   * precedence over `options`.
   */
  static fromSnapshot(json: unknown, options: FakeAwsOptions = {}): FakeAws {
    const seeds = snapshotSeeds(json);
    const fake = new FakeAws({
      ...options,
      ...(seeds.accountId === null ? {} : { accountId: seeds.accountId }),
      ...(seeds.partition === null ? {} : { partition: seeds.partition }),
      ...(seeds.managedPolicyQuota === null ? {} : { managedPolicyQuota: seeds.managedPolicyQuota }),
      regions: [...new Set([...(options.regions ?? ['us-east-1']), ...seeds.regions])],
    });
    for (const policy of seeds.policies) fake.addPolicy(policy);
    for (const role of seeds.roles) fake.addRole(role);
    for (const { region, cluster } of seeds.clusters) fake.addCluster(region, cluster);
    for (const [region, seed] of Object.entries(seeds.ecr)) fake.addEcr(region, seed);
    return fake;
  }

  get accountId(): string {
    return this.state.accountId;
  }

  get partition(): string {
    return this.state.partition;
  }

  // ---- seeding ----------------------------------------------------------------------------------

  /** Adds (or replaces) a role; returns its ARN. */
  addRole(seed: RoleSeed): string {
    const role = roleFromSeed(this.state, seed);
    this.state.roles.set(role.name, role);
    return role.arn;
  }

  /**
   * Adds (or replaces) a managed policy; returns its ARN. An ARN in the `aws` account makes it AWS managed;
   * without an ARN it is a customer managed policy of this account.
   */
  addPolicy(seed: PolicySeed): string {
    const policy = policyFromSeed(this.state, seed);
    this.state.policies.set(policy.arn, policy);
    return policy.arn;
  }

  /** Adds (or replaces) a cluster and enables its region. */
  addCluster(region: string, seed: ClusterSeed): void {
    if (!this.state.isRegionEnabled(region)) this.addRegion(region);
    const cluster = clusterFromSeed(seed);
    this.state.clustersIn(region).set(cluster.name, cluster);
  }

  addNodegroup(region: string, clusterName: string, nodegroup: EksNodegroupRecord): void {
    this.cluster(region, clusterName).nodegroups.push({ ...nodegroup });
  }

  addAccessEntry(region: string, clusterName: string, entry: EksAccessEntryRecord): void {
    this.cluster(region, clusterName).accessEntries.push({ ...entry });
  }

  addFargateProfile(region: string, clusterName: string, profile: EksFargateProfileRecord): void {
    this.cluster(region, clusterName).fargateProfiles.push({ ...profile });
  }

  /** Adds repositories (with their policies), the registry policy and creation templates to a region's registry. */
  addEcr(region: string, seed: EcrSeed): void {
    seedEcr(this.state, region, seed);
  }

  /** Adds an event to a region's CloudTrail Event history (what LookupEvents reads). */
  addCloudTrailEvent(region: string, event: CloudTrailEventSeed): void {
    this.cloudtrail.addEvent(region, event);
  }

  /** Sets a region's opt-in status; EKS answers only in ENABLED and ENABLED_BY_DEFAULT regions. */
  addRegion(region: string, status: RegionStatus = 'ENABLED_BY_DEFAULT'): void {
    this.state.regions.set(region, status);
  }

  /**
   * Creates a topic from a name (in the home region) or an ARN (any Region or account: another account's topic
   * admits this account's publishes only as `publishers` says); returns the ARN.
   */
  addTopic(
    nameOrArn: string,
    options: { maximumMessageSize?: number; publishers?: FakeTopic['publishers'] } = {},
  ): string {
    const arn = nameOrArn.startsWith('arn:')
      ? nameOrArn
      : `arn:${this.state.partition}:sns:${this.homeRegion}:${this.state.accountId}:${nameOrArn}`;
    this.state.topics.set(arn, {
      arn,
      maximumMessageSize: options.maximumMessageSize ?? DEFAULT_MAXIMUM_MESSAGE_SIZE,
      ...(options.publishers === undefined ? {} : { publishers: options.publishers }),
    });
    return arn;
  }

  setManagedPolicyQuota(quota: number): void {
    this.state.managedPolicyQuota = quota;
  }

  /** `arn:<partition>:iam::aws:policy/<name>` in this fake's partition. */
  awsManagedPolicyArn(name: string): string {
    return awsManagedPolicyArn(this.state.partition, name);
  }

  // ---- faults -----------------------------------------------------------------------------------

  failOn(rule: FaultRule): void {
    this.faults.add(rule);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  // ---- observation ------------------------------------------------------------------------------

  /** Every call received so far, in order. */
  get calls(): readonly FakeCall[] {
    return this.callLog;
  }

  resetCalls(): void {
    this.callLog.length = 0;
  }

  /** How many calls match the service and, when given, the command. */
  callCount(service: FakeService, command?: string): number {
    const wanted = command === undefined ? undefined : commandName(command);
    return this.callLog.filter(
      (call) => call.service === service && (wanted === undefined || call.command === wanted),
    ).length;
  }

  /** Every SNS message accepted, in order. */
  get published(): readonly PublishedMessage[] {
    return this.state.published;
  }

  /** Every Security Hub finding stored in the Region (the home Region by default), in import order. */
  securityHubFindings(region: string = this.homeRegion): StoredFinding[] {
    return this.securityHub.findingsIn(region);
  }

  /** Switches Security Hub on or off in a Region (on everywhere by default); off refuses imports (InvalidAccess). */
  setSecurityHubEnabled(enabled: boolean, region: string = this.homeRegion): void {
    this.securityHub.setEnabled(region, enabled);
  }

  /** Deletes a role (as DeleteRole would, without IAM's preconditions); true when it existed. */
  deleteRole(roleName: string): boolean {
    return this.state.roles.delete(roleName);
  }

  /** The role's attached policies and inline documents now (a copy); throws for an unknown role. */
  roleState(roleName: string): RoleState {
    const role = this.state.roles.get(roleName);
    if (role === undefined) throw new Error(`FakeAws: no role named ${roleName}`);
    return {
      attached: [...role.attached],
      inline: Object.fromEntries([...role.inline].map(([name, text]) => [name, parsedDocument(text)])),
    };
  }

  /** The role's permissions boundary ARN now, null when it has none. */
  roleBoundary(roleName: string): string | null {
    return this.state.roles.get(roleName)?.permissionsBoundaryArn ?? null;
  }

  /** A managed policy's default version and parsed default document now; null when it does not exist. */
  policyState(policyArn: string): { readonly defaultVersionId: string; readonly document: unknown } | null {
    const policy = this.state.policies.get(policyArn);
    const version = policy?.versions.find((candidate) => candidate.versionId === policy.defaultVersionId);
    if (policy === undefined || version === undefined) return null;
    return { defaultVersionId: policy.defaultVersionId, document: parsedDocument(version.text) };
  }

  // ---- clients ----------------------------------------------------------------------------------

  iamClient(): IAMClient {
    return this.regional.iam(this.homeRegion);
  }

  eksClientFor(region: string): EKSClient {
    return this.regional.eks(region);
  }

  ecrClientFor(region: string): ECRClient {
    return this.regional.ecr(region);
  }

  snsClient(): SNSClient {
    return this.regional.sns(this.homeRegion);
  }

  accountClient(): AccountClient {
    return this.regional.account(this.homeRegion);
  }

  cloudtrailClientFor(region: string): CloudTrailClient {
    return this.regional.cloudtrail(region);
  }

  securityHubClient(): SecurityHubClient {
    return this.regional.securityHub(this.homeRegion);
  }

  /** Every client, in the shape the composition root takes. */
  clients(): FakeAwsClients {
    return {
      iam: this.iamClient(),
      eksFor: (region) => this.eksClientFor(region),
      sns: this.snsClient(),
      snsFor: (region) => this.regional.sns(region),
      account: this.accountClient(),
      ecrFor: (region) => this.ecrClientFor(region),
      cloudtrailFor: (region) => this.cloudtrailClientFor(region),
      securityHub: this.securityHubClient(),
    };
  }

  /**
   * Wires any IAM, EKS, SNS, Account, ECR, CloudTrail or Security Hub client (e.g. one built by production code) to this fake: the
   * middleware answers at the initialize step, so nothing is signed or sent. Returns the client.
   */
  connect<C extends AnyClient>(client: C): C {
    const options = { step: 'initialize', name: MIDDLEWARE_NAME, override: true } as const;
    const region = () => client.config.region();
    if (client instanceof IAMClient) {
      client.middlewareStack.add(
        this.middleware('iam', region, (command, input) => this.iam.handle(command, input)),
        options,
      );
    } else if (client instanceof EKSClient) {
      client.middlewareStack.add(
        this.middleware('eks', region, (command, input, at) => this.eks.handle(command, input, at)),
        options,
      );
    } else if (client instanceof ECRClient) {
      client.middlewareStack.add(
        this.middleware('ecr', region, (command, input, at) => this.ecr.handle(command, input, at)),
        options,
      );
    } else if (client instanceof CloudTrailClient) {
      client.middlewareStack.add(
        this.middleware('cloudtrail', region, (command, input, at) =>
          this.cloudtrail.handle(command, input, at),
        ),
        options,
      );
    } else if (client instanceof SNSClient) {
      client.middlewareStack.add(
        this.middleware('sns', region, (command, input, at) => this.sns.handle(command, input, at)),
        options,
      );
    } else if (client instanceof SecurityHubClient) {
      client.middlewareStack.add(
        this.middleware('securityhub', region, (command, input, at) =>
          this.securityHub.handle(command, input, at),
        ),
        options,
      );
    } else {
      client.middlewareStack.add(
        this.middleware('account', region, (command, input) => this.account.handle(command, input)),
        options,
      );
    }
    return client;
  }

  // ---- internals --------------------------------------------------------------------------------

  /** An initialize-step middleware that answers from the fake and never calls the rest of the stack. */
  private middleware<O>(
    service: FakeService,
    region: () => Promise<string>,
    handle: (command: string, input: object, region: string) => O,
  ) {
    return (_next: unknown, context: { readonly commandName?: string }) =>
      async (args: { readonly input: object }) => ({
        output: await this.answer(service, context.commandName, args.input, await region(), handle),
        response: undefined,
      });
  }

  private async answer<O>(
    service: FakeService,
    rawCommand: string | undefined,
    input: object,
    region: string,
    handle: (command: string, input: object, region: string) => O,
  ): Promise<O> {
    const command = commandName(rawCommand ?? 'Unknown');
    const fields: Readonly<Record<string, unknown>> = Object.fromEntries(Object.entries(input));
    this.callLog.push({ service, command, input: fields, region });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const fault = this.faults.take(service, command, fields, region);
    if (fault !== null) throw fault;
    return handle(command, input, region);
  }

  private clientConfig(region: string) {
    return { region, credentials: DUMMY_CREDENTIALS, maxAttempts: 1 };
  }

  private cluster(region: string, name: string): FakeCluster {
    const cluster = this.state.eks.get(region)?.get(name);
    if (cluster === undefined) throw new Error(`FakeAws: no cluster ${name} in ${region}`);
    return cluster;
  }

  private seedBundledAwsManagedPolicies(): void {
    for (const name of BUNDLED_MANAGED_POLICY_NAMES) {
      const bundled = bundledManagedPolicy(name);
      if (bundled === null) continue;
      this.addPolicy({
        name,
        arn: this.awsManagedPolicyArn(name),
        versions: [{ versionId: bundled.versionId, document: bundled.document, isDefaultVersion: true }],
      });
    }
  }
}
