// Domain data: the ECR / ECR Public action catalogue (generated at development time), access levels, the
// pull allowance and canonical action spelling. Pure; read by the policy analysis and by config loading.

import { CATALOGUE_SOURCE, GENERATED_CATALOGUE, RESOURCE_ARN_TEMPLATES } from './catalogue.generated';
import { ConfigError } from './errors';

export type EcrService = 'ecr' | 'ecr-public';

/** The resource types ECR and ECR Public actions act on (iam-data's names). */
export type EcrResourceType = 'repository' | 'registry';

/** The classic IAM access levels (iam-data's "Tagging, Write" is collapsed to "Tagging"). */
export type AccessLevel = 'List' | 'Read' | 'Write' | 'Permissions management' | 'Tagging';

export interface CatalogueAction {
  readonly service: EcrService;
  /** Action name without the service prefix, e.g. `PutImage`. */
  readonly name: string;
  /** Full action in AWS's spelling, e.g. `ecr:PutImage`. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  /** The resource type the action acts on; null when it acts on `*` only (registry-level, e.g. PutRegistryPolicy). */
  readonly resourceType: EcrResourceType | null;
}

export { CATALOGUE_SOURCE, RESOURCE_ARN_TEMPLATES };

/** Every ecr and ecr-public action, sorted by `action` (plain code-unit order, as `Array.prototype.sort`). */
export const ECR_CATALOGUE: readonly CatalogueAction[] = Object.freeze([...GENERATED_CATALOGUE]);

const BY_LOWER_CASE = new Map(ECR_CATALOGUE.map((entry) => [entry.action.toLowerCase(), entry]));

/** Anything that can change state: every level except Read and List. */
export function isWriteLevel(level: AccessLevel): boolean {
  return level !== 'Read' && level !== 'List';
}

/** Catalogue spelling of an action given in any case (surrounding spaces ignored), null when unknown. */
export function canonicalAction(name: string): string | null {
  return BY_LOWER_CASE.get(name.trim().toLowerCase())?.action ?? null;
}

/** Access level of a catalogue action (any case), null when the action is not in the catalogue. */
export function accessLevelOf(action: string): AccessLevel | null {
  return BY_LOWER_CASE.get(action.trim().toLowerCase())?.accessLevel ?? null;
}

/** True for a catalogue action whose level is write-like (see `isWriteLevel`). */
export function isWriteAction(action: string): boolean {
  const level = accessLevelOf(action);
  return level !== null && isWriteLevel(level);
}

/** Every write-level ecr / ecr-public action, sorted. */
export const WRITE_ACTIONS: readonly string[] = Object.freeze(
  ECR_CATALOGUE.filter((entry) => isWriteLevel(entry.accessLevel)).map((entry) => entry.action),
);

/**
 * The write-level actions of an image push (ECR User Guide, image-push-iam: upload the layers, put the manifest);
 * the push's read-level `ecr:BatchCheckLayerAvailability` and `ecr:GetAuthorizationToken` are not among them.
 * A role "holds push" when all of them are in effect.
 */
export const IMAGE_PUSH_WRITE_ACTIONS: readonly string[] = Object.freeze([
  'ecr:CompleteLayerUpload',
  'ecr:InitiateLayerUpload',
  'ecr:PutImage',
  'ecr:UploadLayerPart',
]);

/**
 * The actions of AWS's `AmazonEC2ContainerRegistryPullOnly` (v1). Only BatchImportUpstreamImage is
 * write-level (pull-through cache imports); the whole list is kept so the allowance mirrors the policy.
 */
export const DEFAULT_PULL_ALLOWANCE: readonly string[] = Object.freeze([
  'ecr:GetAuthorizationToken',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
  'ecr:BatchImportUpstreamImage',
]);

/** What a node must still be allowed after remediation to pull its images. */
export const NODE_PULL_ACTIONS: readonly string[] = Object.freeze([
  'ecr:GetAuthorizationToken',
  'ecr:BatchGetImage',
  'ecr:GetDownloadUrlForLayer',
]);

function unknownActionMessage(configKey: string, entry: string): string {
  const hint = /[*?]/.test(entry) ? ' (wildcards are not accepted: list exact actions)' : '';
  return `${configKey}: "${entry}" is not an ecr or ecr-public action${hint}`;
}

/**
 * The default pull allowance plus `extra` actions, in catalogue spelling. Extra entries are matched
 * case-insensitively against the catalogue; an unknown entry throws a ConfigError naming it.
 */
export function pullAllowance(extra: readonly string[], configKey = 'pullAllowance'): ReadonlySet<string> {
  const allowance = new Set(DEFAULT_PULL_ALLOWANCE);
  for (const entry of extra) {
    const action = canonicalAction(entry);
    if (action === null) throw new ConfigError(unknownActionMessage(configKey, entry));
    allowance.add(action);
  }
  return allowance;
}
