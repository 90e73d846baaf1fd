import AxeBuilder from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchEnvironment } from '../../scripts/bench/setup.js';
import { demoOfficers, registerDemoIdentityProvider, startDemoIdentityProvider, type DemoIdentityProvider } from '../../scripts/demo-identity-provider.js';
import { parseConfig } from '../../src/env.js';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';
import { escalateOverdue } from '../../src/scheduled.js';

/**
 * Issue #16: the station app at /app of the Node entry (the same assets Workers serves), signed in
 * through a real OpenID provider on loopback registered as Maharashtra's, in Debian's Chromium
 * with every request off loopback refused. A duty officer records a paid minor's complaint, sees
 * the checklist, completes victim safety and drafts a takedown; the station house officer approves
 * it; the overdue 1930 step shows on the due board as escalated to them; the district supervisor
 * sees the metrics chart. Fixture times are taken from the clock when the run starts, never dates.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
export const screenshotDir = process.env.STATION_APP_SCREENSHOTS ?? join(process.cwd(), 'test-results', 'station-app');

const isLoopback = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};

let env: BenchEnvironment;
let bindings: Record<string, unknown>;
let node: NodeEntry;
let base: string;
let provider: DemoIdentityProvider;
let browser: Browser;
const offLoopback: string[] = [];
const pageErrors: string[] = [];

const officer = (id: string) => demoOfficers.find((candidate) => candidate.id === id)!;
const dutyOfficer = officer('demo-duty-officer-shivajinagar');
const stationHouseOfficer = officer('demo-sho-shivajinagar');
const districtSupervisor = officer('demo-dcp-pune');

/** A datetime-local value `minutes` before now, in the browser's time zone (the run sets it to UTC). */
const localMinutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString().slice(0, 16);

beforeAll(async () => {
  node = await startNodeEntry('station-app', { ALLOW_LOOPBACK_JWKS: 'true' });
  ({ env, base, bindings } = node);
  provider = await startDemoIdentityProvider({ redirectUris: [`${base}/app/`] });
  await registerDemoIdentityProvider(base, await env.token({ roles: ['unit_admin'], unit: 'MH' }), provider.issuer);
  browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArgs });
  mkdirSync(screenshotDir, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await provider?.close();
  await node?.close();
});

/** A device of its own per officer: a fresh context, the network off loopback refused, notifications recorded. */
const stationDesktop = { viewport: { width: 1280, height: 900 } };
/** A low-end Android phone's browser: a 360 px wide touch screen. */
const lowEndPhone = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
};

async function deviceOf(screen: typeof stationDesktop | typeof lowEndPhone = stationDesktop): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ timezoneId: 'UTC', locale: 'en-IN', ...screen });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (isLoopback(url)) return route.continue();
    offLoopback.push(url);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    const shown: { title: string; body?: string }[] = [];
    const page = globalThis as unknown as { shownNotifications: typeof shown; ServiceWorkerRegistration?: { prototype: { showNotification: unknown } } };
    page.shownNotifications = shown;
    class RecordedNotification {
      static permission = 'granted';
      static requestPermission = async () => 'granted';
      constructor(title: string, options?: { body?: string }) {
        shown.push({ title, body: options?.body });
      }
    }
    Object.defineProperty(globalThis, 'Notification', { value: RecordedNotification });
    // Through the service worker, as on a phone.
    if (page.ServiceWorkerRegistration) {
      page.ServiceWorkerRegistration.prototype.showNotification = async (title: string, options?: { body?: string }) => void shown.push({ title, body: options?.body });
    }
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A Content-Security-Policy violation is reported as a console error.
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
  });
  return { context, page };
}

/** Authorization code + PKCE through the provider's "choose a demo officer" page. */
async function signIn(page: Page, name: string) {
  await page.goto(`${base}/app/`);
  await page.getByRole('button', { name: /Sign in with Maharashtra Cyber/ }).click();
  await page.getByRole('heading', { name: 'Choose a demo officer' }).waitFor();
  await page.getByRole('button', { name }).click();
  await page.waitForURL(`${base}/app/**`);
  await page.getByText(name).first().waitFor();
}

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  expect(serious.map((violation) => `${what}: ${violation.id} (${violation.impact}) ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`)).toEqual([]);
}

const screenshot = (page: Page, name: string) => page.screenshot({ path: join(screenshotDir, `${name}.png`), fullPage: true });

