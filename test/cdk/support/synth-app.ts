// Test support for the CDK layer: builds the app the way bin/app.ts does, without bundling, and renders templates.
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadGuardConfig } from '../../../lib/config';
import { resolveDeploymentTarget } from '../../../lib/deployment-target';
import { addGuardStacks, type GuardStacks } from '../../../lib/guard-app';

export interface SynthOptions {
  /** Context as cdk.json or `-c key=value` would give it. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** Stand-in for process.env (CDK_DEFAULT_REGION / CDK_DEFAULT_ACCOUNT). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface SynthesizedGuard {
  readonly app: App;
  readonly stacks: GuardStacks;
  readonly home: Template;
  readonly forwarder: Template | undefined;
}

const synthesized = new Map<string, SynthesizedGuard>();

/** Builds (once per distinct options within a test file) and renders the app. Treat the result as read-only. */
export function synthGuardApp(options: SynthOptions = {}): SynthesizedGuard {
  const key = JSON.stringify(options);
  const cached = synthesized.get(key);
  if (cached) return cached;
  const built = buildGuardApp(options);
  synthesized.set(key, built);
  return built;
}

function buildGuardApp(options: SynthOptions): SynthesizedGuard {
  // An empty bundling-stacks list skips esbuild: the asset is a placeholder (scripts/bundle-size.ts bundles).
  const app = new App({ context: { ...options.context, 'aws:cdk:bundling-stacks': [] } });
  const config = loadGuardConfig((key) => app.node.tryGetContext(key));
  const target = resolveDeploymentTarget({ config, env: options.env ?? {} });
  const stacks = addGuardStacks(app, config, target);
  return {
    app,
    stacks,
    home: Template.fromStack(stacks.home),
    forwarder: stacks.forwarder ? Template.fromStack(stacks.forwarder) : undefined,
  };
}
