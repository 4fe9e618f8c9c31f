// IaC reader (pure): a Terraform plan (`terraform show -json`) to the IaC model. Values come from each resource
// change's `after`; a value known only after apply (`after_unknown`) is tied through the `configuration`
// section's `references` (e.g. `aws_iam_role.this[0].arn`) or else reported as unknown.
import { roleNameFromArn } from '../domain/arn';
import { InvalidInputError } from '../domain/errors';
import { NODE_ACCESS_ENTRY_TYPES } from '../domain/node-roles';
import type { PolicyRef } from '../domain/types';
import type { IacModel, IacPolicy, IacRole, NodeRoleUse, RoleTarget, UnresolvedAttachment } from './model';
import type { ParsedSource, SourceLocation } from './source';
import {
  type ConfigReferences,
  collectConfiguration,
  referencesOf,
  stripIndexes,
} from './terraform-references';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when the parsed value looks like `terraform show -json` output of a plan. */
export function isTerraformPlan(value: unknown): boolean {
  return (
    isRecord(value) &&
    typeof value.format_version === 'string' &&
    ('resource_changes' in value || 'planned_values' in value)
  );
}

interface PlanResource {
  readonly address: string;
  /** `module.eks.module.node["x"]`, '' for the root module. */
  readonly module: string;
  readonly type: string;
  /** `aws_iam_role.this` within its module (no index). */
  readonly local: string;
  readonly after: Record<string, unknown>;
  readonly unknown: Record<string, unknown>;
  readonly location: SourceLocation;
}

/** Reads one plan. Rejects a `format_version` whose major is not 1 (fields may have changed meaning). */
export function readTerraformPlan(source: ParsedSource): IacModel {
  const plan = isRecord(source.value) ? source.value : {};
  const version = typeof plan.format_version === 'string' ? plan.format_version : '';
  if (!version.startsWith('1.')) {
    throw new InvalidInputError(
      `${source.file}: Terraform JSON format_version ${version || '(none)'} is not supported (1.x is)`,
    );
  }
  const changes = Array.isArray(plan.resource_changes) ? plan.resource_changes : [];
  const resources: PlanResource[] = [];
  changes.forEach((change, index) => {
    if (!isRecord(change) || change.mode !== 'managed' || !isRecord(change.change)) return;
    const after = change.change.after;
    if (!isRecord(after) || typeof change.address !== 'string' || typeof change.type !== 'string') return;
    const module = typeof change.module_address === 'string' ? change.module_address : '';
    const local = stripIndexes(module === '' ? change.address : change.address.slice(module.length + 1));
    const unknown = isRecord(change.change.after_unknown) ? change.change.after_unknown : {};
    resources.push({
      address: change.address,
      module,
      type: change.type,
      local,
      after,
      unknown,
      location: source.locate(['resource_changes', index, 'address']),
    });
  });
  const configuration = isRecord(plan.configuration) ? plan.configuration : {};
  const config: ConfigReferences = new Map();
  collectConfiguration(configuration.root_module, '', config);
  return new PlanReader(resources, config).read();
}

class PlanReader {
  private readonly policies = new Map<string, IacPolicy[]>();
  private readonly unresolved: UnresolvedAttachment[] = [];

  constructor(
    private readonly resources: readonly PlanResource[],
    private readonly config: ConfigReferences,
  ) {}

  read(): IacModel {
    const roles = this.resources.filter((r) => r.type === 'aws_iam_role');
    for (const role of roles) this.readRole(role);
    for (const resource of this.resources) this.readAttachment(resource);
    return {
      roles: roles.map(
        (role): IacRole => ({
          id: role.address,
          label: role.address,
          roleName: typeof role.after.name === 'string' ? role.after.name : null,
          location: role.location,
          policies: this.policies.get(role.address) ?? [],
          boundary: this.boundaryOf(role),
        }),
      ),
      uses: this.resources.flatMap((r) => this.nodeRoleUses(r)),
      unresolvedAttachments: this.unresolved,
    };
  }

  private add(roleAddress: string, policy: IacPolicy): void {
    this.policies.set(roleAddress, [...(this.policies.get(roleAddress) ?? []), policy]);
  }

  private expressions(resource: PlanResource): Record<string, unknown> | undefined {
    return this.config.get(
      stripIndexes(resource.module === '' ? resource.local : `${resource.module}.${resource.local}`),
    );
  }

