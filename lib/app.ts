import type { App } from 'aws-cdk-lib';
import { ApiStack } from './api-stack';
import { readDeployConfig } from './deploy-config';
import { StateStack } from './state-stack';

/** Both stacks of the app, from the app's context (shared by bin/app.ts and the template tests). */
export const buildApp = (app: App): { state: StateStack; api: ApiStack } => {
  const config = readDeployConfig(app.node);
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const state = new StateStack(app, 'ObpPersonApiState', { env, withUserPool: !config.jwtIssuer });
  const api = new ApiStack(app, 'ObpPersonApi', {
    env,
    table: state.table,
    config,
    userPool: state.userPool,
    userPoolClient: state.userPoolClient,
  });
  return { state, api };
};
