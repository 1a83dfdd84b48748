// End-to-end: the console's reports on the real stack. Conversations are played as the widget and an agent play
// them (one answered from the FAQ, one Baton could not answer, one handed to Customer Care, answered in the console,
// closed as converted and rated 4, one handed to Sales and left unanswered), then the dashboard must show exactly
// what the metrics API reports for the same range and filters; a drill-down lists the API's conversation ids and
// opens one in the conversation view; the CSV downloads with one row per conversation; a filter changes the figures
// and the address. The `dashboard` test site (tests/sites/dashboard.json) has no business hours, so it is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { createAdmin } from './support/agents.mjs';
import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { DashboardPage, expectedCards, metricsApi, percent } from './support/dashboard-page.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';

const suite = useBrowserAndHost();
const AXE = fs.readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const SITE = 'dashboard';
const stamp = Date.now() % 100000;
const DAY_MS = 86_400_000;
/** The report's range: yesterday and today (UTC, the site's timezone), so a run around midnight still fits. */
const RANGE = { from: isoDay(Date.now() - DAY_MS), to: isoDay(Date.now()) };

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

let admin;
let consoleView;
const played = {};

/** A conversation started from the host page's origin, as the widget starts one. */
async function start() {
  const origin = new URL(suite.host.url).origin;
  const created = await fetch(`${API}/v1/sites/${SITE}/conversations`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json' },
    body: JSON.stringify({ page_url: `${suite.host.url}pricing`, visitor: `dash-visitor-${stamp}-${Math.random().toString(36).slice(2, 10)}` }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { conversation_id: id, visitor_token: token } = await created.json();
  const post = (what, body) => fetch(`${API}/v1/sites/${SITE}/conversations/${id}/${what}`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  return {
    id,
    post,
    /** A visitor message (with `extra` such as `chose_person`), answered. */
    async say(text, extra = {}) {
      const posted = await post('messages', { client_message_id: `m-${Math.random()}`, text, ...extra });
      assert.ok(posted.ok, await posted.clone().text());
      return posted.json();
    },
  };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Plays the conversations once, for every test of the file (after the suite's browser has started). */
let playing;
function setUp() {
  playing ??= play();
  return playing;
}

async function play() {
  admin = await createAdmin(SITE, `Dashboard admin ${stamp}`, ['sales', 'support']);
  // The admin's console is open throughout: both teams have someone online.
  consoleView = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  const { page, consolePage } = consoleView;

  const answered = await start();
  await answered.say('How long does delivery take?');
  played.answered = answered.id;

  const unanswered = await start();
  await unanswered.say(`Do you repair vintage espresso machines from 1950 ${stamp}?`);
  played.unanswered = unanswered.id;

  // Handed to Customer Care, answered in the console, closed as converted, rated 4.
  const converted = await start();
  await converted.say('Talk to a person', { chose_person: true });
  played.converted = converted.id;
  await consolePage.inboxItem(converted.id).click();
  await page.getByTestId('console-claim').click();
  await page.getByTestId('console-composer').fill('Hello, I can help with that.');
  await page.getByTestId('console-composer').press('Enter');
  await page.locator('[data-testid="console-message"][data-author="agent"]').filter({ hasText: 'I can help' }).waitFor();
  await page.getByTestId('console-outcome').selectOption('converted');
  await page.getByTestId('console-close').click();
  // The rating is taken once the close has reached the conversation (409 before).
  let rated;
  for (let tries = 0; tries < 25; tries += 1) {
    rated = await converted.post('csat', { rating: 4 });
    if (rated.ok) break;
    await sleep(200);
  }
  assert.ok(rated.ok, await rated.text());

  // Handed to Sales and left without a reply.
  const sales = await start();
  await sales.say("I'd like to talk to someone about your pricing");
  played.sales = sales.id;

  // The ledger is written in the background (each room gathers its events for 2 to 4 s): wait until the API has all
  // of it, and it has settled (the same on two reads further apart than that).
  let previous;
  const deadline = Date.now() + 40_000;
  for (;;) {
    const report = await metricsApi(SITE, admin.token, 'metrics', RANGE);
    const complete = report.conversations >= 4 && report.handoffs.count >= 2 && report.csat.responses >= 1;
    if (complete && JSON.stringify(report) === JSON.stringify(previous)) break;
    assert.ok(Date.now() < deadline, `the metrics never showed the played conversations: ${JSON.stringify(report)}`);
    previous = report;
    await sleep(4_500);
  }
}

test("the dashboard's figures equal the API's report for the same range", async () => {
  await setUp();
  const { page } = consoleView;
  await page.getByTestId('console-nav-reports').click();
  const dashboard = new DashboardPage(page);
  await dashboard.loaded();
  assert.equal(await dashboard.hash(), '#reports');
  await dashboard.show(RANGE);
  const report = await metricsApi(SITE, admin.token, 'metrics', RANGE);
  assert.deepEqual(await dashboard.cardValues(), expectedCards(report));
  assert.ok(report.conversations >= 4 && report.handoffs.count >= 2, JSON.stringify(report));

  // As written: counts, shares and the rating.
  const text = async (key) => (await dashboard.card(key).getByTestId('dashboard-card-value').textContent()).trim();
  assert.equal(await text('conversations'), String(report.conversations));
  assert.equal(await text('handoff_rate'), percent(report.handoffs.rate, report.conversations));
  assert.equal(await text('ai_resolution_rate'), percent(report.ai_resolved.rate, report.conversations));
  assert.equal(await text('csat'), `${report.csat.mean.toFixed(1)} / 5`);

  // Each card's definition shows on keyboard focus.
  await dashboard.card('conversations').getByRole('button').focus();
  const definition = dashboard.card('conversations').getByTestId('dashboard-definition');
  await definition.waitFor({ state: 'visible' });
  assert.match(await definition.textContent(), /at least one visitor message/);

  // The charts and tables say the same as the report.
  const bars = await page.locator('[data-chart="team"] [data-testid="dashboard-bar"]').evaluateAll((nodes) =>
    Object.fromEntries(nodes.map((node) => [node.dataset.key, Number(node.querySelector('strong').textContent)])));
  assert.deepEqual(bars, Object.fromEntries(Object.entries(report.handoffs.by_team).filter(([, count]) => count > 0)));
  const heatmapTotal = await page.locator('[data-testid="dashboard-heatmap"] td[data-count]').evaluateAll((cells) =>
    cells.reduce((sum, cell) => sum + Number(cell.dataset.count), 0));
  assert.equal(heatmapTotal, report.heatmap.flat().reduce((sum, count) => sum + count, 0));
  assert.equal(await page.getByTestId('dashboard-unanswered-item').count(), report.unanswered.length);
  const question = page.getByTestId('dashboard-unanswered-item').filter({ hasText: `from 1950 ${stamp}` });
  assert.equal(await page.getByTestId('dashboard-team-row').count(), 2);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

  // axe-core finds nothing serious on the reports (evaluated, as the console's CSP refuses injected scripts).
  await page.keyboard.press('Escape');
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document.querySelector('[data-testid="dashboard"]'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return results.violations
      .filter((violation) => ['serious', 'critical'].includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, []);

  // An unanswered question becomes a new FAQ entry in the studio, its answer left to write, in one click.
  const asked = `Do you repair vintage espresso machines from 1950 ${stamp}?`;
  await question.getByTestId('dashboard-add-faq').click();
  await page.locator('[data-testid="studio"][data-loaded="true"]').waitFor();
  await page.waitForFunction((wanted) => [...document.querySelectorAll('[data-field$=".question"]')]
    .some((input) => input.value === wanted), asked);
  const questionPath = await page.locator('[data-field$=".question"]').evaluateAll(
    (inputs, wanted) => inputs.find((input) => input.value === wanted).dataset.field, asked);
  const entry = questionPath.replace(/\.question$/, '');
  assert.equal(await page.locator(`[data-field="${entry}.id"]`).inputValue(), 'do-you-repair-vintage-espresso-machines-from');
  assert.equal(await page.locator(`[data-field="${entry}.answer"]`).inputValue(), '');
  assert.doesNotMatch(await page.evaluate(() => location.hash), /add=/, 'the address forgets the question once added');
  // Kept as the draft, so leaving the studio asks nothing.
  await page.locator('[data-testid="studio-save-status"][data-state="saved"]').waitFor();
});

test('a card drills down to its conversations, and a row opens one in the conversation view', async () => {
  await setUp();
  const { page, consolePage } = consoleView;
  const dashboard = new DashboardPage(page);
  await dashboard.show(RANGE);
  await dashboard.card('handoff_rate').getByRole('button').click();
  await dashboard.drill.waitFor();
  assert.match(await dashboard.hash(), /drill=handoffs/);
  const listed = await metricsApi(SITE, admin.token, 'metrics/conversations', { ...RANGE, figure: 'handoffs' });
  const ids = await dashboard.drilledIds('drill=handoffs');
  assert.deepEqual([...ids].sort(), listed.conversations.map((row) => row.id).sort());
  assert.ok(ids.includes(played.converted) && ids.includes(played.sales), JSON.stringify(ids));

  // A bar narrows it: the Sales team's handoffs.
  await page.locator('[data-chart="team"] [data-testid="dashboard-bar"][data-key="sales"]').click();
  const sales = await metricsApi(SITE, admin.token, 'metrics/conversations', { ...RANGE, team: 'sales', figure: 'handoffs' });
  assert.deepEqual((await dashboard.drilledIds('drill=handoffs&by=team&value=sales')).sort(),
    sales.conversations.map((row) => row.id).sort());
  await page.locator('[data-testid="dashboard-drill"] h2', { hasText: 'Handoffs: team Sales' }).waitFor();

  // Back to all handoffs, then open the converted conversation: the console shows it, with the agent's reply.
  await page.goBack();
  await dashboard.drilledIds('drill=handoffs');
  await page.locator(`[data-testid="dashboard-drill-row"][data-conversation="${played.converted}"] [data-testid="dashboard-drill-open"]`).click();
  await consolePage.conversation(played.converted).waitFor();
  await page.locator('[data-testid="console-message"][data-author="agent"]').filter({ hasText: 'I can help' }).waitFor();
  assert.equal(await dashboard.root.count(), 0, 'the conversation view replaces the reports');
  // Back returns to the same drill-down.
  await page.goBack();
  await dashboard.loaded(RANGE);
  await dashboard.drill.waitFor();
  assert.deepEqual([...(await dashboard.drilledIds('drill=handoffs'))].sort(),
    listed.conversations.map((row) => row.id).sort());
});

test('the CSV downloads with one row per conversation, fetched with the token in the header', async () => {
  await setUp();
  const { page } = consoleView;
  const dashboard = new DashboardPage(page);
  await dashboard.show(RANGE);
  const requests = [];
  page.on('request', (request) => {
    if (request.url().includes('metrics.csv')) requests.push(request);
  });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('dashboard-csv').click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`^baton-${SITE}-${RANGE.from}-${RANGE.to}\\.csv$`));
  const saved = fs.readFileSync(await download.path(), 'utf8');
  assert.equal(saved, await metricsApi(SITE, admin.token, 'metrics.csv', RANGE));
  const rows = saved.trim().split(/\r?\n/).slice(1);
  const listed = await metricsApi(SITE, admin.token, 'metrics/conversations', { ...RANGE, figure: 'conversations' });
  assert.equal(rows.length, listed.conversations.length);
  const ids = rows.map((row) => row.split(',')[0].replace(/"/g, ''));
  for (const id of Object.values(played)) {
    assert.equal(ids.filter((known) => known === id).length, 1, `${id} once in the CSV`);
  }
  // The token travelled in the header, never in the address.
  assert.ok(requests.length > 0);
  for (const request of requests) {
    assert.ok(!request.url().includes(admin.token));
    assert.equal(await request.headerValue('authorization'), `Bearer ${admin.token}`);
  }
});

test('a filter changes the figures and the address, and the narrow layout fits a phone', async () => {
  await setUp();
  const { page } = consoleView;
  const dashboard = new DashboardPage(page);
  await dashboard.show(RANGE);
  const before = await dashboard.cardValues();
  await page.getByTestId('dashboard-team').selectOption('sales');
  await dashboard.loaded({ ...RANGE, team: 'sales' });
  const report = await metricsApi(SITE, admin.token, 'metrics', { ...RANGE, team: 'sales' });
  assert.deepEqual(await dashboard.cardValues(), expectedCards(report));
  assert.notDeepEqual(await dashboard.cardValues(), before);
  assert.equal(await dashboard.hash(), `#reports&from=${RANGE.from}&to=${RANGE.to}&team=sales`);

  // The address is the view: opened afresh, it shows the same figures.
  const shared = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  const again = new DashboardPage(shared.page);
  await again.show({ ...RANGE, team: 'sales' });
  assert.deepEqual(await again.cardValues(), expectedCards(report));
  assert.equal(await shared.page.getByTestId('dashboard-team').inputValue(), 'sales');

  // At phone width nothing overflows the page sideways.
  await shared.page.setViewportSize({ width: 390, height: 844 });
  await again.loaded({ ...RANGE, team: 'sales' });
  // The charts are laid out again after the resize, asynchronously: the page must come to fit (a layout that does
  // not still fails here, with its overflow).
  const fits = () => document.documentElement.scrollWidth <= window.innerWidth;
  await shared.page.waitForFunction(fits, null, { timeout: 5_000 }).catch(() => {});
  const overflow = await shared.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
  await shared.page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-narrow.png'), fullPage: true });
  await shared.context.close();
});

test('a range the API cannot report says why', async () => {
  await setUp();
  const { page } = consoleView;
  const dashboard = new DashboardPage(page);
  await page.evaluate(() => { location.hash = 'reports&from=2026-11-30&to=2026-11-01'; });
  await page.getByTestId('dashboard-error').filter({ hasText: 'The start date is after the end date.' }).waitFor();
  await dashboard.show(RANGE);
  await consoleView.context.close();
});
