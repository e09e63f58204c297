// Stands in for `semver` in the function bundles (FUNCTION_BUNDLING in lib/api-function.ts). Its only user there is
// aws-xray-sdk-core's patcher for the AWS SDK v2 (captureAWS), which these functions never call: they use SDK v3
// and tracer.captureAWSv3Client. Reaching it anyway fails loudly instead of silently skipping the version check.
'use strict';

const unused = () => {
  throw new Error('semver is not bundled: AWS SDK v2 tracing (captureAWS) is not available in these functions');
};

module.exports = { gte: unused, satisfies: unused, valid: unused, coerce: unused };
