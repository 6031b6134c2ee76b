#!/usr/bin/env node
// The CDK app: `npx cdk synth|deploy -c mode=serverless|container [-c key=value …]`
// (docs/DEPLOY.md lists every context value).
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildPractica } from '../lib/practica-app';
import { readSettings, SettingsError } from '../lib/settings';

const app = new App();
try {
  buildPractica(app, readSettings(app.node, process.env, path.resolve(__dirname, '..')));
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  // A context value that cannot work: say which, without a stack trace.
  console.error(`practica infra: ${error.message}`);
  process.exit(1);
}
app.synth();