describe('the station app in headless Chromium', () => {
  let caseId: string;

  it('keeps the initial JavaScript within 150 KB gzipped, with everything bundled', () => {
    const folder = join(process.cwd(), 'assets', 'app');
    const html = readFileSync(join(folder, 'index.html'), 'utf8');
    expect(html).not.toMatch(/https?:\/\//);
    const entry = /<script type="module" crossorigin src="\/app\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const preloaded = [...html.matchAll(/<link rel="modulepreload" crossorigin href="\/app\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!);
    const initial = [entry!, ...preloaded].reduce((total, file) => total + gzipSync(readFileSync(join(folder, file))).length, 0);
    expect(initial).toBeLessThanOrEqual(150 * 1024);
    expect(readdirSync(join(folder, 'assets')).some((file) => file.startsWith('supervisor-page'))).toBe(true);
  });

  it('serves the app at /app/ under a policy that admits only its own scripts and styles', async () => {
    expect((await fetch(`${base}/app`, { redirect: 'manual' })).headers.get('location')).toBe('/app/');
    const page = await fetch(`${base}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self';/);
    expect(page.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('a duty officer records a paid minor’s complaint, sees the checklist, completes victim safety and drafts a takedown', async () => {
    const { context, page } = await deviceOf();
    await signIn(page, dutyOfficer.name);
    await expectAccessible(page, 'due board');

    await page.getByRole('link', { name: 'New complaint' }).click();
    await page.getByRole('heading', { name: 'Victim safety first' }).waitFor();
    await expectAccessible(page, 'safety screen');
    await page.getByRole('button', { name: 'Next: start the clock' }).click();
    await expect.poll(() => page.getByText('Choose the risk level.').isVisible()).toBe(true);
    await page.getByLabel(/^Medium/).check();
    await page.locator('input[name="minor"][value="yes"]').check();
    await page.getByText('POCSO applies').waitFor();
    await page.getByLabel('Never contact the victim through their family').check();
    await page.getByRole('button', { name: 'Next: start the clock' }).click();

    await page.getByRole('heading', { name: 'Start the clock' }).waitFor();
    // The new stage's heading has the focus: a screen reader announces where the officer is.
    const focused = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string | null } | null } }).document.activeElement?.textContent);
    await expect.poll(focused).toBe('Start the clock');
    await page.getByLabel('Complainant’s name').fill('Sunita Deshmukh');
    await page.getByLabel('Relation to the victim').selectOption('parent');
    await page.getByLabel('Complainant’s phone').fill('98123 45610');
    await page.getByLabel('Victim’s name').fill('Rohan Deshmukh');
    await page.getByLabel('Victim’s age').fill('17');
    await page.getByLabel('When did the offender first make contact?').fill(localMinutesAgo(180));
    await page.getByLabel('instagram').check();
    await page.getByLabel('Money was paid to the offender').check();
    // A payment in the future is refused with a pointer at the field: the message shows under it.
    await page.getByLabel('Amount (₹)').fill('5000');
    await page.getByLabel('When was it paid?').fill(localMinutesAgo(-600));
    await page.getByLabel('Paid to (UPI ID)').fill('QuickCash@YBL');
    await page.getByRole('button', { name: 'Register the complaint' }).click();
    await page.getByRole('alert').getByText('Some details need correcting').waitFor();
    await expect.poll(() => page.locator('.field.invalid').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'intake with a field error');
    await screenshot(page, '1-intake-field-error');
    await page.getByLabel('When was it paid?').fill(localMinutesAgo(120));
    await page.getByRole('button', { name: 'Register the complaint' }).click();

    await page.getByText('The complaint is registered and the checklist is running.').waitFor();
    caseId = new URL((await page.getByRole('link', { name: 'Open the case' }).getAttribute('href'))!, base).hash.replace('#/cases/', '');
    await page.getByLabel('Kind').first().selectOption('url');
    await page.getByLabel('As written').fill('https://www.instagram.com/priya.sharma_22/');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText('Added to the case').waitFor();
    await page.getByRole('button', { name: 'Go to the checklist' }).click();

    const checklist = page.locator('.checklist');
    await checklist.getByText('Report the payment on the 1930 helpline').waitFor();
    await expect.poll(() => checklist.locator('[data-step="report-1930"] .countdown.overdue').count()).toBe(1);
    await expect.poll(() => page.locator('.case-header').getByText('Minor').isVisible()).toBe(true);
    // The safety screen of the intake completed the victim-safety step: it is among the closed ones.
    expect(await checklist.locator('[data-step^="victim-safety"]').count()).toBe(0);
    await checklist.getByText(/Closed steps/).click();
    await expect.poll(() => checklist.locator('.closed-steps').innerText()).toMatch(/done/);

    await page.getByLabel('Platform', { exact: true }).fill('instagram');
    await page.getByLabel('Request', { exact: true }).selectOption('takedown');
    await page.getByRole('button', { name: 'Draft the request' }).click();
    const request = page.locator('.request-list li').first();
    await request.getByText('Draft', { exact: true }).waitFor();
    await expect.poll(() => request.locator('.letter').innerText()).toMatch(/instagram|Instagram/);
    // A takedown is a police order: the station house officer approves it, not the duty officer.
    expect(await request.getByRole('button', { name: 'Approve' }).count()).toBe(0);

    // Evidence: the fingerprint is taken in the browser, and only the fingerprint is sent.
    const screenshotBytes = Buffer.from(`threat message on instagram, ${caseId}`);
    const evidenceUploads: string[] = [];
    page.on('request', (sent) => {
      if (sent.url().endsWith(`/v1/cases/${caseId}/evidence`) && sent.method() === 'POST') evidenceUploads.push(sent.postData() ?? '');
    });
    await page.getByLabel('File', { exact: true }).setInputFiles({ name: 'threat.png', mimeType: 'image/png', buffer: screenshotBytes });
    const sha256 = createHash('sha256').update(screenshotBytes).digest('hex');
    await page.locator('.evidence form .hash code').getByText(sha256).waitFor();
    await page.getByLabel('Description').fill('Threat message');
    await page.getByRole('button', { name: 'Record the evidence' }).click();
    const recorded = page.locator('.evidence-list li').first();
    await recorded.getByText(sha256).waitFor();
    await recorded.getByText('taken on the device').waitFor();
    await recorded.getByText('Custody').click();
    await recorded.locator('.custody').getByText(/captured/).waitFor();
    expect(evidenceUploads).toHaveLength(1);
    expect(JSON.parse(evidenceUploads[0]!)).toMatchObject({ sha256, fileName: 'threat.png', sizeBytes: screenshotBytes.length });
    expect(JSON.parse(evidenceUploads[0]!)).not.toHaveProperty('content');
    await expectAccessible(page, 'case page');
    await screenshot(page, '2-case-checklist');
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({ path: join(screenshotDir, 'case-page.png') });
    await context.close();
  });

  it('the station house officer approves the takedown, and sees the overdue 1930 step on the due board as escalated to them', async () => {
    const { context, page } = await deviceOf();
    await signIn(page, stationHouseOfficer.name);
    await page.goto(`${base}/app/#/cases/${caseId}`);
    const request = page.locator('.request-list li').first();
    await request.getByRole('button', { name: 'Approve' }).click();
    await request.getByText('Approved', { exact: true }).waitFor();
    await request.getByText(/approved by/).waitFor();
    // Sent: the first platform request of the case, whose answer the platform's clock now runs for.
    await request.getByRole('button', { name: 'Mark as sent' }).click();
    await request.getByText('Sent', { exact: true }).waitFor();
    await page.locator('.checklist').getByText(/Closed steps/).click();
    await expect.poll(() => page.locator('.closed-steps').innerText()).toMatch(/Ask the platform to take the content down/);

    await page.getByRole('link', { name: 'Due now' }).click();
    await page.locator('#escalated-to-me').getByText('Nothing is escalated to you.').waitFor();
    const parsed = parseConfig(bindings);
    if (!parsed.ok) throw new Error('the bindings do not parse');
    await escalateOverdue(parsed.config, new Date());
    // The event feed brings step.escalated: the board reads again, and the browser notifies the officer.
    const escalated = page.locator('#escalated-to-me [data-step="report-1930"]');
    await escalated.waitFor({ timeout: 60_000 });
    await expect.poll(() => escalated.innerText()).toMatch(/Escalated to Station house officer/);
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { shownNotifications: { title: string }[] }).shownNotifications.map((shown) => shown.title)), { timeout: 30_000 })
      .toContain('A step was escalated to you');
    await expectAccessible(page, 'due board with an escalation');
    await screenshot(page, '3-due-board-escalated');

    // The escalated step, handled: the 1930 ticket recorded on the case completes it.
    await escalated.getByRole('link').click();
    await page.getByLabel('Kind', { exact: true }).first().waitFor();
    await page.locator('.references').getByLabel('Number').fill('1930-2026-000123');
    await page.locator('.references').getByRole('button', { name: 'Add' }).click();
    await page.locator('.references').getByText('1930-2026-000123').waitFor();
    await expect.poll(() => page.locator('.checklist [data-step="report-1930"]').count()).toBe(0);
    await context.close();
  });

  it('the district supervisor sees overdue steps by station and the metrics charts, in Marathi too', async () => {
    // Another complaint at Shivajinagar, reported through the API, whose 1930 call is overdue at intake.
    const reported = await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await env.token({ roles: ['duty_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR' })}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        complainant: { name: 'Second complainant' },
        victim: { age: 22 },
        incident: { firstContactAt: new Date(Date.now() - 4 * 3_600_000).toISOString(), imagesCirculated: false, platforms: ['whatsapp'] },
        payments: [{ amount: '2000', paidAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), method: 'upi' }],
      }),
    });
    expect(reported.status, await reported.clone().text()).toBe(201);
    const { context, page } = await deviceOf();
    await signIn(page, districtSupervisor.name);
    await page.getByRole('heading', { name: /Supervision: MH-PUNE/ }).waitFor();
    await page.getByRole('cell', { name: 'MH-PUNE-SHIVAJINAGAR' }).waitFor();
    await page.locator('#chart-on-time canvas').waitFor();
    await page.locator('#chart-first-request canvas').waitFor();
    await page.getByText('The month at a glance').waitFor();
    await expectAccessible(page, 'supervision');
    await screenshot(page, '4-supervisor');
    await page.getByLabel('Language').selectOption('mr');
    await expect.poll(() => page.locator('html').getAttribute('lang')).toBe('mr');
    await expect.poll(() => page.locator('nav').innerText()).not.toMatch(/Due now/);
    await screenshot(page, '5-supervisor-marathi');
    await context.close();
  });

  it('the unit supervisor sees the whole unit, or one district chosen', async () => {
    const { context, page } = await deviceOf();
    await signIn(page, officer('demo-unit-supervisor-mh').name);
    await page.getByRole('heading', { name: 'Supervision: MH' }).waitFor();
    await page.getByRole('cell', { name: 'MH-PUNE-SHIVAJINAGAR' }).waitFor();
    await page.getByLabel('District').selectOption('MH-PCMC');
    await page.getByRole('heading', { name: 'Supervision: MH-PCMC' }).waitFor();
    await page.getByText('No step is overdue.').waitFor();
    await page.getByLabel('District').selectOption('MH-PUNE');
    await page.getByRole('cell', { name: 'MH-PUNE-SHIVAJINAGAR' }).waitFor();
    await page.locator('#chart-on-time canvas').waitFor();
    await context.close();
  });

  it('works on a low-end phone’s screen: no page is wider than the screen', async () => {
    const { context, page } = await deviceOf(lowEndPhone);
    await signIn(page, dutyOfficer.name);
    const fitsTheScreen = () => page.evaluate(() => {
        const view = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
        return view.document.documentElement.scrollWidth <= view.innerWidth;
      });
    expect(await fitsTheScreen()).toBe(true);
    await page.getByRole('link', { name: 'New complaint' }).click();
    await page.getByRole('heading', { name: 'Victim safety first' }).waitFor();
    expect(await fitsTheScreen()).toBe(true);
    await screenshot(page, '6-phone-safety-screen');
    await page.goto(`${base}/app/#/cases/${caseId}`);
    await page.locator('.checklist [data-step]').first().waitFor();
    expect(await fitsTheScreen()).toBe(true);
    await expectAccessible(page, 'case page on a phone');
    await context.close();
  });

  it('on a shared station desktop, the next officer signs in as themselves once the first signed out, here and at the provider', async () => {
    const { context, page } = await deviceOf();
    await signIn(page, dutyOfficer.name);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out of the demo provider?' }).waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: /Sign in with Maharashtra Cyber/ }).waitFor();
    await signIn(page, stationHouseOfficer.name);
    expect(await page.locator('header .who').innerText()).not.toContain(dutyOfficer.name);
    await context.close();
  });

  it('sends an officer whose token the API no longer accepts back to sign in', async () => {
    const { context, page } = await deviceOf();
    await signIn(page, dutyOfficer.name);
    await page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void } }).sessionStorage;
      const session = JSON.parse(storage.getItem('sop.session')!) as { accessToken: string };
      storage.setItem('sop.session', JSON.stringify({ ...session, accessToken: `${session.accessToken.slice(0, -4)}AAAA` }));
    });
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: /Sign in with Maharashtra Cyber/ }).waitFor();
    await context.close();
  });

  it('fetched nothing off loopback and threw no error in any page', () => {
    expect(offLoopback).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
