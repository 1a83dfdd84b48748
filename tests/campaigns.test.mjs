// End-to-end: campaigns in the browser, on a host page of another origin (tests/support/campaign-host.mjs) and the
// `campaigns` test site (tests/sites/campaigns.json, one campaign per path). Triggers (dwell, scroll, exit intent, a
// click on a selector, a tracked event, the assistant struggling, `Baton('show')`), a page already scrolled when the
// widget loads, a single-page route change cancelling a pending campaign, once-only and dismissal across reloads, the
// formats' accessibility, the actions, click-to-chat, and what `Baton('on', 'campaign')` and the worker are told.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { API, launch } from './support/browser.mjs';
import { startCampaignHost } from './support/campaign-host.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

const suite = { browser: undefined, host: undefined };
before(async () => {
  suite.browser = await launch();
  suite.host = await startCampaignHost(API);
});
after(async () => {
  await suite.browser?.close();
  await suite.host?.close();
});

/** A fresh visitor (own storage) on `path` of the host page, once the widget is on the page and its campaigns
 * have started (the site's configuration has arrived). Resolves to { context, page, widget, card, startedAt }. */
async function visit(path, { context } = {}) {
  context ??= await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(suite.host.url(path));
  return { context, page, ...(await settled(page)) };
}

/** Waits for the widget and its configuration (kept in localStorage once fetched). */
async function settled(page) {
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  await page.waitForFunction(() => Object.keys(localStorage).some((key) => key.endsWith(':widget-config')));
  return { widget, card: page.getByTestId('baton-campaign'), startedAt: Date.now() };
}

/** What `Baton('on', 'campaign')` reported so far, as `id:what` strings. */
function reported(page) {
  return page.evaluate(() => window.campaignEvents.map((event) => `${event.id}:${event.what}`));
}

/** Asserts that no campaign is on screen for `ms` (a campaign showing too early fails the test). */
async function noCampaignFor(page, ms) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    assert.equal(await page.getByTestId('baton-campaign').count(), 0, 'no campaign should be shown yet');
    await page.waitForTimeout(100);
  }
}

/** The page is hidden: the widget sends what it queued with sendBeacon; resolves to the batches sent so far. */
async function hideAndCollect(page) {
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => window.sentBatches.length > 0);
  return page.evaluate(() => window.sentBatches);
}

test('a dwell bubble shows after its seconds on the page, not before; from the team, announced politely; its click opens the chat with the message, attributed to the campaign', async () => {
  const { context, page, widget, card, startedAt } = await visit('/pricing');
  await noCampaignFor(page, 2_000);
  await card.waitFor({ timeout: 10_000 });
  assert.ok(Date.now() - startedAt >= 2_500, `shown ${Date.now() - startedAt} ms after the page settled`);
  assert.equal(await card.getAttribute('data-campaign'), 'dwell-pricing');
  assert.equal(await card.getAttribute('role'), 'status');
  assert.equal(await card.getAttribute('aria-live'), 'polite');
  assert.match(await card.textContent(), /Sales/, 'the team is named as the sender');
  assert.equal(await card.locator('strong').textContent(), 'plans', 'the text is Markdown');

  const created = page.waitForRequest(
    (request) => request.url().endsWith('/v1/sites/widget-campaigns/conversations') && request.method() === 'POST',
  );
  await page.getByTestId('baton-campaign-action').click();
  await widget.panel.waitFor();
  assert.equal(await widget.input.inputValue(), 'I have a question about pricing');
  assert.deepEqual(JSON.parse((await created).postData()).campaign, { id: 'dwell-pricing' });
  await card.waitFor({ state: 'detached' });
  assert.deepEqual(await reported(page), ['dwell-pricing:shown', 'dwell-pricing:clicked']);

  const batches = await hideAndCollect(page);
  const events = batches.flatMap((batch) => batch.events);
  assert.deepEqual(events.map((event) => `${event.campaign}:${event.what}`), ['dwell-pricing:shown', 'dwell-pricing:clicked']);
  assert.ok(batches[0].visitor.length >= 16, 'a stable anonymous visitor id');
  await context.close();
});

test('a page scrolled past half before the widget loaded shows the banner without another scroll', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  // The widget's code is held back until the visitor has scrolled (it loads once the page is idle, so a quick
  // reader can be half way down by then).
  let release;
  const held = new Promise((resolve) => {
    release = resolve;
  });
  await page.route(/\/widget\/baton_widget\.js/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(suite.host.url('/long'));
  await page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6));
  release();
  const { card } = await settled(page);
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'scroll-banner');
  await context.close();
});

test('scrolling half way down shows the bottom banner; its link navigates', async () => {
  const { context, page, card } = await visit('/long');
  await page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.3));
  await noCampaignFor(page, 1_000);
  await page.evaluate(() => window.scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.6));
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'scroll-banner');
  const box = await card.boundingBox();
  const viewport = page.viewportSize();
  assert.equal(Math.round(box.width), viewport.width, 'a banner is as wide as the page');
  assert.equal(Math.round(box.y + box.height), viewport.height, 'at the bottom');
  // The link leaves for the site's subscription page (answered here, so nothing else is needed).
  await page.route('http://127.0.0.1/subscribed', (route) => route.fulfill({ contentType: 'text/html', body: 'Subscribed' }));
  await page.getByTestId('baton-campaign-action').click();
  await page.waitForURL('http://127.0.0.1/subscribed');
  await context.close();
});

