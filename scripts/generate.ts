// `npm run generate` (also before npm start, npm test, cdk synth and the bench): everything generated from the
// operations list and the schemas — validators, types, Lambda entries, the OpenAPI document — into generated/,
// which git ignores. Fails, and stops the command that ran it, when any of them cannot be built.
import { buildEntries } from './build-entries';
import { buildTypes } from './build-types';
import { buildValidators } from './build-validators';
import { writeOpenApi } from './openapi';

const main = async (): Promise<void> => {
  const validators = buildValidators();
  const types = await buildTypes();
  const entries = buildEntries();
  const document = writeOpenApi();
  const operations = Object.values(document.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  console.log(
    `generated: ${validators} validators, ${types} schema types, ${entries} Lambda entries, openapi.json (${operations} operations on ${Object.keys(document.paths).length} paths)`,
  );
};

main().catch((error: Error) => {
  console.error(`Cannot generate: ${error.message}`);
  process.exit(1);
});
