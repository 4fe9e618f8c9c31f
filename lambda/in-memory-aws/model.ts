// In-memory AWS: the account state the fake serves (IAM roles and managed policies,
// EKS per region, enabled regions, SNS topics) and the seeds tests and snapshots build it from.
import type { RegionOptStatus } from '@aws-sdk/client-account';
import type { RCTAppliedFor } from '@aws-sdk/client-ecr';
import type { AuthenticationMode } from '@aws-sdk/client-eks';
import type {
  EksAccessEntryRecord,
  EksFargateProfileRecord,
  EksNodegroupRecord,
  EksPodIdentityAssociationRecord,
} from '../domain/types';

// ---- seeds (what callers hand in) -----------------------------------------------------------------

export interface RoleSeed {
  readonly name: string;
  /** `/` unless given; `/team/` style. */
  readonly path?: string;
  /** Taken as is (e.g. from a snapshot); built from account, partition, path and name otherwise. */
  readonly arn?: string;
  /** Object, JSON text or URL-encoded JSON text. @default an EC2 (node) trust policy */
  readonly trustPolicy?: unknown;
  readonly tags?: Readonly<Record<string, string>>;
  readonly permissionsBoundaryArn?: string | null;
  /** Managed policy ARNs, in attachment order. Not checked against the known policies. */
  readonly attached?: readonly string[];
  /** Inline policies: name → document (object, JSON text or URL-encoded JSON text). */
  readonly inline?: Readonly<Record<string, unknown>>;
}

export interface PolicyVersionSeed {
  readonly versionId: string;
  readonly document: unknown;
  readonly isDefaultVersion?: boolean;
}

export interface PolicySeed {
  readonly name: string;
  readonly path?: string;
  /** Taken as is (AWS managed or from a snapshot); a customer managed ARN is built otherwise. */
  readonly arn?: string;
  /** The single version's document (v1), when `versions` is not given. */
  readonly document?: unknown;
  readonly versions?: readonly PolicyVersionSeed[];
  /** Overrides the versions' `isDefaultVersion` flags. */
  readonly defaultVersionId?: string;
}

