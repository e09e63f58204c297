// Environment of every integration test file (after the global setup has started DynamoDB Local).
process.env.AWS_REGION = 'us-east-1';
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.TABLE_NAME = 'obp-person-api-test';
process.env.JWT_ISSUER = 'https://issuer.test';
process.env.JWT_AUDIENCE = 'obp-person-api-test';
process.env.SUPER_ADMIN_USER_IDS = 'test-admin';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
