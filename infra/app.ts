import { App } from 'aws-cdk-lib';
import { StatefulStack } from './stateful-stack';

const app = new App();
const stage = String(app.node.tryGetContext('stage') ?? 'dev');

new StatefulStack(app, `ContainerLifecycle-${stage}-Stateful`, { stage });

app.synth();
