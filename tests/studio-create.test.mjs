// End-to-end: a new site from the console alone. On the sign-in screen, whoever runs Baton creates a site with the
// operator secret (typed once, never kept), gets the first admin's token once, signs in as that admin and lands in
// the new site's studio, whose history already holds the starter as version 1; there they add an FAQ entry, opening
// hours and a Sales team, publish, and a visitor on a host page of another origin gets the new FAQ answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import path from 'node:path';

import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { StudioPage } from './support/studio-page.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';

const suite = useBrowserAndHost();
const SITE = `made-${Date.now() % 1_000_000}`;
const QUESTION = 'Where can I park my bike?';
const ANSWER = 'Bike racks are right by the front door, free for customers.';
// The new site's first admin and their studio, for the tests after the first.
let signedIn;

test('a site is created, configured and published from the console alone, and visitors get its answers', async () => {
  const { context, page } = await ConsolePage.open(suite.browser, '', { connected: false });
  await page.getByTestId('create-site-open').click();
  // A wrong secret is refused, and says so.
  await page.getByTestId('create-site-secret').fill('not-the-operator-secret');
  await page.getByTestId('create-site-id').fill(SITE);
  await page.getByTestId('create-site-name').fill('Pedal Works');
  await page.getByTestId('create-site-origins').fill('http://127.0.0.1:*\nhttp://localhost:*');
  await page.getByTestId('create-site-admin').fill('Priya');
  await page.getByTestId('create-site-submit').click();
  const refused = page.getByTestId('create-site-error');
  await refused.waitFor();
  assert.match(await refused.textContent(), /only the operator's token/);

  await page.getByTestId('create-site-secret').fill(process.env.BATON_ADMIN_TOKEN);
  await page.getByTestId('create-site-submit').click();
  const done = page.getByTestId('create-site-done');
  await done.waitFor();
  assert.equal(await done.getAttribute('data-site'), SITE);
  const token = (await page.getByTestId('create-site-token').textContent()).trim();
  await page.screenshot({ path: path.join(ARTIFACTS, 'studio-create-token.png'), fullPage: true });
  assert.ok(token.startsWith(`bat_${SITE}.`), token);
  // The secret went in a header only: it is in no address and nothing the browser kept.
  assert.doesNotMatch(page.url(), /token|secret/);
  const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.ok(!kept.includes(process.env.BATON_ADMIN_TOKEN), 'the operator secret is not stored');

  await page.getByTestId('create-site-studio').click();
  const studio = new StudioPage(page);
  await page.locator('[data-testid="studio"][data-loaded="true"]').waitFor();
  assert.match(page.url(), /#studio/);
  assert.equal(await page.getByTestId('console-agent').textContent(), 'Priya');

  // The starter is version 1 of the history, made by the new admin.
  await studio.part('history');
  const first = page.locator('[data-testid="studio-version"][data-version="1"]');
  await first.waitFor();
  assert.match(await first.textContent(), /Priya/);
  assert.match(await first.textContent(), /Site created/);

  // An FAQ entry.
  await studio.part('faq');
  await page.locator('[data-testid="studio-add"][data-list="faq"]').click();
  await studio.field('faq[0].id').fill('bike-parking');
  await studio.field('faq[0].question').fill(QUESTION);
  await studio.field('faq[0].answer').fill(ANSWER);
  // Opening hours: Monday to Friday, 09:00 to 17:00 (the range a new day starts with).
  await studio.part('hours');
  for (const day of ['mon', 'tue', 'wed', 'thu', 'fri']) {
    await page.locator(`[data-testid="studio-add"][data-list="business_hours.${day}"]`).click();
  }
  await studio.field('business_hours.fri[0].closes').fill('16:00');
  // A Sales team besides the starter's Support.
  await studio.part('teams');
  await page.locator('[data-testid="studio-add"][data-list="teams"]').click();
  await studio.field('teams[1].id').fill('sales');
  await studio.field('teams[1].name').fill('Sales');
  await studio.field('teams[1].intents').getByLabel('sales', { exact: true }).check();
  await studio.saved();

  await studio.part('publish');
  await page.locator('[data-testid="studio-change"][data-path="faq[0]"]').waitFor();
  await page.getByTestId('studio-publish-note').fill('First FAQ, hours and Sales');
  await page.getByTestId('studio-publish').click();
  await page.getByTestId('studio-published').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'studio-create.png'), fullPage: true });

  // What the API now serves: version 2, with everything set in the studio.
  const state = await (await fetch(`${API}/v1/sites/${SITE}/config`, { headers: { authorization: `Bearer ${token}` } })).json();
  assert.equal(state.published.version, 2);
  assert.equal(state.draft, null);
  const config = state.published.config;
  assert.deepEqual(config.faq.map((entry) => [entry.id, entry.answer]), [['bike-parking', ANSWER]]);
  assert.deepEqual(config.business_hours.fri, [{ opens: '09:00', closes: '16:00' }]);
  assert.deepEqual(config.teams.map((team) => [team.id, team.intents]), [
    ['support', ['sales', 'support', 'billing', 'technical', 'general']],
    ['sales', ['sales']],
  ]);

  // A visitor on a page of another origin gets the new site's answer.
  const visitor = await suite.browser.newContext();
  const host = await visitor.newPage();
  await host.goto(`${suite.host.url}?site=${SITE}`);
  const widget = new WidgetPage(host);
  await widget.open();
  assert.equal(await widget.ask(QUESTION), ANSWER);
  await visitor.close();
  signedIn = { page, studio };
});

