// In-memory AWS: answers the ECR calls the guard reads (DescribeRepositories, GetRepositoryPolicy,
// GetRegistryPolicy, DescribeRepositoryCreationTemplates) and the resource-policy writes the demo replays, per
// region, over FakeState, with ECR pagination (maxResults 1-1000, nextToken) and ECR's own errors.
import {
  type ServiceOutputTypes as EcrOutput,
  RCTAppliedFor,
  RegistryPolicyNotFoundException,
  RepositoryAlreadyExistsException,
  RepositoryPolicyNotFoundException,
  TemplateAlreadyExistsException,
  TemplateNotFoundException,
} from '@aws-sdk/client-ecr';
import { type FakeErrorKind, fakeServiceError } from './errors';
import type { FakeEcrRegion, FakeState } from './model';
import { type PageOf, pageOf } from './paging';
import { FakeRequest } from './request';

const metadata = () => ({
  httpStatusCode: 200,
  requestId: 'fake-request-id',
  attempts: 1,
  totalRetryDelay: 0,
});

type Handler = (request: FakeRequest, region: string) => EcrOutput;

/** What a test, the demo or a snapshot seeds a region's registry with (policies as JSON text). */
export interface EcrSeed {
  readonly registryPolicy?: string | null;
  readonly repositories?: readonly { readonly name: string; readonly policyText?: string | null }[];
  readonly templates?: readonly {
    readonly prefix: string;
    readonly repositoryPolicy?: string | null;
    readonly appliedFor?: readonly RCTAppliedFor[];
  }[];
}

/** Adds (or replaces) what the seed names; policies are kept as ECR keeps them (re-serialised). */
export function seedEcr(state: FakeState, region: string, seed: EcrSeed): void {
  const registry = state.ecrIn(region);
  if (!state.regions.has(region)) state.regions.set(region, 'ENABLED_BY_DEFAULT');
  const stored = (text: string | null | undefined) => (typeof text === 'string' ? reserialised(text) : null);
  if (seed.registryPolicy !== undefined) registry.registryPolicy = stored(seed.registryPolicy);
  for (const repository of seed.repositories ?? []) {
    registry.repositories.set(repository.name, {
      name: repository.name,
      policyText: stored(repository.policyText),
    });
  }
  for (const template of seed.templates ?? []) {
    registry.templates.set(template.prefix, {
      prefix: template.prefix,
      appliedFor: template.appliedFor ?? ['PULL_THROUGH_CACHE'],
      repositoryPolicy: stored(template.repositoryPolicy),
    });
  }
}

/** Seeded text that is not JSON is kept as is (a test may want a broken policy). */
function reserialised(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    return ecrSerialised(parsed);
  } catch {
    return text;
  }
}

/** ECR's documented page limit for DescribeRepositories and DescribeRepositoryCreationTemplates. */
export const ECR_MAX_RESULTS = 1000;

export class FakeEcr {
  private readonly handlers: Readonly<Record<string, Handler>> = {
    DescribeRepositories: (r, region) => this.describeRepositories(r, region),
    GetRepositoryPolicy: (r, region) => this.getRepositoryPolicy(r, region),
    GetRegistryPolicy: (_r, region) => this.getRegistryPolicy(region),
    DescribeRepositoryCreationTemplates: (r, region) => this.describeTemplates(r, region),
    CreateRepository: (r, region) => this.createRepository(r, region),
    SetRepositoryPolicy: (r, region) => this.setRepositoryPolicy(r, region),
    DeleteRepositoryPolicy: (r, region) => this.deleteRepositoryPolicy(r, region),
    PutRegistryPolicy: (r, region) => this.putRegistryPolicy(r, region),
    CreateRepositoryCreationTemplate: (r, region) => this.putTemplate(r, region, 'create'),
    UpdateRepositoryCreationTemplate: (r, region) => this.putTemplate(r, region, 'update'),
  };

  constructor(private readonly state: FakeState) {}

  handle(command: string, input: unknown, region: string): EcrOutput {
    const handler = this.handlers[command];
    if (handler === undefined) throw new Error(`FakeAws: ECR ${command} is not implemented`);
    if (!this.state.isRegionEnabled(region)) {
      throw this.error('UnrecognizedClient', 'The security token included in the request is invalid.');
    }
    return handler(new FakeRequest(input, (message) => this.error('InvalidParameter', message)), region);
  }