  /** The resources of `type` that a configuration reference of `resource`'s argument points at. */
  private referenced(resource: PlanResource, path: readonly string[], type: string): PlanResource | null {
    const refs = referencesOf(this.expressions(resource), path).filter((ref) => ref.startsWith(`${type}.`));
    for (const ref of refs) {
      const match = /^([A-Za-z0-9_]+\.[A-Za-z0-9_-]+)(\[[^\]]*\])?/.exec(ref);
      if (match === null) continue;
      const local = match[1] ?? '';
      const indexed = match[2];
      const candidates = this.resources.filter((r) => r.module === resource.module && r.local === local);
      const exact =
        indexed === undefined ? undefined : candidates.find((r) => r.address.endsWith(`${local}${indexed}`));
      if (exact !== undefined) return exact;
      if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0];
    }
    return null;
  }

  private unknownPolicy(name: string, reason: string, location: SourceLocation): IacPolicy {
    return { kind: 'unknown', ref: { kind: 'customer-managed', name, arn: null }, reason, location };
  }

  /** A policy ARN: a literal, an `aws_iam_policy` of the plan (by ARN or reference), or unknown. */
  private policyByArn(resource: PlanResource, arn: unknown, argument: string, known: boolean): IacPolicy {
    if (typeof arn === 'string') {
      const declared = this.resources.find((r) => r.type === 'aws_iam_policy' && r.after.arn === arn);
      if (declared !== undefined) return this.policyDocument(declared);
      return { kind: 'arn', arn, location: resource.location };
    }
    const declared = this.referenced(resource, [argument], 'aws_iam_policy');
    if (declared !== null) return this.policyDocument(declared);
    const why = known ? `${argument} is not set` : `${argument} is known only after apply`;
    return this.unknownPolicy(`${resource.address} ${argument}`, why, resource.location);
  }

  private policyDocument(resource: PlanResource): IacPolicy {
    const name = typeof resource.after.name === 'string' ? resource.after.name : resource.address;
    const ref: PolicyRef = {
      kind: resource.type === 'aws_iam_policy' ? 'customer-managed' : 'inline',
      name,
      arn: null,
    };
    return this.documentFrom(ref, resource.after.policy, resource.unknown.policy === true, resource.location);
  }

  private documentFrom(
    ref: PolicyRef,
    policy: unknown,
    unknownAfterApply: boolean,
    location: SourceLocation,
  ): IacPolicy {
    if (typeof policy === 'string' && policy !== '')
      return { kind: 'document', ref, document: policy, location };
    const reason = unknownAfterApply
      ? 'the policy document is known only after apply'
      : 'the plan gives no policy document';
    return { kind: 'unknown', ref, reason, location };
  }

  private readRole(role: PlanResource): void {
    const managed = role.after.managed_policy_arns;
    if (Array.isArray(managed))
      for (const arn of managed)
        this.add(role.address, this.policyByArn(role, arn, 'managed_policy_arns', true));
    // Both arguments are also computed from the attachments: unknown matters only when the configuration sets them.
    const configured = this.expressions(role) ?? {};
    if (role.unknown.managed_policy_arns === true && 'managed_policy_arns' in configured) {
      this.add(
        role.address,
        this.unknownPolicy(`${role.address} managed_policy_arns`, 'known only after apply', role.location),
      );
    }
    const inline = Array.isArray(role.after.inline_policy) ? role.after.inline_policy : [];
    const inlineUnknown = Array.isArray(role.unknown.inline_policy) ? role.unknown.inline_policy : [];
    if (role.unknown.inline_policy === true && 'inline_policy' in configured) {
      this.add(
        role.address,
        this.unknownPolicy(`${role.address} inline_policy`, 'known only after apply', role.location),
      );
    }
    inline.forEach((block, index) => {
      if (!isRecord(block)) return;
      const name = typeof block.name === 'string' && block.name !== '' ? block.name : String(index);
      const unknownBlock = inlineUnknown[index];
      const policyUnknown = isRecord(unknownBlock) && unknownBlock.policy === true;
      this.add(
        role.address,
        this.documentFrom(
          { kind: 'inline', name: `${role.address}/${name}`, arn: null },
          block.policy,
          policyUnknown,
          role.location,
        ),
      );
    });
  }

  private boundaryOf(role: PlanResource): IacPolicy | null {
    if (typeof role.after.permissions_boundary === 'string')
      return this.policyByArn(role, role.after.permissions_boundary, 'permissions_boundary', true);
    if (role.unknown.permissions_boundary === true)
      return this.policyByArn(role, undefined, 'permissions_boundary', false);
    return null;
  }

  /** The role an attachment or inline policy names by `role` (a name), through its value or its references. */
  private roleByName(resource: PlanResource, value: unknown, argument: string): RoleTarget {
    if (typeof value === 'string') {
      const role = this.resources.find(
        (r) => r.type === 'aws_iam_role' && (r.after.name === value || r.after.arn === value),
      );
      if (role !== undefined) return { kind: 'declared', roleId: role.address };
    }
    const referenced = this.referenced(resource, [argument], 'aws_iam_role');
    if (referenced !== null) return { kind: 'declared', roleId: referenced.address };
    if (typeof value === 'string')
      return { kind: 'named', roleName: roleNameFromArn(value) ?? value, text: value };
    return {
      kind: 'unresolved',
      reason: `${argument} is known only after apply and references no role of the plan`,
    };
  }

  private readAttachment(resource: PlanResource): void {
    const { type, after } = resource;
    let policy: IacPolicy;
    let targets: RoleTarget[];
    if (type === 'aws_iam_role_policy_attachment') {
      policy = this.policyByArn(
        resource,
        after.policy_arn,
        'policy_arn',
        resource.unknown.policy_arn !== true,
      );
      targets = [this.roleByName(resource, after.role, 'role')];
    } else if (type === 'aws_iam_role_policy') {
      const name = typeof after.name === 'string' ? after.name : resource.address;
      policy = this.documentFrom(
        { kind: 'inline', name, arn: null },
        after.policy,
        resource.unknown.policy === true,
        resource.location,
      );
      targets = [this.roleByName(resource, after.role, 'role')];
    } else if (type === 'aws_iam_policy_attachment') {
      policy = this.policyByArn(
        resource,
        after.policy_arn,
        'policy_arn',
        resource.unknown.policy_arn !== true,
      );
      const roles = Array.isArray(after.roles) ? after.roles : [];
      targets = roles.map((role) => this.roleByName(resource, role, 'roles'));
    } else {
      return;
    }
    for (const target of targets) {
      if (target.kind === 'declared') this.add(target.roleId, policy);
      else {
        const reason = target.kind === 'named' ? `role ${target.text} is not in the plan` : target.reason;
        this.unresolved.push({
          id: resource.address,
          resource: resource.address,
          policy,
          reason,
          location: resource.location,
        });
      }
    }
  }

  /** The role of a node resource's ARN argument: by value, else through references, else unresolved. */
  private roleByArn(
    resource: PlanResource,
    value: unknown,
    path: readonly string[],
    unknownAfterApply: boolean,
  ): RoleTarget {
    if (typeof value === 'string') {
      const role = this.resources.find((r) => r.type === 'aws_iam_role' && r.after.arn === value);
      if (role !== undefined) return { kind: 'declared', roleId: role.address };
    }
    const referenced = this.referenced(resource, path, 'aws_iam_role');
    if (referenced !== null) return { kind: 'declared', roleId: referenced.address };
    if (typeof value === 'string') {
      const name = roleNameFromArn(value);
      if (name !== null && value.includes(':role/')) return { kind: 'named', roleName: name, text: value };
      return { kind: 'unresolved', reason: `${value} is not a role ARN` };
    }
    const why = unknownAfterApply ? 'is known only after apply' : 'is not set';
    return { kind: 'unresolved', reason: `${path.join('.')} ${why} and references no role of the plan` };
  }

  private nodeRoleUses(resource: PlanResource): NodeRoleUse[] {
    const { type, after, unknown } = resource;
    const base = { id: resource.address, resource: resource.address, location: resource.location };
    switch (type) {
      case 'aws_eks_node_group':
        return [
          {
            ...base,
            kind: 'managed-nodegroup',
            target: this.roleByArn(
              resource,
              after.node_role_arn,
              ['node_role_arn'],
              unknown.node_role_arn === true,
            ),
          },
        ];
      case 'aws_eks_fargate_profile':
        return [
          {
            ...base,
            kind: 'fargate-profile',
            target: this.roleByArn(
              resource,
              after.pod_execution_role_arn,
              ['pod_execution_role_arn'],
              unknown.pod_execution_role_arn === true,
            ),
          },
        ];
      case 'aws_eks_cluster': {
        const [compute] = Array.isArray(after.compute_config) ? after.compute_config : [];
        if (!isRecord(compute) || compute.enabled === false) return [];
        const [computeUnknown] = Array.isArray(unknown.compute_config) ? unknown.compute_config : [];
        const roleUnknown = isRecord(computeUnknown) && computeUnknown.node_role_arn === true;
        if (compute.node_role_arn == null && !roleUnknown) return [];
        return [
          {
            ...base,
            kind: 'auto-mode',
            target: this.roleByArn(
              resource,
              compute.node_role_arn,
              ['compute_config', 'node_role_arn'],
              roleUnknown,
            ),
          },
        ];
      }
      case 'aws_eks_access_entry': {
        const entryType =
          typeof after.type === 'string' ? after.type : unknown.type === true ? null : 'STANDARD';
        if (entryType === null) {
          return [
            {
              ...base,
              kind: 'access-entry',
              target: { kind: 'unresolved', reason: 'the access entry type is known only after apply' },
            },
          ];
        }
        if (!NODE_ACCESS_ENTRY_TYPES.has(entryType)) return [];
        return [
          {
            ...base,
            kind: 'access-entry',
            accessEntryType: entryType,
            target: this.roleByArn(
              resource,
              after.principal_arn,
              ['principal_arn'],
              unknown.principal_arn === true,
            ),
          },
        ];
      }
      default:
        return [];
    }
  }
}
