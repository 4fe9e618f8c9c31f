// IaC reader (pure): a CloudFormation template (JSON or YAML, parsed with locations) to the IaC model: the IAM
// roles it declares with their policies, and the EKS resources that make a role a node role.
import { isIamRoleArn, roleNameFromArn } from '../domain/arn';
import { NODE_ACCESS_ENTRY_TYPES } from '../domain/node-roles';
import type { PolicyRef } from '../domain/types';
import {
  displayText,
  hasMarker,
  markerId,
  resolvePolicyDocument,
  resolveText,
  resolveValue,
  type TemplateContext,
} from './intrinsics';
import type { IacModel, IacPolicy, IacRole, NodeRoleUse, RoleTarget, UnresolvedAttachment } from './model';
import type { ParsedSource, SourceLocation, ValuePath } from './source';

interface TemplateResource {
  readonly id: string;
  readonly type: string;
  readonly properties: Record<string, unknown>;
  readonly location: SourceLocation;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** True when the parsed value looks like a CloudFormation template (a `Resources` map of typed resources). */
export function isCloudFormationTemplate(value: unknown): boolean {
  if (!isRecord(value) || !isRecord(value.Resources)) return false;
  return Object.values(value.Resources).some((r) => isRecord(r) && typeof r.Type === 'string');
}

const NAME_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::IAM::Role': 'RoleName',
  'AWS::IAM::ManagedPolicy': 'ManagedPolicyName',
  'AWS::IAM::Policy': 'PolicyName',
};

/** Reads one template. `partition` stands for `AWS::Partition` (policy ARNs are looked up by name in any case). */
export function readCloudFormation(source: ParsedSource, partition = 'aws'): IacModel {
  const template = isRecord(source.value) ? source.value : {};
  const resources: TemplateResource[] = Object.entries(isRecord(template.Resources) ? template.Resources : {})
    .filter((entry): entry is [string, Record<string, unknown>] => isRecord(entry[1]))
    .map(([id, resource]) => ({
      id,
      type: typeof resource.Type === 'string' ? resource.Type : '',
      properties: isRecord(resource.Properties) ? resource.Properties : {},
      location: source.locate(['Resources', id]),
    }));
  const context: TemplateContext = {
    partition,
    resourceTypes: new Map(resources.map((r) => [r.id, r.type])),
    literalNames: new Map(
      resources.flatMap((r) => {
        const key = NAME_PROPERTIES[r.type];
        const name = key === undefined ? undefined : r.properties[key];
        return typeof name === 'string' ? [[r.id, name] as const] : [];
      }),
    ),
    parameters: new Set(Object.keys(isRecord(template.Parameters) ? template.Parameters : {})),
    mappings: template.Mappings,
  };
  return new TemplateReader(source, resources, context).read();
}

class TemplateReader {
  private readonly roleIdOf: (id: string) => string;
  private readonly policies = new Map<string, IacPolicy[]>();
  private readonly boundaries = new Map<string, IacPolicy>();
  private readonly unresolved: UnresolvedAttachment[] = [];

  constructor(
    private readonly source: ParsedSource,
    private readonly resources: readonly TemplateResource[],
    private readonly context: TemplateContext,
  ) {
    this.roleIdOf = (id) => `${source.file}#${id}`;
  }

  read(): IacModel {
    const roles = this.resources.filter((r) => r.type === 'AWS::IAM::Role');
    for (const role of roles) this.readRole(role);
    for (const resource of this.resources) this.readPolicyResource(resource);
    const uses = this.resources.flatMap((r) => this.nodeRoleUses(r));
    return {
      roles: roles.map(
        (role): IacRole => ({
          id: this.roleIdOf(role.id),
          label: role.id,
          roleName: this.context.literalNames.get(role.id) ?? null,
          location: role.location,
          policies: this.policies.get(role.id) ?? [],
          boundary: this.boundaries.get(role.id) ?? null,
        }),
      ),
      uses,
      unresolvedAttachments: this.unresolved,
    };
  }

  private path(resource: TemplateResource, ...rest: (string | number)[]): ValuePath {
    return ['Resources', resource.id, 'Properties', ...rest];
  }

  private addPolicy(roleId: string, policy: IacPolicy): void {
    const list = this.policies.get(roleId) ?? [];
    list.push(policy);
    this.policies.set(roleId, list);
  }

