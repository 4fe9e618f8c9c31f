// Use case "evaluate a change": from a parsed CloudTrail change to one decision per affected role, reading
// the account through an AccountView (live or snapshot), cheapest reads first.
import type { AccountView } from '../account/account-view';
import { analyseRolePolicies, DocumentCache } from '../domain/analysis';
import {
  changeGrantsNothingDecision,
  type DecisionContext,
  decideForRole,
  ignoredDecision,
  indeterminateDecision,
} from '../domain/decision';
import { AccountReadError } from '../domain/errors';
import { findExemption } from '../domain/exemptions';
import {
  buildNodeRoleIndex,
  clusterNotes,
  type NodeRoleIndex,
  nodeRoleEvidence,
  withClusterNotes,
  withEventEvidence,
} from '../domain/node-roles';
import { withResolvedOwner, withUnknownOwner } from '../domain/owners';
import { resourceGrantsForRole, resourcePolicySources } from '../domain/resource-policies';
import type {
  Decision,
  EcrInventory,
  EksClusterNote,
  EksInventory,
  EventSummary,
  NodeRoleEvidence,
  PolicyInput,
  PolicyRef,
  RoleRecord,
} from '../domain/types';
import type { ParsedChange } from '../events/role-change';
import { evaluateEcrChange } from './evaluate-ecr-change';
import { evaluateEksOrTrustChange } from './evaluate-eks-change';
import { policyRefFromArn, readRolePolicies } from './role-policies';

// Moved to role-policies.ts; re-exported for the callers that import it from here.
export { policyRefFromArn } from './role-policies';

/** Everything the evaluation needs from configuration, resolved once by the composition root. */
export interface EvaluationSettings {
  readonly partition: string;
  readonly replacementPolicyName: string;
  readonly guardPolicyName: string;
  readonly pullAllowance: ReadonlySet<string>;
  /** Catalogue write actions minus the pull allowance (what the guard policy denies). */
  readonly writeActionsToDeny: readonly string[];
  readonly swappableManagedPolicies: readonly string[];
  readonly nodePullActions: readonly string[];
  /** AWS managed policies that already give pull access (the plan never adds a second). */
  readonly pullPolicies: readonly string[];
  readonly exemptRoles: readonly string[];
  /** The role tag that exempts a role (the contract's EXEMPT_TAG_KEY). */
  readonly exemptTagKey: string;
  /** Overrides the account's managed-policies-per-role quota when set. */
  readonly managedPolicyQuota: number | null;
  /** Today as YYYY-MM-DD (UTC), for exemption expiry. */
  readonly today: () => string;
  /** Tag keys that name a node role's owner, first match wins (config `ownerTagKeys`). @default none: no owner */
  readonly ownerTagKeys?: readonly string[];
}

/** The inventory last read, its node-role index and what its evidence cannot see. */
interface IndexedInventory {
  readonly inventory: EksInventory;
  readonly index: NodeRoleIndex;
  readonly notes: readonly EksClusterNote[];
}

/** What a whole-role evaluation may take besides the account view. */
export interface RoleEvaluationOptions {
  /** The ECR resource policies to judge with (an ECR event's after-state), instead of the view's. */
  readonly ecr?: EcrInventory;
  /** What the change itself says of the role (an EKS call naming it a node role). */
  readonly fromEvent?: NodeRoleEvidence | null;
}

interface RoleRef {
  readonly name: string;
  readonly arn: string | null;
}

/** How many event-named node roles the evaluator remembers (for the re-reads of the same event's remediation). */
const REMEMBERED_EVENT_EVIDENCE = 16;

export class ChangeEvaluator {
  private indexFor: IndexedInventory | null = null;
  private sourcesFor: { inventory: EcrInventory; sources: ReturnType<typeof resourcePolicySources> } | null =
    null;
  /** Event id + role name → what that event said of the role, so a later re-read of the same event keeps it. */
  private readonly eventEvidence = new Map<string, NodeRoleEvidence>();
  /** The view's policy documents compiled once each: a view hands out documents it does not change afterwards. */
  private readonly documents = new DocumentCache();

