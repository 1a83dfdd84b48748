// End-to-end: the seeded demo site's campaigns (sites/demo.json), on its own pages (/demo/ and /demo/pricing.html)
// as `cargo xtask dev` serves them, each shown under its conditions and not otherwise:
// - `pricing-help`: a bubble from Sales after 20 s on the pricing page while a Sales agent is online;
// - `exit-wholesale`: a lead popup on exit intent while nobody is online;
// - `club-banner`: a banner at half the page for returning visitors, at most twice.
// Time is Playwright's clock in the visitor's page (`context.clock`: installed before the page loads, then moved on
// with `fastForward`), so 20 s of dwell or 30 minutes between visits cost nothing; the worker and the agent's console
// run on real time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { createAdmin } from './support/agents.mjs';
import { API, launch } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const stamp = Date.now().toString(36);
const MINUTE = 60_000;

const suite = { browser: undefined };
before(async () => {
  suite.browser = await launch();
});
after(async () => {
  await suite.browser?.close();
});

/** The demo site's staffing as the worker says it now. */
async function staffing() {
  const answer = await fetch(`${API}/v1/sites/demo/staffing`);
  assert.equal(answer.status, 200);
  return answer.json();
}

/** Waits until the worker counts Sales online (`online`) or nobody (an agent's console that just closed may take a
 * moment to leave). */
async function salesOnline(online) {
  const deadline = Date.now() + 15_000;
  let now;
  do {
    now = await staffing();
    if (now.teams_online.includes('sales') === online && (online || now.teams_online.length === 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  assert.fail(`staffing never became ${online ? 'Sales online' : 'nobody online'}: ${JSON.stringify(now)}`);
}

/** Runs `body` while a Sales agent has the console open. */
async function withSalesOnline(body) {
  const sales = await createAdmin('demo', `Demo Sales ${stamp}`, ['sales']);
  const agent = await ConsolePage.open(suite.browser, `token=${sales.token}`);
  try {
    await salesOnline(true);
    await body();
  } finally {
    await agent.context.close();
  }
}

/** A fresh visitor (own storage, own clock, a short window so the pages scroll). */
async function newVisitor() {
  const context = await suite.browser.newContext({ viewport: { width: 1000, height: 500 } });
  await context.clock.install();
  const page = await context.newPage();
  return { context, page, clock: context.clock, card: page.getByTestId('baton-campaign') };
}

/** Opens `path` of the demo and waits until the widget has its configuration and, when it asks, the worker's staffing
 * (a campaign for people online or nobody online waits for it). */
async function open(page, path, { staffed = true } = {}) {
  const asked = staffed
    ? page.waitForResponse((response) => response.url().endsWith('/v1/sites/demo/staffing'))
    : null;
  await page.goto(`${API}${path}`);
  await new WidgetPage(page).launcher.waitFor();
  await page.waitForFunction(() => localStorage.getItem('baton:demo:widget-config') !== null);
  if (asked) await asked;
  // The check that follows the answer.
  await page.waitForTimeout(200);
}

/** Asserts that no campaign is on screen for `ms` of real time. */
async function noCampaignFor(page, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    assert.equal(await page.getByTestId('baton-campaign').count(), 0, 'no campaign should be shown');
    await page.waitForTimeout(100);
  }
}

async function exitIntent(page) {
  await page.evaluate(() =>
    document.documentElement.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientX: 300, clientY: -2 })),
  );
}

async function scrollTo(page, share) {
  await page.evaluate((at) => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * at), share);
}

test('pricing-help: with Sales online, the bubble from Sales shows after 20 s on the pricing page, not before, and not on another page', async () => {
  await withSalesOnline(async () => {
    const pricing = await newVisitor();
    await open(pricing.page, '/demo/pricing.html');
    await pricing.clock.fastForward(15_000);
    await noCampaignFor(pricing.page, 700);
    await pricing.clock.fastForward(6_000);
    await pricing.card.waitFor({ timeout: 10_000 });
    assert.equal(await pricing.card.getAttribute('data-campaign'), 'pricing-help');
    assert.equal(await pricing.card.getAttribute('role'), 'status');
    assert.match(await pricing.card.textContent(), /Sales/);
    await pricing.context.close();

    const home = await newVisitor();
    await open(home.page, '/demo/');
    await home.clock.fastForward(25_000);
    await noCampaignFor(home.page, 1_000);
    await home.context.close();
  });
});

test('pricing-help: while nobody from Sales is online, no bubble however long the visitor stays', async () => {
  await salesOnline(false);
  const { context, page, clock } = await newVisitor();
  await open(page, '/demo/pricing.html');
  await clock.fastForward(25_000);
  await noCampaignFor(page, 700);
  await clock.fastForward(60_000);
  await noCampaignFor(page, 700);
  await context.close();
});

test('exit-wholesale: while nobody is online, leaving towards the tabs opens the lead popup; with Sales online it does not', async () => {
  await salesOnline(false);
  const nobody = await newVisitor();
  await open(nobody.page, '/demo/');
  await noCampaignFor(nobody.page, 500);
  await exitIntent(nobody.page);
  await nobody.card.waitFor({ timeout: 10_000 });
  assert.equal(await nobody.card.getAttribute('data-campaign'), 'exit-wholesale');
  assert.equal(await nobody.card.getAttribute('role'), 'dialog');
  assert.match(await nobody.card.textContent(), /Wholesale prices for your café/);
  for (const field of ['name', 'email', 'website']) {
    assert.equal(await nobody.card.getByTestId(`baton-field-${field}`).count(), 1, `the lead form asks for ${field}`);
  }
  assert.equal(await nobody.card.getByTestId('baton-consent').count(), 1);
  await nobody.context.close();

  await withSalesOnline(async () => {
    const staffed = await newVisitor();
    await open(staffed.page, '/demo/');
    await exitIntent(staffed.page);
    await noCampaignFor(staffed.page, 1_500);
    await staffed.context.close();
  });
});

test('club-banner: at half the page for a returning visitor, not on the first visit, and at most twice', async () => {
  const { context, page, clock, card } = await newVisitor();
  // The first visit: a new visitor. (The banner does not wait for staffing, whose answer the browser may cache.)
  await open(page, '/demo/', { staffed: false });
  await scrollTo(page, 0.6);
  await noCampaignFor(page, 1_000);
  for (const visit of [2, 3, 4]) {
    // A visit ends after 30 minutes without a page.
    await clock.fastForward(31 * MINUTE);
    await open(page, '/demo/', { staffed: false });
    await scrollTo(page, 0.3);
    await noCampaignFor(page, 500);
    await scrollTo(page, 0.6);
    if (visit === 4) {
      // Shown twice already: not again.
      await noCampaignFor(page, 2_000);
      continue;
    }
    await card.waitFor({ timeout: 10_000 }).catch(() => assert.fail(`no banner on visit ${visit}`));
    assert.equal(await card.getAttribute('data-campaign'), 'club-banner', `visit ${visit}`);
    assert.match(await card.textContent(), /Coffee Club/);
    const box = await card.boundingBox();
    assert.equal(Math.round(box.y + box.height), 500, 'a banner at the bottom');
  }
  await context.close();
});
