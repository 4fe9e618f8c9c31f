// Use case "evaluate a change", ECR part: a new repository/registry policy or creation template is judged from
// the event itself (the new policy is in the request); only when it grants ECR write to a role or to anyone are
// the node-role index and the named roles read. Called by evaluate-change.ts.
import type { AccountView } from '../account/account-view';
import { changeGrantsNothingDecision, ignoredDecision, indeterminateDecision } from '../domain/decision';
import { AccountReadError } from '../domain/errors';
import { type EcrPolicyChange, withEcrPolicyChange, writeGrantees } from '../domain/resource-policies';
import type { Decision, EcrInventory, EventSummary } from '../domain/types';
import type { EcrChange } from '../events/ecr-change';

export interface EcrChangeDependencies {
  readonly view: AccountView;
  readonly partition: string;
  readonly pullAllowance: ReadonlySet<string>;
  /** Names of the roles the EKS inventory names as node roles (the node-role index). */
  nodeRoleNames(): Promise<readonly string[]>;
  /** The whole-role evaluation, with these ECR resource policies in force. */
  evaluateRole(roleName: string, event: EventSummary, ecr: EcrInventory): Promise<Decision>;
}

export async function evaluateEcrChange(change: EcrChange, deps: EcrChangeDependencies): Promise<Decision[]> {
  const { event } = change;
  const what = describeChange(change);
  const policyChange = toPolicyChange(change, deps.partition);
  if (policyChange === null) {
    return [
      changeGrantsNothingDecision(
        event,
        `${what} sets no repository policy; a policy it set before is checked by the scheduled sweep.`,
        null,
      ),
    ];
  }
  const text = policyChange.target === 'template' ? policyChange.repositoryPolicy : policyChange.policyText;
  const grantees = writeGrantees(text, { pullAllowance: deps.pullAllowance });
  if (grantees.unreadable) {
    return [indeterminateDecision(event, `The new policy of ${what} is not a JSON policy document.`, null)];
  }
  if (!grantees.grantsWrite) {
    return [
      changeGrantsNothingDecision(
        event,
        `The new policy of ${what} grants no ECR write action to any principal; no role was read.`,
        null,
      ),
    ];
  }
  if (!grantees.anyPrincipal && grantees.roleNames.length === 0) {
    return [
      changeGrantsNothingDecision(
        event,
        `The new policy of ${what} grants ECR write only to accounts or services (an account delegates to its IAM policies); no role was read.`,
        null,
      ),
    ];
  }

  let roleNames: readonly string[];
  let ecr: EcrInventory;
  try {
    const known = deps.view.ecrResourcePolicies === undefined ? {} : await deps.view.ecrResourcePolicies();
    ecr = withEcrPolicyChange(known, policyChange);
    roleNames = grantees.anyPrincipal
      ? [...new Set([...(await deps.nodeRoleNames()), ...grantees.roleNames])]
      : grantees.roleNames;
  } catch (error) {
    if (!(error instanceof AccountReadError)) throw error;
    return [
      indeterminateDecision(
        event,
        `The new policy of ${what} grants ECR write, but the node roles could not be listed: ${error.message}.`,
        null,
      ),
    ];
  }
  if (roleNames.length === 0) {
    return [
      ignoredDecision(
        event,
        `The new policy of ${what} grants ECR write to anyone, but the account has no EKS node role.`,
      ),
    ];
  }
  const decisions: Decision[] = [];
  for (const roleName of [...roleNames].sort()) decisions.push(await deps.evaluateRole(roleName, event, ecr));
  return decisions;
}

function describeChange(change: EcrChange): string {
  switch (change.kind) {
    case 'ecr-repository-policy':
      return `repository ${change.repositoryName} (${change.region})`;
    case 'ecr-registry-policy':
      return `the registry policy of ${change.region}`;
    case 'ecr-creation-template':
      return `the repository creation template ${change.prefix} (${change.region})`;
  }
}

function toPolicyChange(change: EcrChange, partition: string): EcrPolicyChange | null {
  switch (change.kind) {
    case 'ecr-repository-policy':
      return {
        target: 'repository',
        region: change.region,
        repositoryName: change.repositoryName,
        repositoryArn: `arn:${partition}:ecr:${change.region}:${change.registryId}:repository/${change.repositoryName}`,
        policyText: change.policyText,
      };
    case 'ecr-registry-policy':
      return { target: 'registry', region: change.region, policyText: change.policyText };
    case 'ecr-creation-template':
      return change.repositoryPolicy === null
        ? null
        : {
            target: 'template',
            region: change.region,
            prefix: change.prefix,
            repositoryPolicy: change.repositoryPolicy,
          };
  }
}
