// Stands in for @aws-sdk/credential-provider-node, the SDK's default credential chain, in the function bundles
// (FUNCTION_BUNDLING's --alias in lib/api-function.ts). The chain tries the environment first, then SSO, the shared
// ini files, credential processes, web identity tokens and the ECS and EC2 metadata services. A Lambda function
// gets its execution role's credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN), and so does a `sam local` container, so there the first link always answers and the others,
// with the STS, SSO and sign-in clients they bundle (about 135 KB), are never run. Without those variables a call
// fails with the SDK's CredentialsProviderError, as the chain would. The local server and the tests do not use the
// bundles: they keep the whole chain.
import { fromEnv, type FromEnvInit } from '@aws-sdk/credential-provider-env';

/** The chain's entry point, as the DynamoDB client's runtime configuration calls it (with its logger). */
export const defaultProvider = (init: FromEnvInit = {}) => fromEnv(init);
