// Use-case helper: reads a role's policy set (inline, attached, boundary) through an AccountView for the analyser;
// shared by the change evaluation (node roles) and the pod-role audit, so both judge policies the same way.
import type { AccountView } from '../account/account-view';
import { AccountReadError } from '../domain/errors';
import type { PolicyInput, PolicyKind, PolicyRef, RoleRecord } from '../domain/types';

export interface RolePolicySet {
  readonly identity: PolicyInput[];
  readonly boundary: PolicyInput | null;
  /** Policies that could not be read: never silently dropped. */
  readonly unreadable: PolicyRef[];
}

/** Reads every policy of the role concurrently; unreadable ones are listed, never silently dropped. */
export async function readRolePolicies(
  view: AccountView,
  role: RoleRecord,
  partition: string,
): Promise<RolePolicySet> {
  const unreadable: PolicyRef[] = [];
  const readInline = async (policyName: string): Promise<PolicyInput | null> => {
    const ref: PolicyRef = { kind: 'inline', name: policyName, arn: null };
    try {
      const document = await view.getInlinePolicy(role.name, policyName);
      // Deleted between the listing and the read: it no longer grants anything.
      return document === null ? null : { ref, document };
    } catch (error) {
      if (!(error instanceof AccountReadError)) throw error;
      unreadable.push(ref);
      return null;
    }
  };
  const readManaged = async (policyArn: string): Promise<PolicyInput | null> => {
    const ref = policyRefFromArn(policyArn, partition);
    try {
      const content = await view.getManagedPolicy(policyArn);
      if (content !== null)
        return { ref: { ...ref, name: content.name || ref.name }, document: content.document };
    } catch (error) {
      if (!(error instanceof AccountReadError)) throw error;
    }
    unreadable.push(ref);
    return null;
  };
  const [inline, managed, boundary] = await Promise.all([
    Promise.all(role.inlinePolicyNames.map(readInline)),
    Promise.all(role.attachedPolicies.map((p) => readManaged(p.arn))),
    role.permissionsBoundaryArn === null ? Promise.resolve(null) : readManaged(role.permissionsBoundaryArn),
  ]);
  const identity = [...managed, ...inline].filter((p): p is PolicyInput => p !== null);
  return { identity, boundary, unreadable };
}

/** `arn:<partition>:iam::aws:policy/...` is AWS managed; any other policy ARN is customer managed. */
export function policyRefFromArn(policyArn: string, partition: string): PolicyRef {
  const name = policyArn.slice(policyArn.lastIndexOf('/') + 1) || policyArn;
  const kind: PolicyKind = policyArn.startsWith(`arn:${partition}:iam::aws:policy/`)
    ? 'aws-managed'
    : 'customer-managed';
  return { kind, name, arn: policyArn };
}
