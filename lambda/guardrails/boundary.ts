// Guardrails (pure): builds the permissions boundary for EKS node roles: what nodes need, no ECR write, and an
// explicit Deny of ECR writes so repository or registry grants naming a node session are stopped too.

import {
  CNI_ACTIONS,
  cniTagResource,
  imagePullActions,
  SSM_CORE_ACTIONS,
  workerNodeActions,
} from './node-actions';
import { type BoundaryOptions, ecrWritesToDeny } from './options';
import type { PolicyDocument, PolicyStatement } from './policy';

/** Sid of the explicit Deny (the check looks at the Allow statements without it, too). */
export const BOUNDARY_DENY_SID = 'DenyEcrWrites';

function dedupe(actions: readonly string[]): string[] {
  const seen = new Set<string>();
  return actions.filter((action) => {
    const key = action.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The boundary document: Allow statements for the node's needs, then the Deny. */
export function buildBoundary(options: BoundaryOptions): PolicyDocument {
  const statements: PolicyStatement[] = [
    {
      Sid: 'AllowEksWorkerNodeAndVpcCni',
      Effect: 'Allow',
      Action: dedupe([...workerNodeActions(), ...CNI_ACTIONS]),
      Resource: '*',
    },
    {
      Sid: 'AllowVpcCniTagging',
      Effect: 'Allow',
      Action: 'ec2:CreateTags',
      Resource: cniTagResource(options.partition),
    },
    {
      Sid: 'AllowImagePulls',
      Effect: 'Allow',
      Action: imagePullActions(options.pullAllowance),
      Resource: '*',
    },
  ];
  if (options.ssmCore) {
    statements.push({
      Sid: 'AllowSsmManagedInstanceCore',
      Effect: 'Allow',
      Action: [...SSM_CORE_ACTIONS],
      Resource: '*',
    });
  }
  if (options.extraActions.length > 0) {
    statements.push({
      Sid: 'AllowExtraNodeActions',
      Effect: 'Allow',
      Action: dedupe(options.extraActions),
      Resource: '*',
    });
  }
  statements.push({
    Sid: BOUNDARY_DENY_SID,
    Effect: 'Deny',
    Action: ecrWritesToDeny(options.pullAllowance),
    Resource: '*',
  });
  return { Version: '2012-10-17', Statement: statements };
}
