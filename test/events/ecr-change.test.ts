// Tests for the ECR event parser (reached through role-change.ts's entry point): the contract's ECR names, each
// sample record, and the ignored cases with their reasons.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WATCHED_EVENTS } from '../../lambda/contract';
import { SUPPORTED_ECR_EVENT_NAMES } from '../../lambda/events/ecr-change';
import { parseRoleChangeEvent } from '../../lambda/events/role-change';

const FIXTURES = join(__dirname, 'fixtures');
const fixture = (name: string) => JSON.parse(readFileSync(join(FIXTURES, `ecr-${name}.json`), 'utf8'));

describe('the ECR events of the contract', () => {
  it('are exactly the names the parser evaluates, under source aws.ecr / ecr.amazonaws.com', () => {
    expect(WATCHED_EVENTS['aws.ecr']).toEqual({
      serviceEndpoint: 'ecr.amazonaws.com',
      eventNames: [...SUPPORTED_ECR_EVENT_NAMES],
    });
  });

  it.each([...SUPPORTED_ECR_EVENT_NAMES])('%s: its sample parses to an ECR change', (name) => {
    expect(parseRoleChangeEvent(fixture(name)).kind).toMatch(/^ecr-/);
  });
});

describe('parsing ECR records', () => {
  it('SetRepositoryPolicy: repository, region, registry and the policy as sent', () => {
    const raw = fixture('SetRepositoryPolicy');
    expect(parseRoleChangeEvent(raw)).toMatchObject({
      kind: 'ecr-repository-policy',
      region: 'eu-west-1',
      registryId: '111122223333',
      repositoryName: 'app',
      policyText: raw.detail.requestParameters.policyText,
      event: { name: 'SetRepositoryPolicy', policy: { name: 'app' } },
    });
  });

  it('falls back to the re-serialised policy of responseElements when the request has none', () => {
    const raw = fixture('SetRepositoryPolicy');
    delete raw.detail.requestParameters.policyText;
    const change = parseRoleChangeEvent(raw);
    expect(change).toMatchObject({
      kind: 'ecr-repository-policy',
      policyText: raw.detail.responseElements.policyText,
    });
  });

  it('PutRegistryPolicy and the templates', () => {
    expect(parseRoleChangeEvent(fixture('PutRegistryPolicy'))).toMatchObject({ kind: 'ecr-registry-policy' });
    expect(parseRoleChangeEvent(fixture('CreateRepositoryCreationTemplate'))).toMatchObject({
      kind: 'ecr-creation-template',
      prefix: 'docker-hub',
      repositoryPolicy: expect.stringContaining('NodesPushCached'),
    });
  });

  it('a template update without repositoryPolicy keeps the old one (null)', () => {
    const raw = fixture('UpdateRepositoryCreationTemplate');
    delete raw.detail.requestParameters.repositoryPolicy;
    expect(parseRoleChangeEvent(raw)).toMatchObject({
      kind: 'ecr-creation-template',
      repositoryPolicy: null,
    });
  });

  it.each([
    [
      'a failed call',
      (raw: { detail: Record<string, unknown> }) => Object.assign(raw.detail, { errorCode: 'AccessDenied' }),
      /the call failed/,
    ],
    [
      'another ECR call',
      (raw: { detail: Record<string, unknown> }) => Object.assign(raw.detail, { eventName: 'PutImage' }),
      /"PutImage" is not one/,
    ],
    [
      'a bad repository name',
      (raw: { detail: { requestParameters: Record<string, unknown> } }) =>
        Object.assign(raw.detail.requestParameters, { repositoryName: 'Not Valid' }),
      /not a valid ECR repository name/,
    ],
    [
      'another endpoint',
      (raw: { detail: Record<string, unknown> }) =>
        Object.assign(raw.detail, { eventSource: 'iam.amazonaws.com' }),
      /unsupported eventSource/,
    ],
  ])('ignores %s, saying why', (_label, mutate, reason) => {
    const raw = fixture('SetRepositoryPolicy');
    mutate(raw);
    const change = parseRoleChangeEvent(raw);
    expect(change.kind).toBe('ignored');
    if (change.kind === 'ignored') expect(change.reason).toMatch(reason);
  });
});
