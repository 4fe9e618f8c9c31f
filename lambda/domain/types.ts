// Domain types shared by every layer: policies, analysis results, EKS evidence, decisions. Pure data, no I/O.
import type { OwnerResolution } from './owners';
import type { UsageEvidence, UsageHold } from './usage';

/**
 * Where a policy document comes from. `arn` is null for inline policies. The last three are ECR resource-based
 * policies (see ./resource-policies): a repository policy (`arn` = the repository ARN), the registry policy of a
 * region (`arn` null) and the repository policy a creation template stamps on new repositories (`arn` null).
 */
export type PolicyKind =
  | 'aws-managed'
  | 'customer-managed'
  | 'inline'
  | 'repository-policy'
  | 'registry-policy'
  | 'repository-creation-template';

/** The policy kinds that are ECR resource-based policies: the guard never edits them. */
export type ResourcePolicyKind = Extract<
  PolicyKind,
  'repository-policy' | 'registry-policy' | 'repository-creation-template'
>;

export interface PolicyRef {
  readonly kind: PolicyKind;
  /** Policy name; the repository name, `registry policy` or the template prefix for resource policies. */
  readonly name: string;
  readonly arn: string | null;
  /** Resource policies only: the region of the repository, registry or template. */
  readonly region?: string;
  /** Creation templates only: the repository name prefix (`ROOT` = every repository without a closer one). */
  readonly prefix?: string;
}

/** How a resource-policy statement names the node role. */
export type ResourcePrincipalMatch =
  /** `Principal.AWS` is the role's ARN: a boundary's implicit deny still limits it. */
  | 'role-arn'
  /** `Principal.AWS` is a session of the role (`arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION`). */
  | 'role-session'
  /** `Principal` is `"*"` or `{"AWS": "*"}`: anyone, the node role included. */
  | 'any-principal'
  /** An Allow with `NotPrincipal` that does not exclude the role: everyone else, the role included. */
  | 'not-principal';

/** What a grant from an ECR resource policy adds to a Grant: who it names and how to take it out. */
export interface ResourceGrantDetail {
  readonly principal: ResourcePrincipalMatch;
  /** The policy text as it is now (JSON string). */
  readonly policyText: string;
  /** The same policy without this statement (pretty JSON), null when it was the only statement. */
  readonly policyWithoutStatement: string | null;
}

/**
 * A policy document as found in the wild: a parsed JSON value, a JSON string, or a URL-encoded JSON
 * string (the raw IAM API). `parsePolicyDocument` normalises it; nothing else should look inside.
 */
export interface PolicyInput {
  readonly ref: PolicyRef;
  readonly document: unknown;
}

/** Everything that decides what a role may do: identity policies and the optional permissions boundary. */
export interface RolePolicies {
  readonly identity: readonly PolicyInput[];
  readonly boundary: PolicyInput | null;
}

/** One statement that allows at least one ECR write action beyond the pull allowance. */
export interface Grant {
  readonly policy: PolicyRef;
  /** The statement's Sid, else its zero-based index as a string. */
  readonly statement: string;
  /** Write actions (beyond the pull allowance) this statement allows that survive denies and boundary. */
  readonly actions: readonly string[];
  /** Resource/NotResource does not cover every resource. */
  readonly resourceScoped: boolean;
  /** The statement has a Condition. */
  readonly conditional: boolean;
  /** The statement allows every action of every service (`*`, or a NotAction that leaves ECR in). */
  readonly allServices: boolean;
  /** The statement allows a whole ECR service (`ecr:*`, `ecr-public:*` or a pattern matching all of it). */
  readonly wholeService: boolean;
  /** Set for grants from an ECR resource-based policy (repository, registry, creation template). */
  readonly resource?: ResourceGrantDetail;
  /** What each of `actions` reaches through this statement (after denies and boundary), in `actions` order. */
  readonly reach?: readonly ActionReach[];
}

/**
 * What one allowed write action reaches: every repository (or the registry, for registry-level actions),
 * or only the repository patterns the policies name.
 */
export interface ActionReach {
  readonly action: string;
  /** `registry` for actions on the registry (ECR's `*`-only actions, ECR Public's registry), else `repository`. */
  readonly on: 'repository' | 'registry';
  /** true: every repository of the account (or the registry); false: only `resources`. */
  readonly all: boolean;
  /** The Resource patterns reached when not `all`, as the policies write them, sorted. */
  readonly resources: readonly string[];
  /** Every statement that grants it has a Condition: a grant only when the condition holds. */
  readonly conditional: boolean;
}

