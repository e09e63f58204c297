// `npm run docs:screenshot`: serves the docs page in-process (no DynamoDB needed), opens it in Debian's Chromium
// and saves docs/docs-page.png (1280x900) for the README.
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createDevTokenIssuer } from '../local/dev-tokens';
import { docsRoutes } from '../local/docs';
import { createLocalServer } from '../local/server';
import { launchChromium } from './chromium';

const out = join(__dirname, '..', 'docs', 'docs-page.png');

const main = async (): Promise<void> => {
  const server = createLocalServer({ tokens: await createDevTokenIssuer(), extraRoutes: docsRoutes() });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const chromium = await launchChromium({ width: 1280, height: 900 });
  try {
    const page = await chromium.context.newPage();
    await page.goto(`http://127.0.0.1:${port}/docs`);
    await page.locator('#operations-Person-createCustomer').waitFor({ state: 'visible', timeout: 30_000 });
    // The servers bar, the filter and the Person operations; the API's title and description are above.
    await page.locator('.scheme-container').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: out });
    console.log(`saved ${out}`);
  } finally {
    await chromium.close();
    server.close();
  }
};

main().catch((error: Error) => {
  console.error(`Cannot take the screenshot: ${error.message}`);
  process.exit(1);
});
