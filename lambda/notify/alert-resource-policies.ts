// Notify (pure): the alert section for grants from ECR resource policies (repository, registry, creation
// template): one entry each, with the AWS CLI command that shows the policy and the one that takes the statement
// out. The guard never edits resource policies, in any mode: this is what its remediation leaves undone.
import { grantReach, isResourcePolicyKind } from '../domain/resource-policies';
import type { Grant } from '../domain/types';
import type { AlertInput } from './alert-input';
import {
  type BodyOptions,
  commandLines,
  field,
  INDENT,
  moreNote,
  paragraph,
  section,
  TEXT_LIST_LIMITS,
} from './alert-layout';
import type { CliCommand } from './shell';

const NOT_EDITED =
  'The guard does not edit ECR resource policies, in any mode: remediation leaves these statements in place ' +
  '(not done by remediation). The explicit Deny the guard can add to the role blocks them while it stays; ' +
  'take the statement out of the policy to end the grant itself.';

export function resourcePolicySection(input: AlertInput, options: BodyOptions): string[] {
  const grants = input.decision.grants.filter((grant) => isResourcePolicyKind(grant.policy.kind));
  if (grants.length === 0) return [];
  const shown = grants.slice(0, TEXT_LIST_LIMITS.grants);
  const entries = shown.flatMap((grant, i) => entry(grant, i + 1));
  return section('ECR RESOURCE POLICIES (NOT DONE BY REMEDIATION)', [
    ...paragraph(NOT_EDITED),
    ...entries,
    ...moreNote(grants.length - shown.length, options, INDENT),
  ]);
}

function entry(grant: Grant, number: number): string[] {
  const condition = grant.conditional ? ', with a condition (it counts as a grant)' : '';
  const who = principalPhrase(grant);
  return [
    '',
    `${INDENT}${number}. ${field(grantReach(grant))}: statement ${field(grant.statement)}${condition}`,
    ...paragraph(`${who}; grants ${grant.actions.join(', ')}.${scopeNote(grant)}`, `${INDENT}   `),
    `${INDENT}   Show the policy:`,
    ...commandLines([showCommand(grant)]),
    `${INDENT}   Take the statement out (the policy without it):`,
    ...removal(grant),
  ];
}

/** The guard does not read the registry policy scope (an account setting): V2, the default, is assumed. */
function scopeNote(grant: Grant): string {
  return grant.policy.kind === 'registry-policy'
    ? ' Read as registry policy scope V2 (the default); under V1 ECR enforces no write action from it.'
    : '';
}

function principalPhrase(grant: Grant): string {
  switch (grant.resource?.principal) {
    case 'role-arn':
      return 'Names the role ARN';
    case 'role-session':
      return 'Names a session of the role';
    case 'any-principal':
      return 'Names any principal ("*")';
    case 'not-principal':
      return 'Uses NotPrincipal without excluding the role';
    default:
      return 'Names the role';
  }
}

function region(grant: Grant): string {
  return grant.policy.region ?? 'REGION';
}

function showCommand(grant: Grant): CliCommand {
  switch (grant.policy.kind) {
    case 'registry-policy':
      return ['aws', 'ecr', 'get-registry-policy', '--region', region(grant)];
    case 'repository-creation-template':
      return [
        'aws',
        'ecr',
        'describe-repository-creation-templates',
        '--prefixes',
        grant.policy.prefix ?? grant.policy.name,
        '--region',
        region(grant),
      ];
    default:
      return [
        'aws',
        'ecr',
        'get-repository-policy',
        '--repository-name',
        grant.policy.name,
        '--region',
        region(grant),
      ];
  }
}

function removal(grant: Grant): string[] {
  const rest = grant.resource?.policyWithoutStatement ?? null;
  const at = ['--region', region(grant)];
  switch (grant.policy.kind) {
    case 'registry-policy':
      return commandLines([
        rest === null
          ? ['aws', 'ecr', 'delete-registry-policy', ...at]
          : ['aws', 'ecr', 'put-registry-policy', '--policy-text', rest, ...at],
      ]);
    case 'repository-creation-template': {
      const prefix = grant.policy.prefix ?? grant.policy.name;
      if (rest === null) {
        return paragraph(
          `It is the template's only statement: update template ${prefix} with a repository policy that grants the ` +
            'role no write (aws ecr update-repository-creation-template --prefix ... --repository-policy ...).',
          `${INDENT}   `,
        );
      }
      return commandLines([
        [
          'aws',
          'ecr',
          'update-repository-creation-template',
          '--prefix',
          prefix,
          '--repository-policy',
          rest,
          ...at,
        ],
      ]);
    }
    default:
      return commandLines([
        rest === null
          ? ['aws', 'ecr', 'delete-repository-policy', '--repository-name', grant.policy.name, ...at]
          : [
              'aws',
              'ecr',
              'set-repository-policy',
              '--repository-name',
              grant.policy.name,
              '--policy-text',
              rest,
              ...at,
            ],
      ]);
  }
}
