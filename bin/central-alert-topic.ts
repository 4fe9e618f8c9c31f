#!/usr/bin/env node
// CDK app entry point for the organization's central alert topic alone (deployed once, in the security account):
// reads `organizationId` and `notificationEmails` through the guard's config parser, adds the stack, runs cdk-nag.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { GuardConfigError } from '../lib/config';
import { loadAppConfig, runGuardApp } from '../lib/guard-app';
import { CENTRAL_ALERT_STACK_NAME, CentralAlertTopicStack } from '../lib/org/central-alert-topic-stack';

function main(): void {
  const app = new App();
  const config = loadAppConfig(app);
  if (config.organizationId === undefined) {
    throw new GuardConfigError(
      'organizationId',
      'it is required for the central alert topic',
      'o-abcd123456',
    );
  }
  const region = config.region ?? process.env.CDK_DEFAULT_REGION;
  new CentralAlertTopicStack(app, CENTRAL_ALERT_STACK_NAME, {
    organizationId: config.organizationId,
    emails: config.notificationEmails,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  app.synth();
}

runGuardApp(main);
