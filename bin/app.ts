#!/usr/bin/env node
// The CDK app: a stateful stack (table, user pool) and a stateless one (functions, HTTP API), checked by cdk-nag.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../lib/app';

const app = new App();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
buildApp(app);
