#!/usr/bin/env node
// CDK app entry point: reads and validates the context config (unknown keys fail), then adds the guard stacks, or the
// organization deployment when target OUs are set (and cdk-nag).
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { resolveDeploymentTarget } from '../lib/deployment-target';
import { addGuardStacks, loadAppConfig, runGuardApp, watchedRegionsNote } from '../lib/guard-app';
import { addOrgDeployment, orgDeploymentNote } from '../lib/org/org-app';
import { isOrgDeployment } from '../lib/org/org-plan';

function main(): void {
  const app = new App();
  const config = loadAppConfig(app);
  const target = resolveDeploymentTarget({ config, env: process.env });
  if (isOrgDeployment(config)) {
    // Target OUs: the StackSets of the org stack instead of this account's own stacks (docs/organizations.md).
    process.stderr.write(`${orgDeploymentNote(addOrgDeployment(app, config, target))}\n`);
  } else {
    addGuardStacks(app, config, target);
    // The CDK CLI does not show info annotations: say on stderr which Regions are watched in real time.
    process.stderr.write(`${watchedRegionsNote(target, config)}\n`);
  }
  // Secure by default: synth fails on any AwsSolutions finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

runGuardApp(main);