  constructor(
    private readonly view: AccountView,
    private readonly settings: EvaluationSettings,
  ) {}

  /** The write actions the evaluation tolerates (the audit's resource-policy finding uses the same). */
  get pullAllowance(): ReadonlySet<string> {
    return this.settings.pullAllowance;
  }

  /** The owner tag keys decisions on node roles are resolved with; undefined: decisions carry no owner. */
  get ownerTagKeys(): readonly string[] | undefined {
    return this.settings.ownerTagKeys;
  }

  /**
   * One decision per role the change may have widened (several for a managed policy version). Only a change that
   * can only add a grant (attach, put) and whose added grant holds no ECR write is answered from the change alone;
   * every change that can take a restriction away (a Deny, a boundary) is answered from the role's whole state.
   */
  async evaluate(change: ParsedChange): Promise<Decision[]> {
    switch (change.kind) {
      case 'ignored':
        return [ignoredDecision(change.event, change.reason)];
      case 'role-policy-put': {
        const ref: PolicyRef = { kind: 'inline', name: change.policyName, arn: null };
        // Overwriting the guard's own deny policy can re-open writes it was blocking, even with a
        // document that grants nothing: always re-read the role then. (Any other inline policy that
        // held a Deny and is overwritten is caught by the sweep; the event carries no old document.)
        const grants = this.documentGrantsWrite({ ref, document: change.document });
        if (grants === false && !this.isGuardPolicy(change.policyName)) {
          return [
            changeGrantsNothingDecision(
              change.event,
              `inline policy ${change.policyName} grants no ECR write action (the role's other policies were not re-read).`,
              { name: change.roleName, arn: null },
            ),
          ];
        }
        return [await this.evaluateRole(change.roleName, change.event)];
      }
      case 'role-policy-attached': {
        const grants = await this.managedPolicyGrantsWrite(change.policyArn, null);
        if (grants === false) {
          return [
            changeGrantsNothingDecision(
              change.event,
              `policy ${change.policyArn} grants no ECR write action (the role's other policies were not re-read).`,
              { name: change.roleName, arn: null },
            ),
          ];
        }
        return [await this.evaluateRole(change.roleName, change.event)];
      }
      case 'policy-version':
        return this.evaluatePolicyVersion(change);
      // A detached managed policy or a deleted inline policy (any name) may have held a Deny, and the event does
      // not carry the document; a new boundary may be wider than the old one; a deleted boundary lifts the cap.
      // The node-role check comes first: a role that is not a node role costs only its lookup.
      case 'role-policy-detached':
      case 'role-policy-deleted':
      case 'boundary-put':
      case 'boundary-deleted':
        return [await this.evaluateRole(change.roleName, change.event)];
      case 'ecr-repository-policy':
      case 'ecr-registry-policy':
      case 'ecr-creation-template':
        return evaluateEcrChange(change, {
          view: this.view,
          partition: this.settings.partition,
          pullAllowance: this.settings.pullAllowance,
          nodeRoleNames: async () => [...(await this.inventoryIndex()).index.keys()],
          evaluateRole: (roleName, event, ecr) => this.evaluateRole(roleName, event, { ecr }),
        });
      case 'eks-node-role':
      case 'trust-policy-updated':
        return [await evaluateEksOrTrustChange(change, this.view, this)];
    }
  }

  /** IAM names are unique ignoring case: any spelling of the guard's deny policy name is that policy. */
  private isGuardPolicy(policyName: string): boolean {
    return policyName.toLowerCase() === this.settings.guardPolicyName.toLowerCase();
  }

  /**
   * A new default version replaces the old one, which may have held a Deny: every role the policy is attached to
   * is decided on its whole state, whatever the new version grants.
   */
  private async evaluatePolicyVersion(
    change: Extract<ParsedChange, { kind: 'policy-version' }>,
  ): Promise<Decision[]> {
    let roleNames: readonly string[];
    try {
      roleNames = await this.view.rolesForPolicy(change.policyArn);
    } catch (error) {
      if (!(error instanceof AccountReadError)) throw error;
      return [
        indeterminateDecision(
          change.event,
          `Could not list the roles ${change.policyArn} is attached to: ${error.message}.`,
          null,
        ),
      ];
    }
    if (roleNames.length === 0) {
      return [ignoredDecision(change.event, `Policy ${change.policyArn} is attached to no role.`)];
    }
    const decisions: Decision[] = [];
    for (const roleName of [...roleNames].sort()) {
      decisions.push(await this.evaluateRole(roleName, change.event));
    }
    return decisions;
  }