test('exit intent shows a popup dialog: focus moves in, Escape closes it and gives focus back; axe-core finds nothing serious', async () => {
  const { context, page, card } = await visit('/exit');
  await page.locator('#other').focus();
  await noCampaignFor(page, 500);
  // The pointer leaves through the top edge, towards the tabs.
  await page.evaluate(() =>
    document.documentElement.dispatchEvent(new MouseEvent('mouseout', { bubbles: true, clientX: 300, clientY: -2 })),
  );
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('role'), 'dialog');
  assert.equal(await card.getAttribute('aria-modal'), 'false');
  const title = await page.evaluate(() => {
    const root = document.querySelector('[data-testid="baton-host"]').shadowRoot;
    const dialog = root.querySelector('[role="dialog"]');
    return root.getElementById(dialog.getAttribute('aria-labelledby'))?.textContent;
  });
  assert.equal(title, 'Before you go');
  const focused = () =>
    page.evaluate(() => document.querySelector('[data-testid="baton-host"]').shadowRoot.activeElement?.dataset.testid);
  assert.equal(await focused(), 'baton-campaign', 'focus is in the dialog');

  // Measured once the card's fade-in has finished (axe reads colours through opacity).
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="baton-host"]').shadowRoot.getAnimations().every((animation) => animation.playState === 'finished'),
  );
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return results.violations
      .filter((violation) => ['serious', 'critical'].includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);

  await page.keyboard.press('Escape');
  await card.waitFor({ state: 'detached' });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'other', 'focus is back where it was');
  assert.deepEqual(await reported(page), ['exit-popup:shown', 'exit-popup:dismissed']);
  await context.close();
});

test('a click on an element inside the selector shows the top banner; other clicks do not', async () => {
  const { context, page, card } = await visit('/click');
  await page.locator('#other').click();
  await noCampaignFor(page, 500);
  await page.locator('#buy-label').click();
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'click-buy');
  const box = await card.boundingBox();
  assert.equal(Math.round(box.y), 0, 'a top banner is at the top');
  await context.close();
});

test('a tracked event shows its campaign; its goal event is reported and recorded', async () => {
  const { context, page, card } = await visit('/shop');
  await page.evaluate(() => Baton('track', 'something_else'));
  await noCampaignFor(page, 500);
  await page.evaluate(() => Baton('track', 'added_to_cart'));
  await card.waitFor({ timeout: 10_000 });
  assert.match(await card.textContent(), /Maya/, 'a person as the sender');
  await page.getByTestId('baton-campaign-close').click();
  await card.waitFor({ state: 'detached' });
  await page.evaluate(() => Baton('track', 'checkout'));
  await page.waitForFunction(() => window.campaignEvents.some((event) => event.what === 'goal'));
  assert.deepEqual(await reported(page), ['tracked-cart:shown', 'tracked-cart:dismissed', 'tracked-cart:goal']);
  const events = (await hideAndCollect(page)).flatMap((batch) => batch.events);
  assert.deepEqual(events.map((event) => event.what), ['shown', 'dismissed', 'goal']);
  await context.close();
});

test('a single-page route change cancels a pending dwell campaign; staying on the route shows it', async () => {
  const { context, page, card } = await visit('/');
  await page.locator('#to-plans').click();
  await page.waitForTimeout(1_500);
  await page.locator('#to-about').click();
  // The dwell would have come due 3 s after the route to /app/plans.
  await noCampaignFor(page, 3_000);
  await page.locator('#to-plans').click();
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'spa-dwell');
  await context.close();
});

test('a once-only campaign shows once, not again after a reload or on another page', async () => {
  const first = await visit('/once');
  await first.card.waitFor({ timeout: 10_000 });
  await first.page.reload();
  await settled(first.page);
  await noCampaignFor(first.page, 1_500);
  await first.page.goto(suite.host.url('/once/other'));
  await settled(first.page);
  await noCampaignFor(first.page, 1_500);
  await first.context.close();
  // Another visitor still gets it.
  const second = await visit('/once/other');
  await second.card.waitFor({ timeout: 10_000 });
  await second.context.close();
});

test('a dismissed campaign stays away after a reload; one not dismissed comes back', async () => {
  const dismissing = await visit('/dismiss');
  await dismissing.card.waitFor({ timeout: 10_000 });
  await dismissing.page.getByTestId('baton-campaign-close').click();
  await dismissing.card.waitFor({ state: 'detached' });
  await dismissing.page.reload();
  await settled(dismissing.page);
  await noCampaignFor(dismissing.page, 1_500);
  await dismissing.context.close();

  const keeping = await visit('/dismiss');
  await keeping.card.waitFor({ timeout: 10_000 });
  await keeping.page.reload();
  await settled(keeping.page);
  await keeping.card.waitFor({ timeout: 10_000 });
  await keeping.context.close();
});

