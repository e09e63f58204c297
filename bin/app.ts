#!/usr/bin/env node
// The CDK app: a stateful stack (key, table, backups, user pool) and a stateless one (functions, HTTP API), checked
// on every synth by cdk-nag and cfn-guard (lib/compliance.ts).
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/app';
import { registerCompliancePlugins } from '../lib/compliance';

const app = new App();
registerCompliancePlugins(app);
buildApp(app);
