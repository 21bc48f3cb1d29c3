import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort, startNode, type RunningProcess } from '../e2e/processes';

// The docs pages as a new user meets them: local mode's built server, Debian's Chromium (headless, driven by
// playwright-core; no browser is downloaded). Swagger UI: Authorize, "Try it out" with the example body, a 201.
// GraphiQL: the example mutation it opens with, a PaymentIntent.

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const available = existsSync(CHROMIUM);
if (!available) console.warn(`browser tests skipped: Chromium not found at ${CHROMIUM} (apt-get install chromium)`);

const BANNER_DONE = /The same over GraphQL:[\s\S]*-d '\{"query"[^\n]*'\n/;

interface Local {
  baseUrl: string;
  clientId: string;
  writeKey: string;
  readKey: string;
  priceOneTime: string;
  taxRate: string;
  tenants: { pays: { tenantId: string; userId: string } };
}

/** Runs a browser step; when it fails, a screenshot of the page is left in the temp folder and named in the error. */
async function step<T>(page: Page, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const file = path.join(tmpdir(), `docs-pages-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    if (error instanceof Error) error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

(available ? describe : describe.skip)('the docs pages in Chromium (local mode)', () => {
  let dataDir: string | undefined;
  let profile: string | undefined;
  let server: RunningProcess | undefined;
  let browser: BrowserContext | undefined;
  let local: Local;
  /** Every request a page made anywhere but this server (a CDN, a validator badge): there must be none. */
  const foreign: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-docs-pages-'));
    profile = mkdtempSync(path.join(tmpdir(), 'tsinv-chromium-profile-'));
    const env = { DATA_DIR: dataDir, PORT: String(await freePort()), STRIPE_EMULATOR_PORT: String(await freePort()) };
    server = await startNode('main.js', [], env, BANNER_DONE, 40_000);
    local = JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8')) as Local;
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 },
    });
    browser.setDefaultTimeout(15_000);
    browser.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith(`${local.baseUrl}/`) && !/^(blob|data):/.test(url)) foreign.push(url);
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    for (const folder of [profile, dataDir]) if (folder) rmSync(folder, { recursive: true, force: true });
  }, 30_000);

  it('Swagger UI: authorized with the local credentials, "Try it out" with the example body answers 201 with the invoice and PaymentIntent', async () => {
    const page = await browser!.newPage();
    await page.goto(`${local.baseUrl}/api/v1/docs`);

    await step(page, 'authorize', async () => {
      await page.locator('.auth-wrapper button.authorize').click();
      const schemes = page.locator('.modal-ux .auth-container');
      await schemes.first().waitFor();
      expect(await schemes.count()).toBe(3);
      const values: Record<string, string> = { 'X-API-KEY': local.writeKey, 'X-API-KEY-TYPE': 'write', 'X-CLIENT-ID': local.clientId };
      for (const [name, value] of Object.entries(values)) {
        const scheme = schemes.filter({ has: page.locator('h4', { hasText: new RegExp(`^${name}\\s`) }) });
        // Local mode authorized it as the page loaded...
        expect(await scheme.locator('h6').innerText()).toBe('Authorized');
        // ...and the dialog works as it does in production: log out, enter the credential, authorize.
        await scheme.locator('button', { hasText: 'Logout' }).click();
        await scheme.locator('input').fill(value);
        await scheme.locator('button', { hasText: 'Authorize' }).click();
        await scheme.locator('h6', { hasText: 'Authorized' }).waitFor();
      }
      await schemes.first().locator('button', { hasText: 'Close' }).click();
      await page.locator('.modal-ux').waitFor({ state: 'detached' });
    });

    const create = page.locator('.opblock.opblock-post', { has: page.locator('[data-path="/api/v1/tenants/{tenantId}/stripe-invoices"]') });
    await step(page, 'try-it-out', async () => {
      await create.locator('.opblock-summary').click();
      await create.locator('button.try-out__btn', { hasText: 'Try it out' }).click();
      const tenant = create.locator('tr[data-param-name="tenantId"] input');
      // The path's example is the paying tenant; fill it in should a Swagger UI version leave it empty.
      if ((await tenant.inputValue()) === '') await tenant.fill(local.tenants.pays.tenantId);
      expect(await tenant.inputValue()).toBe(local.tenants.pays.tenantId);
      const body = JSON.parse(await create.locator('textarea.body-param__text').inputValue()) as Record<string, unknown>;
      expect(body).toEqual({
        price: local.priceOneTime, taxRate: local.taxRate, mode: 'payment', quantity: 1, userId: local.tenants.pays.userId, test: true,
      });
      await create.locator('button.execute', { hasText: 'Execute' }).click();
    });

    const answer = await step(page, 'response', async () => {
      const response = create.locator('.live-responses-table .response');
      await response.first().waitFor({ timeout: 30_000 });
      expect((await response.locator('.response-col_status').first().innerText()).trim()).toBe('201');
      return JSON.parse(await response.locator('.response-col_description pre').first().innerText()) as {
        data: { paymentIntents: { id: string; status: string }; invoice: { id: string } };
      };
    });
    expect(answer.data.paymentIntents).toMatchObject({ id: expect.stringMatching(/^pi_/), status: 'succeeded' });
    expect(answer.data.invoice.id).toMatch(/^in_/);

    // The charge is the service's: the invoice reads back with the read key.
    const read = await fetch(`${local.baseUrl}/api/v1/tenants/${local.tenants.pays.tenantId}/stripe-invoices/${answer.data.invoice.id}`, {
      headers: { 'x-api-key': local.readKey, 'x-api-key-type': 'read', 'x-client-id': local.clientId },
    });
    expect(read.status).toBe(200);
    expect(foreign).toEqual([]);
    await page.close();
  }, 90_000);

  it('GraphiQL: the example mutation it opens with charges the paying tenant (a PaymentIntent id in the result pane)', async () => {
    const page = await browser!.newPage();
    await page.goto(`${local.baseUrl}/graphql`);

    const result = await step(page, 'graphiql', async () => {
      // The editor holds three operations (Invoices, Preview, Charge): the run button asks which one.
      const run = page.getByRole('button', { name: /Execute query/ });
      const charge = page.getByRole('menuitem', { name: 'Charge' });
      for (let attempt = 1; ; attempt += 1) {
        await run.click();
        try {
          await charge.waitFor({ timeout: 2_000 });
          break;
        } catch (error) {
          // The editor may still be loading its query: try again.
          if (attempt === 10) throw error;
        }
      }
      await charge.click();
      const pane = page.locator('.graphiql-response', { hasText: 'CreateStripeInvoiceSuccess' });
      await pane.waitFor({ timeout: 30_000 });
      // The editor shows spaces as no-break spaces.
      return (await pane.innerText()).replace(/\s+/g, ' ');
    });
    expect(result).toMatch(/"status": "succeeded"/);
    expect(result).toMatch(/"id": "pi_[A-Za-z0-9]+"/);
    expect(result).toMatch(/"id": "in_[A-Za-z0-9]+"/);
    expect(foreign).toEqual([]);
    await page.close();
  }, 90_000);
});