/** A statement, policy or boundary the analysis could not interpret: the role can never be `compliant`. */
export interface NotUnderstood {
  readonly policy: PolicyRef;
  /** Sid or index of the statement, null when the whole document could not be read. */
  readonly statement: string | null;
  /** The element not understood (`NotAction`, `Effect`, `Resource`, ...; `document` for the whole document). */
  readonly element: string;
  readonly message: string;
}

/** A Deny statement that touches ECR write actions. */
export interface DenyNote {
  readonly policy: PolicyRef;
  readonly statement: string;
  readonly actions: readonly string[];
  /** `unconditional` denies remove the actions; the others are reported but do not remove them. */
  readonly kind: 'unconditional' | 'conditional' | 'resource-scoped';
}

export interface AnalysisWarning {
  readonly policy: PolicyRef;
  /** Sid or index of the statement, null when the whole document is unusable. */
  readonly statement: string | null;
  readonly message: string;
}

/** What grants and limits a role's ECR write, and how far it reaches: in the analysis and in the decision. */
export interface WriteFindings {
  readonly grants: readonly Grant[];
  readonly denies: readonly DenyNote[];
  /** What each write action reaches (all repositories, the registry, or repository patterns), in order. */
  readonly reach?: readonly ActionReach[];
  /** The statements, policies or boundary the analysis could not interpret. */
  readonly notUnderstood?: readonly NotUnderstood[];
}

export interface PolicyAnalysis extends WriteFindings {
  /** Every catalogue action (ecr and ecr-public) the role is effectively allowed, sorted. */
  readonly allowed: readonly string[];
  /** allowed ∩ write-level actions − pull allowance, sorted, catalogue spelling. */
  readonly writeActions: readonly string[];
  /** Write actions the identity policies allow but the permissions boundary does not. */
  readonly blockedByBoundary: readonly string[];
  /**
   * Policies the verdict cannot rely on: the document could not be used at all (malformed JSON, no
   * statements...), or one of its statements could not be interpreted and could have granted ECR write.
   */
  readonly unusablePolicies: readonly PolicyRef[];
  readonly warnings: readonly AnalysisWarning[];
}

// ---- EKS ----------------------------------------------------------------------------------------