  /** true / false when the document's own content decides; null when it cannot be used on its own. */
  private documentGrantsWrite(policy: PolicyInput): boolean | null {
    const analysis = analyseRolePolicies(
      { identity: [policy], boundary: null },
      {
        pullAllowance: this.settings.pullAllowance,
        partition: this.settings.partition,
        documents: this.documents,
      },
    );
    if (analysis.unusablePolicies.length > 0) return null;
    return analysis.writeActions.length > 0;
  }

  private async managedPolicyGrantsWrite(
    policyArn: string,
    versionId: string | null,
  ): Promise<boolean | null> {
    try {
      const content =
        versionId === null
          ? await this.view.getManagedPolicy(policyArn)
          : await this.view.getPolicyVersion(policyArn, versionId);
      if (content === null) return null;
      const ref = policyRefFromArn(policyArn, this.settings.partition);
      return this.documentGrantsWrite({ ref, document: content.document });
    } catch (error) {
      if (error instanceof AccountReadError) return null;
      throw error;
    }
  }

  private async inventoryIndex(): Promise<IndexedInventory> {
    const inventory = await this.view.eksInventory();
    if (this.indexFor?.inventory !== inventory) {
      this.indexFor = { inventory, index: buildNodeRoleIndex(inventory), notes: clusterNotes(inventory) };
    }
    return this.indexFor;
  }

  /**
   * The whole-role evaluation: node-role evidence first, then the role's policy set. `fromEvent` is what the
   * change itself says of the role (an EKS call naming it a node role), added to the inventory's evidence.
   */
  async evaluateRole(
    roleName: string,
    event: EventSummary,
    options: RoleEvaluationOptions = {},
  ): Promise<Decision> {
    const fromEvent = options.fromEvent ?? null;
    const roleRef: RoleRef = { name: roleName, arn: null };
    const extra = this.rememberEventEvidence(roleName, event, fromEvent);
    let index: NodeRoleIndex;
    let notes: readonly EksClusterNote[];
    let inventory: EksInventory;
    let role: RoleRecord | null;
    try {
      ({ index, notes, inventory } = await this.inventoryIndex());
      role = await this.view.getRole(roleName);
    } catch (error) {
      if (!(error instanceof AccountReadError)) throw error;
      const decision = indeterminateDecision(
        event,
        `Could not tell whether ${roleName} is an EKS node role: ${error.message}.`,
        roleRef,
      );
      return withUnknownOwner(decision, this.settings.ownerTagKeys, error.message);
    }
    if (role === null)
      return ignoredDecision(event, `Role ${roleName} no longer exists (NoSuchEntity).`, roleRef);
    // The decision carries what the EKS inventory could not see (access entries, aws-auth mappings).
    const known = nodeRoleEvidence(role, index);
    const evidence = extra === null ? known : withEventEvidence(known, extra);
    const decision = await this.evaluateKnownRole(role, evidence, event, options.ecr);
    const keys = this.settings.ownerTagKeys;
    const owned = withResolvedOwner(decision, { roleTags: role.tags, evidence, inventory, keys });
    return withClusterNotes(owned, notes);
  }

  /**
   * The event's own evidence for the role: given, or remembered from an earlier evaluation of the same event (the
   * remediation's verification re-reads the role for the event, before EKS may list the new node group).
   */
  private rememberEventEvidence(
    roleName: string,
    event: EventSummary,
    fromEvent: NodeRoleEvidence | null,
  ): NodeRoleEvidence | null {
    if (event.id === null) return fromEvent;
    const key = `${event.id}\u0000${roleName.toLowerCase()}`;
    if (fromEvent === null) return this.eventEvidence.get(key) ?? null;
    this.eventEvidence.delete(key);
    this.eventEvidence.set(key, fromEvent);
    for (const oldest of this.eventEvidence.keys()) {
      if (this.eventEvidence.size <= REMEMBERED_EVENT_EVIDENCE) break;
      this.eventEvidence.delete(oldest);
    }
    return fromEvent;
  }