  private readRole(role: TemplateResource): void {
    const { properties } = role;
    const arns = properties.ManagedPolicyArns;
    if (Array.isArray(arns)) {
      arns.forEach((arn, index) => {
        this.addPolicy(
          role.id,
          this.managedPolicy(
            arn,
            this.source.locate(this.path(role, 'ManagedPolicyArns', index)),
            `${role.id} ManagedPolicyArns[${index}]`,
          ),
        );
      });
    } else if (arns !== undefined) {
      const location = this.source.locate(this.path(role, 'ManagedPolicyArns'));
      const list = resolveValue(arns, this.context);
      if (list.kind === 'value' && Array.isArray(list.value)) {
        for (const arn of list.value)
          this.addPolicy(role.id, this.managedPolicy(arn, location, `${role.id} ManagedPolicyArns`));
      } else {
        const reason = list.kind === 'unknown' ? list.reason : 'not a list';
        this.addPolicy(role.id, unknownPolicy(`${role.id} ManagedPolicyArns`, reason, location));
      }
    }
    const inline = Array.isArray(properties.Policies) ? properties.Policies : [];
    inline.forEach((policy, index) => {
      const at = this.source.locate(this.path(role, 'Policies', index));
      const name =
        isRecord(policy) && typeof policy.PolicyName === 'string' ? policy.PolicyName : String(index);
      const ref: PolicyRef = { kind: 'inline', name: `${role.id}/${name}`, arn: null };
      this.addPolicy(role.id, this.document(ref, isRecord(policy) ? policy.PolicyDocument : undefined, at));
    });
    if (properties.PermissionsBoundary !== undefined) {
      const at = this.source.locate(this.path(role, 'PermissionsBoundary'));
      this.boundaries.set(
        role.id,
        this.managedPolicy(properties.PermissionsBoundary, at, `${role.id} PermissionsBoundary`),
      );
    }
  }

  /** A managed policy ARN: a declared AWS::IAM::ManagedPolicy, a literal ARN, or unknown. */
  private managedPolicy(arn: unknown, location: SourceLocation, label: string): IacPolicy {
    const resolved = resolveText(arn, this.context);
    if ('reason' in resolved) return unknownPolicy(label, resolved.reason, location);
    const declared = markerId(resolved.text, 'arn') ?? this.declaredPolicyByArn(resolved.text);
    if (declared !== null) {
      const resource = this.resources.find((r) => r.id === declared && r.type === 'AWS::IAM::ManagedPolicy');
      if (resource !== undefined) {
        const name = this.context.literalNames.get(resource.id) ?? resource.id;
        const ref: PolicyRef = { kind: 'customer-managed', name, arn: null };
        return this.document(ref, resource.properties.PolicyDocument, resource.location);
      }
    }
    if (hasMarker(resolved.text)) {
      const shown = displayText(resolved.text);
      return unknownPolicy(shown, 'a managed policy the template does not declare', location);
    }
    return { kind: 'arn', arn: resolved.text, location };
  }

  private declaredPolicyByArn(text: string): string | null {
    const name = text.includes(':policy/') ? text.slice(text.lastIndexOf('/') + 1) : null;
    if (name === null) return null;
    for (const [id, literal] of this.context.literalNames) {
      if (literal === name && this.context.resourceTypes.get(id) === 'AWS::IAM::ManagedPolicy') return id;
    }
    return null;
  }

  private document(ref: PolicyRef, document: unknown, location: SourceLocation): IacPolicy {
    const resolved = resolvePolicyDocument(document, this.context);
    if (resolved.kind === 'unknown') return { kind: 'unknown', ref, reason: resolved.reason, location };
    return { kind: 'document', ref, document: resolved.value, location };
  }

  /** AWS::IAM::Policy / ManagedPolicy (`Roles`) and AWS::IAM::RolePolicy (`RoleName`) naming roles. */
  private readPolicyResource(resource: TemplateResource): void {
    const { type, properties } = resource;
    let roleNames: unknown[];
    let ref: PolicyRef;
    if (type === 'AWS::IAM::Policy' || type === 'AWS::IAM::RolePolicy') {
      const name = typeof properties.PolicyName === 'string' ? properties.PolicyName : resource.id;
      ref = { kind: 'inline', name, arn: null };
      roleNames = type === 'AWS::IAM::RolePolicy' ? [properties.RoleName] : asList(properties.Roles);
    } else if (type === 'AWS::IAM::ManagedPolicy') {
      ref = {
        kind: 'customer-managed',
        name: this.context.literalNames.get(resource.id) ?? resource.id,
        arn: null,
      };
      roleNames = asList(properties.Roles);
    } else {
      return;
    }
    const policy = this.document(ref, properties.PolicyDocument, resource.location);
    for (const roleName of roleNames) {
      const target = this.roleByName(roleName);
      if (target.kind === 'declared') this.addPolicy(target.roleId, policy);
      else {
        const reason =
          target.kind === 'named'
            ? `role ${target.roleName} is not declared in this template`
            : target.reason;
        this.unresolved.push({
          id: resource.id,
          resource: `${type} ${resource.id}`,
          policy,
          reason,
          location: resource.location,
        });
      }
    }
  }

