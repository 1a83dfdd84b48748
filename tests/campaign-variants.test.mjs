// End-to-end: a campaign's holdout and weighted variants in the browser, on the `campaign-variants` test site
// (tests/sites/campaign-variants.json: `split-offer`, shown on every page view, 30 % held out, variants `short`
// (weight 3) and `long` (weight 1)). Several distinct visitors (fresh browser contexts, each with its own anonymous
// visitor id): a held-out visitor never sees the campaign, yet a `shown` event with `held_out` is recorded; a
// visitor sees the same variant on every reload; that variant is the one the documented bucketing rule gives,
// computed here independently of the widget; and the campaign results route counts each variant and the holdout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';

import { createAdmin } from './support/agents.mjs';
import { API, launch } from './support/browser.mjs';
import { startCampaignHost } from './support/campaign-host.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const SITE = 'campaign-variants';
const CAMPAIGN = 'split-offer';
const HOLDOUT_PERCENT = 30;
const VARIANTS = [
  { id: 'short', weight: 3, text: 'Ten percent off today.' },
  { id: 'long', weight: 1, text: 'Ten percent off your first bag of any single origin, today only.' },
];
const VISITOR_KEY = `baton:${SITE}:visitor`;

/** The bucket of `visitor` in `campaign`, by the rule `baton_shared::campaign::bucket` documents: FNV-1a 64 over the
 * UTF-8 bytes of the visitor id, a zero byte and the campaign id, then the MurmurHash3 64-bit finaliser, modulo
 * 10,000. Written from that description, in BigInt arithmetic, not from the widget's code. */
function bucket(visitor, campaign) {
  const mask = (1n << 64n) - 1n;
  let hash = 0xcbf29ce484222325n;
  for (const byte of [...Buffer.from(visitor, 'utf8'), 0, ...Buffer.from(campaign, 'utf8')]) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & mask;
  }
  hash ^= hash >> 33n;
  hash = (hash * 0xff51afd7ed558ccdn) & mask;
  hash ^= hash >> 33n;
  hash = (hash * 0xc4ceb9fe1a85ec53n) & mask;
  hash ^= hash >> 33n;
  return Number(hash % 10000n);
}

/** Where the documented rule puts `visitor`: held out below `holdout_percent` × 100, else the variants share the
 * remaining buckets in proportion to their weights, in list order. Resolves to 'holdout' or a variant id. */
function expected(visitor) {
  const value = bucket(visitor, CAMPAIGN);
  const holdout = HOLDOUT_PERCENT * 100;
  if (value < holdout) return 'holdout';
  const total = VARIANTS.reduce((sum, variant) => sum + variant.weight, 0);
  const span = 10000 - holdout;
  let cumulative = 0;
  for (const variant of VARIANTS) {
    cumulative += variant.weight;
    if ((value - holdout) * total < cumulative * span) return variant.id;
  }
  throw new Error('weights do not cover every bucket');
}

const suite = { browser: undefined, host: undefined };
before(async () => {
  suite.browser = await launch();
  suite.host = await startCampaignHost(API);
});
after(async () => {
  await suite.browser?.close();
  await suite.host?.close();
});

test('the rule written here gives the values the shared crate pins', () => {
  // `shared/src/campaign/tests/buckets.rs` pins these, natively and on wasm32.
  assert.deepEqual(
    [bucket('visitor-1', 'pricing-help'), bucket('visitor-2', 'pricing-help'), bucket('', '')],
    [160, 4376, 2267],
  );
});

