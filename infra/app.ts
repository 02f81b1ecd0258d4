import { App } from 'aws-cdk-lib';
import { defineApp } from './container-lifecycle-app';
import { DeployConfigError } from './deploy-config';

const app = new App();
try {
  defineApp(app);
} catch (error) {
  // A setting the user must supply: say which and how, without a stack trace.
  if (!(error instanceof DeployConfigError)) throw error;
  console.error(`\n${error.message}\n`);
  process.exit(1);
}
app.synth();
