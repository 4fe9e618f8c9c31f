// IaC model (pure data): what the CloudFormation and Terraform readers extract from a template or plan and
// what the check analyses: the IAM roles declared, their policies, and the EKS resources that make them node roles.
import type { EvidenceKind, PolicyRef } from '../domain/types';
import type { SourceLocation } from './source';

/** One policy a role has, as far as the files tell. */
export type IacPolicy =
  /** A document written in the files (inline, or a managed policy declared there). */
  | {
      readonly kind: 'document';
      readonly ref: PolicyRef;
      readonly document: unknown;
      readonly location: SourceLocation;
    }
  /** A managed policy named by its ARN (an AWS managed policy is looked up in the bundled documents). */
  | { readonly kind: 'arn'; readonly arn: string; readonly location: SourceLocation }
  /** A policy whose ARN or content the files do not give (a parameter, an unknown-after-apply value...). */
  | {
      readonly kind: 'unknown';
      readonly ref: PolicyRef;
      readonly reason: string;
      readonly location: SourceLocation;
    };

/** An IAM role declared in the files. */
export interface IacRole {
  /** Unique within the model: `<file>#<logical id>` or the Terraform address. */
  readonly id: string;
  /** What a person calls it: the logical id or the Terraform address. */
  readonly label: string;
  /** The role name when the files give it literally. */
  readonly roleName: string | null;
  readonly location: SourceLocation;
  readonly policies: readonly IacPolicy[];
  readonly boundary: IacPolicy | null;
}

/** Which role an EKS resource names. */
export type RoleTarget =
  | { readonly kind: 'declared'; readonly roleId: string }
  /** A role named only by an ARN or name string: looked up by name among the roles of every file read. */
  | { readonly kind: 'named'; readonly roleName: string; readonly text: string }
  | { readonly kind: 'unresolved'; readonly reason: string };

/** An EKS resource (node group, node access entry, Auto Mode cluster, Fargate profile) naming a node role. */
export interface NodeRoleUse {
  /** The logical id or Terraform address of the EKS resource. */
  readonly id: string;
  readonly kind: Exclude<EvidenceKind, 'heuristic'>;
  /** e.g. `AWS::EKS::Nodegroup Nodes` or `aws_eks_node_group.this[0]`. */
  readonly resource: string;
  readonly accessEntryType?: string;
  readonly location: SourceLocation;
  readonly target: RoleTarget;
}

/** A policy attachment whose role the files do not tell: reported when the policy can write to ECR. */
export interface UnresolvedAttachment {
  /** The logical id or Terraform address of the policy resource. */
  readonly id: string;
  readonly resource: string;
  readonly policy: IacPolicy;
  readonly reason: string;
  readonly location: SourceLocation;
}

export interface IacModel {
  readonly roles: readonly IacRole[];
  readonly uses: readonly NodeRoleUse[];
  readonly unresolvedAttachments: readonly UnresolvedAttachment[];
}

export const EMPTY_MODEL: IacModel = { roles: [], uses: [], unresolvedAttachments: [] };

/** Several files' models as one (a cdk.out folder, or several paths on the command line). */
export function mergeModels(models: readonly IacModel[]): IacModel {
  return {
    roles: models.flatMap((model) => model.roles),
    uses: models.flatMap((model) => model.uses),
    unresolvedAttachments: models.flatMap((model) => model.unresolvedAttachments),
  };
}