  private describeRepositories(request: FakeRequest, region: string): EcrOutput {
    const registry = this.region(region);
    const page = this.page([...registry.repositories.values()], request);
    return {
      repositories: page.items.map((repository) => ({
        repositoryName: repository.name,
        repositoryArn: this.repositoryArn(region, repository.name),
        registryId: this.state.accountId,
        repositoryUri: `${this.state.accountId}.dkr.ecr.${region}.amazonaws.com/${repository.name}`,
        createdAt: this.state.createDate,
        imageTagMutability: 'MUTABLE',
      })),
      ...paging(page),
      $metadata: metadata(),
    };
  }

  private getRepositoryPolicy(request: FakeRequest, region: string): EcrOutput {
    const repository = this.repository(region, request.string('repositoryName'));
    if (repository.policyText === null) {
      // The message ECR writes (seen in snyk/driftctl#1549).
      throw this.error(
        'PolicyNotFound',
        `Repository policy does not exist for the repository with name '${repository.name}' in the registry with id '${this.state.accountId}'`,
      );
    }
    return {
      registryId: this.state.accountId,
      repositoryName: repository.name,
      policyText: repository.policyText,
      $metadata: metadata(),
    };
  }

  private getRegistryPolicy(region: string): EcrOutput {
    const policyText = this.region(region).registryPolicy;
    if (policyText === null) {
      throw this.error(
        'RegistryPolicyNotFound',
        `Registry policy does not exist in the registry with id '${this.state.accountId}'`,
      );
    }
    return { registryId: this.state.accountId, policyText, $metadata: metadata() };
  }

  private describeTemplates(request: FakeRequest, region: string): EcrOutput {
    const wanted = request.optionalStrings('prefixes');
    const templates = [...this.region(region).templates.values()].filter(
      (template) => wanted === undefined || wanted.includes(template.prefix),
    );
    const page = this.page(templates, request);
    return {
      registryId: this.state.accountId,
      repositoryCreationTemplates: page.items.map((template) => ({
        prefix: template.prefix,
        appliedFor: [...template.appliedFor],
        ...(template.repositoryPolicy === null ? {} : { repositoryPolicy: template.repositoryPolicy }),
        createdAt: this.state.createDate,
        updatedAt: this.state.createDate,
      })),
      ...paging(page),
      $metadata: metadata(),
    };
  }

  private createRepository(request: FakeRequest, region: string): EcrOutput {
    const name = request.string('repositoryName');
    const registry = this.region(region);
    if (registry.repositories.has(name)) {
      throw this.error(
        'AlreadyExists',
        `The repository with name '${name}' already exists in the registry with id '${this.state.accountId}'`,
      );
    }
    registry.repositories.set(name, { name, policyText: null });
    return {
      repository: { repositoryName: name, repositoryArn: this.repositoryArn(region, name) },
      $metadata: metadata(),
    };
  }

  private setRepositoryPolicy(request: FakeRequest, region: string): EcrOutput {
    const repository = this.repository(region, request.string('repositoryName'));
    repository.policyText = this.policy(request.string('policyText'), 'repository');
    return {
      registryId: this.state.accountId,
      repositoryName: repository.name,
      policyText: repository.policyText,
      $metadata: metadata(),
    };
  }

  private deleteRepositoryPolicy(request: FakeRequest, region: string): EcrOutput {
    const repository = this.repository(region, request.string('repositoryName'));
    const policyText = repository.policyText;
    if (policyText === null) {
      throw this.error(
        'PolicyNotFound',
        `Repository policy does not exist for the repository with name '${repository.name}' in the registry with id '${this.state.accountId}'`,
      );
    }
    repository.policyText = null;
    return {
      registryId: this.state.accountId,
      repositoryName: repository.name,
      policyText,
      $metadata: metadata(),
    };
  }

  private putRegistryPolicy(request: FakeRequest, region: string): EcrOutput {
    const registry = this.region(region);
    registry.registryPolicy = this.policy(request.string('policyText'), 'registry');
    return { registryId: this.state.accountId, policyText: registry.registryPolicy, $metadata: metadata() };
  }

