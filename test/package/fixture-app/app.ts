// Packaging fixture: a minimal CDK app that uses the construct as an installed package (test/package/check-package.ts).
import { App, Stack } from 'aws-cdk-lib';
import { EksEcrGuard, type EksEcrGuardProps } from 'eks-ecr-guard';

const props: EksEcrGuardProps = { mode: 'alert', notificationEmails: ['oncall@example.com'] };
const app = new App();
const stack = new Stack(app, 'FixtureGuard', { env: { account: '111122223333', region: 'us-east-1' } });
new EksEcrGuard(stack, 'Guard', props);
app.synth();
