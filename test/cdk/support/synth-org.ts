// Test support for the CDK layer: builds the organization deployment the way bin/app.ts does, without bundling, and
// renders the org stack and each StackSet template.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadGuardConfig } from '../../../lib/config';
import { resolveDeploymentTarget } from '../../../lib/deployment-target';
import { addOrgDeployment, type OrgDeployment } from '../../../lib/org/org-app';
import type { OrgStackSetKind } from '../../../lib/org/org-deployment-stack';
import type { SynthOptions } from './synth-app';

/** The done-when context of issue 14: one alert OU, one remediate OU. */
export const TWO_OUS = {
  organizationalUnits: 'ou-abcd-11111111',
  remediateOrganizationalUnits: 'ou-abcd-22222222',
} as const;

export interface SynthesizedOrg {
  readonly app: App;
  readonly deployment: OrgDeployment;
  /** The org stack (bucket, code copy, StackSets). */
  readonly org: Template;
  /** The template each StackSet deploys, by kind; only the StackSets the config produces. */
  readonly templates: ReadonlyMap<OrgStackSetKind, Template>;
  /** Each template file's size in bytes. */
  readonly templateBytes: ReadonlyMap<OrgStackSetKind, number>;
}

const synthesized = new Map<string, SynthesizedOrg>();

/** Builds (once per distinct options within a test file) and renders the org app. Treat the result as read-only. */
export function synthOrgApp(options: SynthOptions = {}): SynthesizedOrg {
  const key = JSON.stringify(options);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const built = buildOrgApp(options);
  synthesized.set(key, built);
  return built;
}

/** The org app's parts, not synthesized (for errors and for bundling checks). */
export function buildOrgDeployment(options: SynthOptions = {}): { app: App; deployment: OrgDeployment } {
  // An empty bundling-stacks list skips esbuild: the assets are placeholders.
  const app = new App({ context: { ...options.context, 'aws:cdk:bundling-stacks': [] } });
  const config = loadGuardConfig((key) => app.node.tryGetContext(key));
  const target = resolveDeploymentTarget({ config, env: options.env ?? {} });
  return { app, deployment: addOrgDeployment(app, config, target) };
}

function buildOrgApp(options: SynthOptions): SynthesizedOrg {
  const { app, deployment } = buildOrgDeployment(options);
  const assembly = app.synth();
  const templates = new Map<OrgStackSetKind, Template>();
  const templateBytes = new Map<OrgStackSetKind, number>();
  for (const [kind, { template }] of deployment.stack.stackSets) {
    const text = readFileSync(path.join(assembly.directory, template.templateFile), 'utf8');
    templates.set(kind, Template.fromJSON(JSON.parse(text)));
    templateBytes.set(kind, Buffer.byteLength(text));
  }
  return { app, deployment, org: Template.fromStack(deployment.stack), templates, templateBytes };
}