  /** A role given by name (`Ref` of the role, or a literal name). `roleId` here is the logical id. */
  private roleByName(name: unknown): RoleTarget {
    const resolved = resolveText(name, this.context);
    if ('reason' in resolved) return { kind: 'unresolved', reason: resolved.reason };
    const id = markerId(resolved.text, 'name') ?? this.roleIdByLiteralName(resolved.text);
    if (id !== null && this.context.resourceTypes.get(id) === 'AWS::IAM::Role')
      return { kind: 'declared', roleId: id };
    if (hasMarker(resolved.text))
      return { kind: 'unresolved', reason: `${displayText(resolved.text)} is not a role` };
    return { kind: 'named', roleName: resolved.text, text: resolved.text };
  }

  private roleIdByLiteralName(name: string): string | null {
    for (const [id, literal] of this.context.literalNames) {
      if (literal === name && this.context.resourceTypes.get(id) === 'AWS::IAM::Role') return id;
    }
    return null;
  }

  /** A role given by ARN (`Fn::GetAtt [Role, Arn]`, a Sub/Join of its name, or a literal ARN). */
  private roleByArn(arn: unknown): RoleTarget {
    const resolved = resolveText(arn, this.context);
    if ('reason' in resolved) return { kind: 'unresolved', reason: resolved.reason };
    const id = markerId(resolved.text, 'arn');
    if (id !== null) {
      return this.context.resourceTypes.get(id) === 'AWS::IAM::Role'
        ? { kind: 'declared', roleId: this.roleIdOf(id) }
        : { kind: 'unresolved', reason: `${id} is not an AWS::IAM::Role` };
    }
    const shown = displayText(resolved.text);
    const name = resolved.text.includes(':role/') ? roleNameFromArn(resolved.text) : null;
    if (name === null) return { kind: 'unresolved', reason: `${shown} is not a role ARN` };
    const byName = this.roleByName(name);
    if (byName.kind === 'declared') return { kind: 'declared', roleId: this.roleIdOf(byName.roleId) };
    if (byName.kind === 'named' && (isIamRoleArn(resolved.text) || hasMarker(resolved.text))) {
      return { kind: 'named', roleName: name, text: shown };
    }
    return { kind: 'unresolved', reason: `${shown} names no role the template declares` };
  }

  private nodeRoleUses(resource: TemplateResource): NodeRoleUse[] {
    const { type, properties: p } = resource;
    const base = { id: resource.id, resource: `${type} ${resource.id}`, location: resource.location };
    switch (type) {
      case 'AWS::EKS::Nodegroup':
        return [{ ...base, kind: 'managed-nodegroup', target: this.roleByArn(p.NodeRole) }];
      case 'AWS::EKS::FargateProfile':
        return [{ ...base, kind: 'fargate-profile', target: this.roleByArn(p.PodExecutionRoleArn) }];
      case 'AWS::EKS::Cluster': {
        const compute = isRecord(p.ComputeConfig) ? p.ComputeConfig : {};
        if (compute.NodeRoleArn === undefined || compute.Enabled === false) return [];
        return [{ ...base, kind: 'auto-mode', target: this.roleByArn(compute.NodeRoleArn) }];
      }
      case 'AWS::EKS::AccessEntry': {
        const entryType = p.Type === undefined ? { text: 'STANDARD' } : resolveText(p.Type, this.context);
        if ('reason' in entryType) {
          const reason = `the access entry type is not known (${entryType.reason})`;
          return [{ ...base, kind: 'access-entry', target: { kind: 'unresolved', reason } }];
        }
        if (!NODE_ACCESS_ENTRY_TYPES.has(entryType.text)) return [];
        return [
          {
            ...base,
            kind: 'access-entry',
            accessEntryType: entryType.text,
            target: this.roleByArn(p.PrincipalArn),
          },
        ];
      }
      default:
        return [];
    }
  }
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

function unknownPolicy(name: string, reason: string, location: SourceLocation): IacPolicy {
  return { kind: 'unknown', ref: { kind: 'customer-managed', name, arn: null }, reason, location };
}
