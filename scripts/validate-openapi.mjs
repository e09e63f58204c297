// Validates an OpenAPI document with @apidevtools/swagger-parser (OpenAPI 3.1 schema, every $ref resolved).
// Usage: node scripts/validate-openapi.mjs [file | -]   (default generated/openapi.json; "-" reads stdin)
// Plain ESM run by node, because swagger-parser's own dependencies are ESM-only and jest's CommonJS runtime cannot
// load them; the tests call this script.
import { readFileSync } from 'node:fs';
import SwaggerParser from '@apidevtools/swagger-parser';

const source = process.argv[2] ?? new URL('../generated/openapi.json', import.meta.url).pathname;
try {
  const document = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8'));
  const api = await SwaggerParser.validate(document);
  console.log(`valid OpenAPI ${api.openapi}: ${api.info.title} ${api.info.version}`);
} catch (error) {
  console.error(`invalid OpenAPI document: ${error.message}`);
  process.exit(1);
}