test('a visit and a dismissal an earlier widget kept in JSON still count, rewritten in the wire encoding once', async () => {
  const context = await suite.browser.newContext();
  const minuteAgo = Date.now() - 60_000;
  const visitKey = 'baton:widget-campaigns:visit';
  const historyKey = 'baton:widget-campaigns:campaigns';
  // As the widget before the wire encoding left them: JSON text.
  await context.addInitScript(
    ([visitKey, historyKey, at]) => {
      if (localStorage.getItem(historyKey) !== null) return;
      localStorage.setItem(visitKey, JSON.stringify({ count: 3, started_ms: at, last_page_ms: at, utm: [null, null, null] }));
      localStorage.setItem(
        historyKey,
        JSON.stringify({ campaigns: { dismissable: { views: 1, last_view_ms: at, dismissed_ms: at } }, shown_ms: [at] }),
      );
    },
    [visitKey, historyKey, minuteAgo],
  );
  const fetched = [];
  context.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  const { page } = await visit('/dismiss', { context });
  // Rewritten in the wire encoding (base64 text), by a module fetched for it alone.
  const rewritten = await page.waitForFunction(
    ([visitKey, historyKey]) => {
      const [visit, history] = [localStorage.getItem(visitKey), localStorage.getItem(historyKey)];
      return visit && history && !visit.startsWith('{') && !history.startsWith('{') && [visit, history];
    },
    [visitKey, historyKey],
  );
  const [visitText, historyText] = await rewritten.jsonValue();
  assert.match(historyText, /^[A-Za-z0-9+/]+=*$/);
  assert.ok(fetched.some((path) => /split_from_json_.*\.wasm$/.test(path)), fetched.join(' '));
  // The dismissal a minute ago still keeps the campaign away.
  await noCampaignFor(page, 1_500);
  // The next page reads the wire copies: nothing is fetched for JSON again, the same visit goes on.
  fetched.length = 0;
  await page.reload();
  await settled(page);
  await noCampaignFor(page, 1_000);
  assert.ok(!fetched.some((path) => path.includes('split_from_json_')), fetched.join(' '));
  // The visit went on as the third (its first field, the count, is a one-byte varint in the wire encoding).
  for (const text of [visitText, await page.evaluate((key) => localStorage.getItem(key), visitKey)]) {
    assert.equal(Buffer.from(text, 'base64')[0], 3, text);
  }
  await context.close();
});

test("Baton('show') shows a manual campaign; once means once unless forced; a handoff action starts a conversation for the campaign", async () => {
  const { context, page, widget, card } = await visit('/');
  await page.evaluate(() => Baton('show', 'manual-offer'));
  await card.waitFor({ timeout: 10_000 });
  await page.getByTestId('baton-campaign-close').click();
  await card.waitFor({ state: 'detached' });
  await page.evaluate(() => Baton('show', 'manual-offer'));
  await noCampaignFor(page, 500);
  await page.evaluate(() => Baton('show', 'manual-offer', { force: true }));
  await card.waitFor({ timeout: 10_000 });
  const created = page.waitForRequest(
    (request) => request.url().endsWith('/v1/sites/widget-campaigns/conversations') && request.method() === 'POST',
  );
  await page.getByTestId('baton-campaign-action').click();
  await widget.panel.waitFor();
  assert.deepEqual(JSON.parse((await created).postData()).campaign, { id: 'manual-offer' });
  // The panel is open: no campaign shows, even forced.
  await page.evaluate(() => Baton('show', 'manual-offer', { force: true }));
  await noCampaignFor(page, 500);
  await assert.rejects(page.evaluate(() => Baton('show')), /campaign's id/);
  await context.close();
});

test('after two answers in a row the assistant could not give, the struggling campaign offers a person once the panel is closed', async () => {
  const { context, page, widget, card } = await visit('/help');
  await widget.open();
  await widget.ask('zorblat quinx fen?');
  await widget.ask('vrell matoskin plib?');
  await noCampaignFor(page, 500);
  await widget.launcher.click();
  await widget.panel.waitFor({ state: 'detached' });
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'struggling');
  assert.match(await card.textContent(), /Customer Care/);
  await context.close();
});

test('click-to-chat: data-baton-open opens the chat with its message; #baton-chat and ?baton=open open it on arrival', async () => {
  const clicking = await visit('/');
  await clicking.page.locator('#ask').click();
  await clicking.widget.panel.waitFor();
  assert.equal(await clicking.widget.input.inputValue(), 'Do you ship to Belgium?');
  await clicking.page.keyboard.press('Escape');
  await clicking.widget.panel.waitFor({ state: 'detached' });
  await clicking.page.locator('#chat-link').click();
  await clicking.widget.panel.waitFor();
  await clicking.context.close();

  for (const path of ['/#baton-chat', '/?baton=open']) {
    const arriving = await visit(path);
    await arriving.widget.panel.waitFor();
    await arriving.context.close();
  }
  const plain = await visit('/');
  await plain.page.waitForTimeout(500);
  assert.equal(await plain.widget.panel.count(), 0, 'a plain page does not open the chat');
  await plain.context.close();
});