/** A stand-in webhook receiver on loopback: resolves to { url, received, close }. */
async function startReceiver() {
  const received = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      received.push({ path: request.url, body, signature: request.headers['x-baton-signature'] });
      response.writeHead(request.url.startsWith('/hook') ? 200 : 500).end('{}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return { url, received, close: () => new Promise((resolve) => server.close(resolve)) };
}

test('a webhook gets a test from the studio, and an audience is built with controls, its problems beside them', async () => {
  assert.ok(signedIn, 'the site was created by the test before');
  const { page, studio } = signedIn;
  const receiver = await startReceiver();
  try {
    await studio.part('wiring');
    await page.locator('[data-testid="studio-add"][data-list="webhooks"]').click();
    await studio.field('webhooks[0].url').fill(`${receiver.url}/hook/studio`);
    await page.locator('[data-testid="studio-webhook-test"][data-path="webhooks[0]"]').click();
    const result = page.locator('[data-testid="studio-webhook-result"]');
    await result.waitFor();
    assert.equal(await result.getAttribute('data-delivered'), 'true', await result.textContent());
    assert.match(await result.textContent(), /^Delivered: http:\/\/127\.0\.0\.1:\d+\/… answered 200 in \d+ ms \(unsigned/);
    assert.equal(receiver.received.length, 1);
    const sample = JSON.parse(receiver.received[0].body);
    assert.deepEqual([receiver.received[0].path, sample.type, sample.site_id, sample.visitor_name],
      ['/hook/studio', 'handoff', SITE, 'Test visitor']);
    // A failing endpoint says so.
    await studio.field('webhooks[0].url').fill(`${receiver.url}/down`);
    await page.locator('[data-testid="studio-webhook-test"][data-path="webhooks[0]"]').click();
    await page.locator('[data-testid="studio-webhook-result"][data-delivered="false"]').waitFor();
    assert.match(await result.textContent(), /Not delivered: the endpoint answered 500/);
  } finally {
    await receiver.close();
  }

  // A campaign whose audience is returning visitors from a country: the country's problem shows beside it.
  await studio.part('campaigns');
  await page.locator('[data-testid="studio-add"][data-list="campaigns"]').click();
  const audience = 'campaigns[0].audience';
  await page.locator(`[data-testid="studio-audience-limit"][data-path="${audience}"]`).click();
  await page.locator(`[data-testid="studio-audience-add"][data-list="${audience}.all"]`).click();
  await page.locator(`[data-testid="studio-audience-kind"][data-path="${audience}.all[1]"]`).selectOption('country');
  await studio.field(`${audience}.all[1].country`).fill('fr');
  const problem = studio.problem(`${audience}.all[1].country`);
  assert.equal((await problem.textContent()).trim(), '"fr" must be an ISO 3166 code, 2 uppercase letters such as FR');
  await studio.field(`${audience}.all[1].country`).fill('FR');
  await problem.waitFor({ state: 'detached' });
  await studio.saved();
  await page.screenshot({ path: path.join(ARTIFACTS, 'studio-audience.png'), fullPage: true });
  const state = await (await page.evaluate(async (site) => {
    const saved = JSON.parse(localStorage.getItem('baton-console'));
    const answer = await fetch(`/v1/sites/${site}/config`, { headers: { authorization: `Bearer ${saved[1]}` } });
    return answer.text();
  }, SITE));
  const draft = JSON.parse(state).draft.config;
  assert.deepEqual(draft.campaigns[0].audience, { all: [{ visitor: 'returning' }, { country: 'FR' }] });
});
