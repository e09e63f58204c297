import type { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import { readDeployConfig } from './deploy-config';
import { logGroupNamePrefix } from './encryption';
import { StateStack } from './state-stack';

export const STATE_STACK = 'ObpPersonApiState';
export const API_STACK = 'ObpPersonApi';

/** Both stacks of the app, from the app's context (shared by bin/app.ts and the template tests). */
export const buildApp = (app: App): { state: StateStack; api: ApiStack } => {
  const config = readDeployConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const state = new StateStack(app, STATE_STACK, { env, withUserPool: !config.jwtIssuer, logGroupNamePrefix: logGroupNamePrefix(API_STACK) });
  const api = new ApiStack(app, API_STACK, {
    env,
    table: state.table,
    key: state.key,
    config,
    userPool: state.userPool,
    userPoolClient: state.userPoolClient,
  });
  return { state, api };
};
