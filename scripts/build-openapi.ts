// `npm run build:openapi`: writes the OpenAPI 3.1 document (scripts/openapi.ts) to generated/openapi.json. Fails,
// and writes nothing, when an operation lacks a schema or a response.
import { writeOpenApi } from './openapi';

try {
  const document = writeOpenApi();
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(`built generated/openapi.json: ${Object.keys(document.paths).length} paths, ${operations} operations, ${Object.keys(document.components.schemas).length} schemas`);
} catch (error) {
  console.error(`Cannot build the OpenAPI document: ${(error as Error).message}`);
  process.exit(1);
}