/** The campaign results of today (UTC, with a day either side), as `variant|holdout: shown` for `split-offer`. */
async function results(token) {
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const answer = await fetch(`${API}/v1/sites/${SITE}/campaigns/results?from=${day(-1)}&to=${day(1)}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(answer.status, 200, await answer.clone().text());
  const counts = { holdout: 0, short: 0, long: 0, none: 0 };
  for (const row of (await answer.json()).rows) {
    if (row.campaign !== CAMPAIGN) continue;
    counts[row.held_out ? 'holdout' : (row.variant ?? 'none')] += row.shown;
  }
  return counts;
}

/** Loads (or reloads) the host page and waits until this page view's evaluation is recorded and sent (the page is
 * hidden, so the widget sends its queue at once); resolves to what the visitor saw and what was sent. */
async function pageView(page, first) {
  const key = `baton:${SITE}:campaigns`;
  // The history as the last page view left it (kept in the wire encoding, so compared as text).
  const before = first ? null : await page.evaluate((key) => localStorage.getItem(key), key);
  await (first ? page.goto(suite.host.url(`/offer?site=${SITE}`)) : page.reload());
  await new WidgetPage(page).launcher.waitFor();
  const card = page.getByTestId('baton-campaign');
  // This page's view is in the visitor's campaign history, shown or held out (a held-out view is only recorded):
  // its clock of the last view changed it.
  await page.waitForFunction(
    ([key, before]) => {
      const history = localStorage.getItem(key);
      return history !== null && history !== before;
    },
    [key, before],
  );
  // A shown campaign is on screen in the same turn; give a held-out visitor's page the time to show one, wrongly.
  await page.waitForTimeout(300);
  const seen = (await card.count()) > 0 ? (await card.textContent()) : null;
  await page.evaluate(() => {
    Object.defineProperty(document, 'hidden', { value: true, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.waitForFunction(() => window.sentBatches.length > 0);
  const sent = await page.evaluate(() => window.sentBatches);
  const reported = await page.evaluate(() => window.campaignEvents);
  return { seen, sent, reported };
}

/** One visitor, three page views (the first and two reloads); `seed` chooses their anonymous id beforehand, as if
 * an earlier visit had made it (the widget keeps an id it finds). Resolves to { visitor, views }. */
async function visitor(seed) {
  const context = await suite.browser.newContext();
  if (seed) {
    await context.addInitScript(
      ([key, id]) => {
        if (!localStorage.getItem(key)) localStorage.setItem(key, id);
      },
      [VISITOR_KEY, seed],
    );
  }
  try {
    const page = await context.newPage();
    const views = [];
    for (let view = 0; view < 3; view += 1) views.push(await pageView(page, view === 0));
    const stored = await page.evaluate((key) => localStorage.getItem(key), VISITOR_KEY);
    return { visitor: stored, views };
  } finally {
    await context.close();
  }
}

/** Random ids until the rule puts at least two in the holdout and two in each variant. */
function chosenVisitors() {
  const wanted = { holdout: 2, short: 2, long: 2 };
  const chosen = [];
  while (Object.values(wanted).some((left) => left > 0)) {
    const id = crypto.randomBytes(16).toString('hex');
    const where = expected(id);
    if (wanted[where] > 0) {
      wanted[where] -= 1;
      chosen.push(id);
    }
  }
  return chosen;
}

test('held-out visitors never see the campaign but are recorded; every visitor keeps the variant the rule gives; the results count each variant and the holdout', async () => {
  const admin = await createAdmin(SITE, `Variant admin ${Date.now() % 100000}`, []);
  const before = await results(admin.token);
  const pageViews = { holdout: 0, short: 0, long: 0, none: 0 };
  // Six visitors with ids chosen to cover the holdout and both variants, and two whose ids the widget makes.
  const runs = [];
  for (const seed of [...chosenVisitors(), null, null]) runs.push({ seed, ...(await visitor(seed)) });

  for (const { seed, visitor: id, views } of runs) {
    if (seed) assert.equal(id, seed, 'the widget kept the visitor id it found');
    assert.match(id, /^[0-9a-f]{32}$/);
    const where = expected(id);
    for (const [at, { seen, sent, reported }] of views.entries()) {
      const events = sent.flatMap((batch) => batch.events);
      assert.ok(sent.every((batch) => batch.visitor === id), 'every batch names this visitor');
      if (where === 'holdout') {
        assert.equal(seen, null, `held-out visitor ${id} sees nothing (page view ${at + 1})`);
        assert.deepEqual(reported, [], 'nothing is reported to the page for a held-out visitor');
        assert.deepEqual(
          events.map((event) => [event.campaign, event.what, event.held_out, event.variant ?? null]),
          [[CAMPAIGN, 'shown', true, null]],
          'the control view is recorded',
        );
      } else {
        const variant = VARIANTS.find((known) => known.id === where);
        assert.ok(seen?.includes(variant.text), `visitor ${id} sees variant ${where} (page view ${at + 1}): ${seen}`);
        assert.deepEqual(
          reported.map((event) => [event.id, event.variant, event.what]),
          [[CAMPAIGN, where, 'shown']],
        );
        assert.deepEqual(
          events.map((event) => [event.campaign, event.what, event.held_out ?? false, event.variant]),
          [[CAMPAIGN, 'shown', false, where]],
        );
      }
      pageViews[where] += 1;
    }
  }

  // Each page view counted once, in its variant's row or the holdout's (events reach the worker by sendBeacon).
  const wanted = Object.fromEntries(Object.keys(pageViews).map((key) => [key, before[key] + pageViews[key]]));
  let counted;
  const deadline = Date.now() + 10_000;
  do {
    counted = await results(admin.token);
    if (JSON.stringify(counted) === JSON.stringify(wanted)) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
  assert.deepEqual(counted, wanted);
  assert.ok(pageViews.holdout >= 6 && pageViews.short >= 6 && pageViews.long >= 6);
});