export interface ClusterSeed {
  readonly name: string;
  readonly computeConfig?: { readonly enabled?: boolean; readonly nodeRoleArn?: string };
  /**
   * The cluster's authentication mode, as DescribeCluster returns it. Without it the seed does not say the mode:
   * DescribeCluster returns no accessConfig (as in a snapshot written before the field) and the access-entry calls
   * are answered, so every seed without it means what it meant before. Seed `CONFIG_MAP` for a cluster created
   * through the API without accessConfig (EKS's default): its access-entry calls then fail as in EKS.
   */
  readonly accessConfig?: { readonly authenticationMode?: AuthenticationMode };
  readonly nodegroups?: readonly EksNodegroupRecord[];
  readonly accessEntries?: readonly EksAccessEntryRecord[];
  readonly fargateProfiles?: readonly EksFargateProfileRecord[];
  /** DescribeCluster's `identity.oidc.issuer`; without it DescribeCluster returns no `identity`. */
  readonly identity?: { readonly oidc?: { readonly issuer?: string } };
  /** Served by ListPodIdentityAssociations / DescribePodIdentityAssociation, with generated association ids. */
  readonly podIdentityAssociations?: readonly EksPodIdentityAssociationRecord[];
  /** The cluster's tags, as DescribeCluster returns them. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

/** ENABLED, ENABLED_BY_DEFAULT, ENABLING, DISABLING or DISABLED (the Account API's RegionOptStatus). */
export type RegionStatus = RegionOptStatus;

// ---- state (what the fake keeps) -------------------------------------------------------------------

export interface FakeRole {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly roleId: string;
  readonly createDate: Date;
  /** Changed by UpdateAssumeRolePolicy. */
  trustPolicyText: string;
  readonly tags: Map<string, string>;
  permissionsBoundaryArn: string | null;
  readonly attached: string[];
  /** Inline policy name → its JSON text, in creation order. */
  readonly inline: Map<string, string>;
}

export interface FakePolicyVersion {
  readonly versionId: string;
  readonly text: string;
  readonly createDate: Date;
}

export interface FakePolicy {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  readonly policyId: string;
  readonly awsManaged: boolean;
  readonly createDate: Date;
  readonly versions: FakePolicyVersion[];
  defaultVersionId: string;
  /** The number the next CreatePolicyVersion uses. */
  nextVersion: number;
}

export interface FakeCluster {
  readonly name: string;
  computeConfig: { enabled?: boolean; nodeRoleArn?: string } | undefined;
  /** `API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP` (as DescribeCluster returns it). */
  authenticationMode: AuthenticationMode | undefined;
  readonly nodegroups: EksNodegroupRecord[];
  readonly accessEntries: EksAccessEntryRecord[];
  readonly fargateProfiles: EksFargateProfileRecord[];
  /** The cluster's tags (DescribeCluster `tags`); node groups keep theirs on their records. */
  readonly tags: Record<string, string>;
  /** The OIDC issuer URL; absent: DescribeCluster returns no `identity`. */
  readonly oidcIssuer?: string | undefined;
  /** Pod Identity associations; absent: none. */
  readonly podIdentityAssociations?: readonly FakePodIdentityAssociation[];
}

export interface FakePodIdentityAssociation extends EksPodIdentityAssociationRecord {
  /** `a-` and 17 characters, as EKS makes them. */
  readonly associationId: string;
}

export interface FakeRepository {
  readonly name: string;
  /** As ECR keeps it (re-serialised), null without a policy. */
  policyText: string | null;
}

export interface FakeCreationTemplate {
  readonly prefix: string;
  readonly appliedFor: readonly RCTAppliedFor[];
  readonly repositoryPolicy: string | null;
}

/** One region's private registry. */
export interface FakeEcrRegion {
  registryPolicy: string | null;
  /** name → repository, in creation order. */
  readonly repositories: Map<string, FakeRepository>;
  readonly templates: Map<string, FakeCreationTemplate>;
}

export interface FakeTopic {
  readonly arn: string;
  readonly maximumMessageSize: number;
  /**
   * Who outside the topic's own account may publish (its topic policy, and its key policy alike): principals of
   * this organization (`aws:PrincipalOrgID`) and of these accounts. Nobody else.
   */
  readonly publishers?: { readonly organizationId?: string; readonly accounts?: readonly string[] };
}

/** One SNS Publish the fake accepted. `attributes` is what subscribers get: nothing with the json structure. */
export interface PublishedMessage {
  readonly topicArn: string;
  readonly subject: string | undefined;
  readonly message: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly messageStructure: string | undefined;
  readonly messageId: string;
}

/** The mutable state behind every fake client; the service handlers read and change it. */
export class FakeState {
  readonly roles = new Map<string, FakeRole>();
  readonly policies = new Map<string, FakePolicy>();
  /** region → cluster name → cluster */
  readonly eks = new Map<string, Map<string, FakeCluster>>();
  readonly regions = new Map<string, RegionStatus>();
  /** region → private registry */
  readonly ecr = new Map<string, FakeEcrRegion>();
  readonly topics = new Map<string, FakeTopic>();
  readonly published: PublishedMessage[] = [];
  /** The account's name (Account GetAccountInformation `AccountName`); null = the answer has none. */
  accountName: string | null = null;
  /** The organization the account belongs to (what `aws:PrincipalOrgID` is for its principals); null = none. */
  organizationId: string | null = null;
  private idCounter = 0;

  constructor(
    readonly accountId: string,
    readonly partition: string,
    /** AttachedPoliciesPerRoleQuota. */
    public managedPolicyQuota: number,
    /** Default page size of every paginated list (small, so tests cross page boundaries). */
    readonly pageSize: number,
    /** Fixed clock for CreateDate fields, so outputs are deterministic. */
    readonly createDate: Date,
  ) {}

  /** `AROA…`/`ANPA…` style ids, unique within the fake and stable for a given seeding order. */
  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}${String(this.idCounter).padStart(17, '0')}`;
  }

  roleArn(path: string, name: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:role${path}${name}`;
  }

  customerPolicyArn(path: string, name: string): string {
    return `arn:${this.partition}:iam::${this.accountId}:policy${path}${name}`;
  }

  clustersIn(region: string): Map<string, FakeCluster> {
    let clusters = this.eks.get(region);
    if (clusters === undefined) {
      clusters = new Map();
      this.eks.set(region, clusters);
    }
    return clusters;
  }

  ecrIn(region: string): FakeEcrRegion {
    let registry = this.ecr.get(region);
    if (registry === undefined) {
      registry = { registryPolicy: null, repositories: new Map(), templates: new Map() };
      this.ecr.set(region, registry);
    }
    return registry;
  }

  isRegionEnabled(region: string): boolean {
    const status = this.regions.get(region);
    return status === 'ENABLED' || status === 'ENABLED_BY_DEFAULT';
  }

  /** Roles that have the policy attached, in role order. */
  rolesAttachedTo(policyArn: string): FakeRole[] {
    return [...this.roles.values()].filter((role) => role.attached.includes(policyArn));
  }

  /** Roles that use the policy as their permissions boundary. */
  rolesBoundedBy(policyArn: string): FakeRole[] {
    return [...this.roles.values()].filter((role) => role.permissionsBoundaryArn === policyArn);
  }
}