  private putTemplate(request: FakeRequest, region: string, mode: 'create' | 'update'): EcrOutput {
    const prefix = request.string('prefix');
    const registry = this.region(region);
    const existing = registry.templates.get(prefix);
    if (mode === 'create' && existing !== undefined) {
      throw this.error(
        'TemplateAlreadyExists',
        `The creation template with prefix '${prefix}' already exists`,
      );
    }
    if (mode === 'update' && existing === undefined) {
      throw this.error(
        'TemplateNotFound',
        `The specified repository creation template with prefix '${prefix}' does not exist`,
      );
    }
    const policy = request.optionalString('repositoryPolicy');
    const asked = request.optionalStrings('appliedFor');
    if (asked !== undefined && !asked.every(isAppliedFor)) {
      throw this.error(
        'InvalidParameter',
        `Invalid parameter at 'appliedFor': expected one of ${APPLIED_FOR.join(', ')}`,
      );
    }
    const appliedFor = asked?.filter(isAppliedFor) ?? existing?.appliedFor ?? [];
    if (mode === 'create' && appliedFor.length === 0) {
      throw this.error(
        'InvalidParameter',
        "Invalid parameter at 'appliedFor' failed to satisfy constraint: 'Member must not be null'",
      );
    }
    const repositoryPolicy =
      policy === undefined ? (existing?.repositoryPolicy ?? null) : this.policy(policy, 'repository');
    registry.templates.set(prefix, { prefix, appliedFor, repositoryPolicy });
    return {
      registryId: this.state.accountId,
      repositoryCreationTemplate: {
        prefix,
        appliedFor: [...appliedFor],
        ...(repositoryPolicy === null ? {} : { repositoryPolicy }),
        createdAt: this.state.createDate,
        updatedAt: this.state.createDate,
      },
      $metadata: metadata(),
    };
  }

  /** ECR keeps policies re-serialised (indented, `" : "`), as CloudTrail's responseElements show. */
  private policy(text: string, kind: 'repository' | 'registry'): string {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw this.error(
        'InvalidParameter',
        `Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid ${kind} policy provided'`,
      );
    }
    return ecrSerialised(parsed);
  }

  private region(region: string): FakeEcrRegion {
    return this.state.ecrIn(region);
  }

  private repository(region: string, name: string) {
    const repository = this.region(region).repositories.get(name);
    if (repository === undefined) {
      throw this.error(
        'NotFound',
        `The repository with name '${name}' does not exist in the registry with id '${this.state.accountId}'`,
      );
    }
    return repository;
  }

  private repositoryArn(region: string, name: string): string {
    return `arn:${this.state.partition}:ecr:${region}:${this.state.accountId}:repository/${name}`;
  }

  private page<T>(items: readonly T[], request: FakeRequest): PageOf<T> {
    return pageOf(
      items,
      { max: request.optionalNumber('maxResults'), token: request.optionalString('nextToken') },
      { defaultSize: this.state.pageSize, maxSize: ECR_MAX_RESULTS, parameter: 'maxResults' },
      (message) => this.error('InvalidParameter', message),
    );
  }

  private error(kind: FakeErrorKind | EcrErrorKind, message: string): Error {
    const $metadata = { httpStatusCode: 400, requestId: 'fake-request-id', attempts: 1 };
    switch (kind) {
      case 'PolicyNotFound':
        return new RepositoryPolicyNotFoundException({ message, $metadata });
      case 'RegistryPolicyNotFound':
        return new RegistryPolicyNotFoundException({ message, $metadata });
      case 'AlreadyExists':
        return new RepositoryAlreadyExistsException({ message, $metadata });
      case 'TemplateAlreadyExists':
        return new TemplateAlreadyExistsException({ message, $metadata });
      case 'TemplateNotFound':
        return new TemplateNotFoundException({ message, $metadata });
      default:
        return fakeServiceError('ecr', kind, message);
    }
  }
}

type EcrErrorKind =
  | 'PolicyNotFound'
  | 'RegistryPolicyNotFound'
  | 'AlreadyExists'
  | 'TemplateAlreadyExists'
  | 'TemplateNotFound';

const APPLIED_FOR: readonly string[] = Object.values(RCTAppliedFor);

function isAppliedFor(value: string): value is RCTAppliedFor {
  return APPLIED_FOR.includes(value);
}

function paging<T>(page: PageOf<T>): { nextToken?: string } {
  return page.next === undefined ? {} : { nextToken: page.next };
}

/** JSON as ECR writes it back: two-space indentation, `" : "` between a key and its value. */
export function ecrSerialised(value: unknown, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[ ]';
    return `[ ${value.map((item) => ecrSerialised(item, indent)).join(', ')} ]`;
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{ }';
    const lines = entries.map(
      ([key, item]) => `${inner}${JSON.stringify(key)} : ${ecrSerialised(item, inner)}`,
    );
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