  /** Evaluates a role already read (the audit reads roles itself, and adds the cluster notes itself). */
  async evaluateKnownRole(
    role: RoleRecord,
    evidence: readonly NodeRoleEvidence[],
    event: EventSummary,
    ecr?: EcrInventory,
  ): Promise<Decision> {
    const context = await this.contextFor(event, null);
    if (evidence.length === 0) {
      return decideForRole(
        {
          role,
          evidence,
          analysis: EMPTY_ANALYSIS,
          unreadablePolicies: [],
          exemption: { exemption: null, expired: null, warnings: [] },
        },
        context,
      );
    }
    const exemption = findExemption(
      role,
      { exemptRoles: this.settings.exemptRoles, tagKey: this.settings.exemptTagKey },
      this.settings.today(),
    );
    const { identity, boundary, unreadable } = await this.readPolicies(role);
    const analysis = analyseRolePolicies(
      { identity, boundary },
      {
        pullAllowance: this.settings.pullAllowance,
        partition: this.settings.partition,
        documents: this.documents,
      },
    );
    const resource = await this.resourceGrants(role, { identity, boundary }, ecr);
    const writes = analysis.writeActions.length > 0 || resource.grants.length > 0;
    const needsQuota = writes && exemption.exemption === null;
    const facts = {
      role,
      evidence,
      analysis,
      unreadablePolicies: unreadable,
      exemption,
      resourceGrants: resource.grants,
      resourceWarnings: resource.warnings,
    };
    return decideForRole(facts, needsQuota ? await this.contextFor(event, role) : context);
  }

  /** ECR resource-policy grants naming the role: from `ecr` when given, else from the view when it knows them. */
  private async resourceGrants(
    role: RoleRecord,
    policies: { identity: readonly PolicyInput[]; boundary: PolicyInput | null },
    ecr: EcrInventory | undefined,
  ): Promise<ReturnType<typeof resourceGrantsForRole>> {
    const inventory =
      ecr ?? (this.view.ecrResourcePolicies === undefined ? {} : await this.view.ecrResourcePolicies());
    if (this.sourcesFor?.inventory !== inventory) {
      this.sourcesFor = { inventory, sources: resourcePolicySources(inventory) };
    }
    if (this.sourcesFor.sources.length === 0) return { grants: [], warnings: [] };
    return resourceGrantsForRole({ name: role.name, arn: role.arn }, this.sourcesFor.sources, policies, {
      pullAllowance: this.settings.pullAllowance,
    });
  }

  private async contextFor(event: EventSummary, roleForQuota: RoleRecord | null): Promise<DecisionContext> {
    const quota =
      roleForQuota === null
        ? Number.POSITIVE_INFINITY
        : (this.settings.managedPolicyQuota ?? (await this.view.managedPolicyQuota()));
    return {
      event,
      partition: this.settings.partition,
      replacementPolicyName: this.settings.replacementPolicyName,
      guardPolicyName: this.settings.guardPolicyName,
      managedPolicyQuota: quota,
      writeActionsToDeny: this.settings.writeActionsToDeny,
      swappableManagedPolicies: this.settings.swappableManagedPolicies,
      nodePullActions: this.settings.nodePullActions,
      pullPolicies: this.settings.pullPolicies,
    };
  }

  /** Reads every policy of the role (role-policies.ts); unreadable ones are listed, never silently dropped. */
  private readPolicies(role: RoleRecord): ReturnType<typeof readRolePolicies> {
    return readRolePolicies(this.view, role, this.settings.partition);
  }
}

const EMPTY_ANALYSIS = {
  allowed: [],
  writeActions: [],
  grants: [],
  denies: [],
  blockedByBoundary: [],
  unusablePolicies: [],
  warnings: [],
} as const;