/** The `eks` part of the snapshot format, field names as the EKS API returns them. */
export interface EksNodegroupRecord {
  readonly nodegroupName: string;
  readonly nodeRole: string;
  /** DescribeNodegroup's `tags`; absent when not read (a snapshot written before they were recorded). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}
export interface EksAccessEntryRecord {
  readonly principalArn: string;
  readonly type: string;
}
export interface EksFargateProfileRecord {
  readonly fargateProfileName: string;
  readonly podExecutionRoleArn: string;
}
/**
 * One EKS Pod Identity association: DescribePodIdentityAssociation's `namespace`, `serviceAccount` and `roleArn`
 * (ListPodIdentityAssociations' summaries have no roleArn).
 */
export interface EksPodIdentityAssociationRecord {
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly roleArn: string;
}
export interface EksClusterRecord {
  readonly name: string;
  /** DescribeCluster's `identity.oidc.issuer` (the IRSA issuer URL); absent when not recorded. */
  readonly identity?: { readonly oidc?: { readonly issuer?: string } } | undefined;
  /**
   * The cluster's Pod Identity associations. Absent: not recorded (a snapshot written before the field), so the
   * pod roles of the cluster are unknown, not none.
   */
  readonly podIdentityAssociations?: readonly EksPodIdentityAssociationRecord[] | undefined;
  /** Set when the associations could not be read (AccessDenied, an API the cluster or Region does not offer). */
  readonly podIdentityAssociationsError?: { readonly code: string; readonly message: string } | undefined;
  readonly computeConfig?: { readonly enabled?: boolean; readonly nodeRoleArn?: string } | undefined;
  /** DescribeCluster's `accessConfig` (`API`, `API_AND_CONFIG_MAP` or `CONFIG_MAP`); absent when unknown. */
  readonly accessConfig?: { readonly authenticationMode?: string } | undefined;
  /**
   * Set when the access-entry APIs refused the cluster (InvalidRequestException: its authentication mode does
   * not allow them): `accessEntries` is then empty because it could not be read, not because there are none.
   */
  readonly accessEntriesError?: { readonly code: string; readonly message: string } | undefined;
  readonly nodegroups: readonly EksNodegroupRecord[];
  readonly accessEntries: readonly EksAccessEntryRecord[];
  readonly fargateProfiles: readonly EksFargateProfileRecord[];
  /** DescribeCluster's `tags`; absent when not read (a snapshot written before they were recorded). */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}
/** region → clusters */
export type EksInventory = Readonly<Record<string, { readonly clusters: readonly EksClusterRecord[] }>>;

// ---- ECR resource policies ------------------------------------------------------------------------

/** The `ecr` part of the snapshot format, field names as the ECR API returns them. */
export interface EcrRepositoryRecord {
  readonly repositoryName: string;
  readonly repositoryArn: string;
  /** The repository policy (JSON string); absent or null when the repository has none. */
  readonly policyText?: string | null | undefined;
}
export interface EcrCreationTemplateRecord {
  readonly prefix: string;
  /** The repository policy the template applies (JSON string); absent when it sets none. */
  readonly repositoryPolicy?: string | null | undefined;
}
export interface EcrRegionRecord {
  /** The registry policy (JSON string), null when the registry has none. */
  readonly registryPolicy: string | null;
  readonly repositories: readonly EcrRepositoryRecord[];
  readonly repositoryCreationTemplates: readonly EcrCreationTemplateRecord[];
}
/** region → ECR resource policies */
export type EcrInventory = Readonly<Record<string, EcrRegionRecord>>;

/** A region that was left out of the inventory because EKS could not be reached there. */
export interface EksRegionWarning {
  readonly region: string;
  /** The error name or code (`UnrecognizedClientException`, `ENOTFOUND`...). */
  readonly code: string;
  readonly message: string;
}

/**
 * What the node-role evidence of one cluster cannot see. `access-entries-unreadable`: the access-entry APIs
 * failed, so an access entry naming a role may be missed. `aws-auth-not-visible`: the cluster's mode
 * (`CONFIG_MAP`, `API_AND_CONFIG_MAP`) lets the aws-auth ConfigMap map node roles, and no AWS API shows it:
 * a role mapped only there is found by the trust-policy heuristic alone.
 */
export interface EksClusterNote {
  readonly kind: 'access-entries-unreadable' | 'aws-auth-not-visible';
  readonly region: string;
  readonly cluster: string;
  /** accessConfig.authenticationMode as recorded, null when unknown. */
  readonly authenticationMode: string | null;
  /** For `access-entries-unreadable`: the error name and message. */
  readonly error?: { readonly code: string; readonly message: string };
}

export type EvidenceKind =
  | 'managed-nodegroup'
  | 'access-entry'
  | 'auto-mode'
  | 'fargate-profile'
  | 'heuristic';

export interface NodeRoleEvidence {
  readonly kind: EvidenceKind;
  /** null only for `heuristic` evidence, which is account-wide. */
  readonly region: string | null;
  readonly cluster: string | null;
  readonly nodegroup?: string;
  readonly accessEntryType?: string;
  readonly fargateProfile?: string;
  /** The ARN as EKS reports it (may carry a path). */
  readonly roleArn?: string;
  /** Human-readable detail, e.g. why the heuristic matched. */
  readonly detail?: string;
}

// ---- IAM role -----------------------------------------------------------------------------------

export interface AttachedPolicy {
  readonly name: string;
  readonly arn: string;
}

export interface RoleRecord {
  readonly name: string;
  readonly arn: string;
  readonly path: string;
  /** Parsed trust policy (AssumeRolePolicyDocument), null when unknown. */
  readonly trustPolicy: unknown;
  readonly tags: Readonly<Record<string, string>>;
  readonly permissionsBoundaryArn: string | null;
  readonly attachedPolicies: readonly AttachedPolicy[];
  readonly inlinePolicyNames: readonly string[];
}

/** The default (or a named) version of a managed policy. */
export interface ManagedPolicyContent {
  readonly arn: string;
  readonly name: string;
  readonly versionId: string;
  readonly isDefaultVersion: boolean;
  readonly document: unknown;
}

// ---- Decision -----------------------------------------------------------------------------------

export type Verdict = 'violation' | 'compliant' | 'indeterminate' | 'not-node-role' | 'exempt' | 'ignored';
export type Severity = 'critical' | 'high' | 'medium';

export type SupportedEventName =
  | 'AttachRolePolicy'
  | 'DetachRolePolicy'
  | 'PutRolePolicy'
  | 'CreatePolicyVersion'
  | 'SetDefaultPolicyVersion'
  | 'PutRolePermissionsBoundary'
  | 'DeleteRolePermissionsBoundary'
  | 'DeleteRolePolicy'
  | 'UpdateAssumeRolePolicy';

export type SupportedEcrEventName =
  | 'SetRepositoryPolicy'
  | 'PutRegistryPolicy'
  | 'CreateRepositoryCreationTemplate'
  | 'UpdateRepositoryCreationTemplate';

export interface EventSummary {
  readonly id: string | null;
  readonly name: string | null;
  readonly time: string | null;
  readonly actor: string | null;
  readonly sourceIp?: string | null;
  readonly userAgent?: string | null;
  readonly account?: string | null;
  /**
   * The policy the call named (requestParameters `policyArn` / `policyName`, and the version for policy-version
   * events), so an alert can say what changed. Optional: absent when the event named none or it was not filled.
   */
  readonly policy?: {
    readonly arn?: string | null;
    readonly name?: string | null;
    readonly versionId?: string | null;
  } | null;
}

export type PlanStep =
  | { readonly op: 'AttachRolePolicy'; readonly roleName: string; readonly policyArn: string }
  | { readonly op: 'DetachRolePolicy'; readonly roleName: string; readonly policyArn: string }
  | {
      readonly op: 'PutRolePolicy';
      readonly roleName: string;
      readonly policyName: string;
      readonly policyDocument: string;
    };

export interface Exemption {
  readonly source: 'tag' | 'config';
  readonly reason: string;
  /** YYYY-MM-DD, null when open-ended. */
  readonly until: string | null;
}

export interface Decision extends WriteFindings {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly severity: Severity | null;
  readonly event: EventSummary;
  readonly role: { readonly name: string; readonly arn: string | null } | null;
  readonly nodeRole: {
    readonly evidence: readonly NodeRoleEvidence[];
    /**
     * Clusters whose node mappings the evidence could not fully see (see EksClusterNote): every cluster whose
     * access entries were unreadable, and, when no EKS evidence ties the role to a cluster, every cluster
     * whose aws-auth ConfigMap may map it. Optional: absent when there is none.
     */
    readonly clusterNotes?: readonly EksClusterNote[];
  };
  readonly ecrWriteActions: readonly string[];
  readonly plan: readonly PlanStep[];
  /** Policies whose content could not be read or parsed (the cause of `indeterminate`). */
  readonly unknownPolicies: readonly PolicyRef[];
  readonly exemption: Exemption | null;
  readonly warnings: readonly string[];
  /**
   * `role`: the role's whole policy set was evaluated. `change`: only the change itself was (it cannot grant
   * ECR write to anyone, so the role was not read); the scheduled sweep covers the rest of the role.
   */
  readonly scope?: 'role' | 'change';
  /**
   * An exemption tag that has expired: the role is judged as not exempt, but the tag still makes IAM refuse the
   * guard's writes (every write statement is conditioned on its absence), so no fix is attempted.
   */
  readonly expiredExemption?: Exemption | null;
  /** The image-pull actions the role is allowed (used to verify a fix never breaks pulls). */
  readonly pullActionsAllowed?: readonly string[];
  /** CloudTrail evidence of the role's recent ECR writes; absent when no lookup was made. */
  readonly usage?: UsageEvidence;
  /** What the usage evidence did to the fix in remediate mode (the gate's answer); absent or null: nothing. */
  readonly usageHold?: UsageHold | null;
  /**
   * Who owns the node role (./owners): from its owner tag, else its node group's or cluster's. Absent for decisions
   * that are not about a node role. `untagged` is a low-severity finding of its own: it never changes the verdict.
   */
  readonly owner?: OwnerResolution;
}

// ---- Remediation --------------------------------------------------------------------------------

export type RemediationStatus =
  /** Every planned step applied and the re-read role verified: no write actions, pulls still allowed. */
  | 'applied'
  /** The role already satisfied the plan (idempotent re-run): nothing changed. */
  | 'not-needed'
  /**
   * A step or the verification failed. What was done stays (each step only takes write access away or only adds
   * pull access; the guard may not grant write access, not even to undo) and image pulls are still allowed.
   */
  | 'failed-safe'
  /** The verification found image pulls no longer allowed and the guard could not bring them back: act now. */
  | 'failed-pulls-at-risk';

export interface RemediationOutcome {
  readonly status: RemediationStatus;
  /** Steps in effect on the role after the run: done and left in place. */
  readonly applied: readonly PlanStep[];
  /** Planned steps not done (the failed one and those after it): what is left to finish by hand. */
  readonly notDone: readonly PlanStep[];
  readonly failedStep: PlanStep | null;
  /** Error name and message of the failure, null on success. */
  readonly error: string | null;
  /** Re-analysis after the change; null when it did not run. */
  readonly verification: {
    readonly writeActionsAfter: readonly string[];
    readonly pullActionsAllowed: boolean;
  } | null;
}
