// End-to-end: click-to-chat's `data-baton-team` routes the conversation it starts. On the `campaign-team` test site
// (tests/sites/campaign-team.json: Sales and Customer Care, no pre-chat form, no hours), a visitor clicks a
// "Talk to Sales" element on a page of another origin, asks for a person about an order (Customer Care's intent), and
// the handoff lands in Sales' queue: the Sales agent's console lists it, Customer Care's agent does not see it. The
// same question from a plain `data-baton-open` element goes to Customer Care. The worker refuses a team the site
// does not have, naming the field.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { createAdmin, createAgent } from './support/agents.mjs';
import { API, launch } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { WIRE_MEDIA_TYPE, wireReader } from './support/wire.mjs';

const SITE = 'campaign-team';
const QUESTION = 'My order never arrived, I want to talk to a person';
const stamp = Date.now().toString(36);

/** A customer's page with two click-to-chat elements: one for Sales, one for whoever answers. */
function page(api) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Team host</title></head>
<body>
  <h1>Team host</h1>
  <p><button type="button" id="sales" data-baton-open data-baton-team="sales">Talk to Sales</button>
    <button type="button" id="anyone" data-baton-open>Chat with us</button></p>
  <script>
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    window.handoffs = [];
    Baton('on', 'handoff', function (handoff) { window.handoffs.push(handoff); });
  </script>
  <script src="${api}/loader.js" data-site="${SITE}" async></script>
</body></html>`;
}

const suite = { browser: undefined, server: undefined, origin: undefined };
before(async () => {
  suite.browser = await launch();
  suite.server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page(API));
  });
  await new Promise((resolve) => suite.server.listen(0, '127.0.0.1', resolve));
  suite.origin = `http://127.0.0.1:${suite.server.address().port}`;
});
after(async () => {
  await suite.browser?.close();
  await new Promise((resolve) => suite.server?.close(resolve) ?? resolve());
});

/** A fresh visitor clicks `#button` (clicked at once: the loader keeps a click made before the widget loads), asks
 * for a person about an order, and gets the handoff notice; resolves to { conversationId, handoff, request }. */
async function clickAndAsk(button) {
  const context = await suite.browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${suite.origin}/`);
    const widget = new WidgetPage(page);
    const created = page.waitForRequest(
      (request) => request.url().endsWith(`/v1/sites/${SITE}/conversations`) && request.method() === 'POST',
    );
    await page.locator(button).click();
    await widget.panel.waitFor();
    const request = JSON.parse((await created).postData());
    const response = await (await created).response();
    // `ConversationCreated` in the wire encoding, as the widget asks for it: the id is its first field.
    assert.equal(response.headers()['content-type'], WIRE_MEDIA_TYPE);
    const conversationId = wireReader(await response.body()).str();
    // Once the greeting shows, the conversation has started and the visitor can write.
    await widget.messages('ai').first().waitFor();
    await widget.input.fill(QUESTION);
    await widget.input.press('Enter');
    await page.waitForFunction(() => window.handoffs.length > 0, undefined, { timeout: 10_000 });
    const [handoff] = await page.evaluate(() => window.handoffs);
    return { conversationId, handoff, request };
  } finally {
    await context.close();
  }
}

/** The inbox items `token`'s agent may see, by conversation id: their team ids. */
async function inbox(token) {
  const answer = await fetch(`${API}/v1/sites/${SITE}/agent/inbox`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(answer.status, 200, await answer.clone().text());
  const body = await answer.json();
  const items = Array.isArray(body) ? body : body.items;
  return new Map(items.map((item) => [item.conversation_id, item.team]));
}

test('a data-baton-team click starts a conversation for that team: asked for a person about an order, it lands in Sales, not Customer Care', async () => {
  const admin = await createAdmin(SITE, `Team admin ${stamp}`, []);
  const sales = await createAgent(SITE, admin, `Sasha ${stamp}`, ['sales']);
  const care = await createAgent(SITE, admin, `Cary ${stamp}`, ['support']);

  const forSales = await clickAndAsk('#sales');
  assert.equal(forSales.request.team, 'sales', 'the conversation is created for the team of the click');
  assert.equal(forSales.handoff.team, 'Sales', 'the visitor is told Sales will reply');
  const anyone = await clickAndAsk('#anyone');
  assert.equal(anyone.request.team, undefined, 'a plain click-to-chat element names no team');
  assert.equal(anyone.handoff.team, 'Customer Care', 'without a team the order question goes to Customer Care');

  const salesSees = await inbox(sales.token);
  assert.equal(salesSees.get(forSales.conversationId), 'sales', "the handoff is in Sales' queue");
  assert.equal(salesSees.has(anyone.conversationId), false);
  const careSees = await inbox(care.token);
  assert.equal(careSees.has(forSales.conversationId), false, 'Customer Care does not get it');
  assert.equal(careSees.get(anyone.conversationId), 'support');

  // The Sales agent's console lists it in the Sales queue.
  const agent = await ConsolePage.open(suite.browser, `token=${sales.token}`);
  try {
    const item = agent.consolePage.inboxItem(forSales.conversationId);
    await item.waitFor();
    assert.equal(await agent.consolePage.inboxItem(anyone.conversationId).count(), 0);
  } finally {
    await agent.context.close();
  }
});

test('the worker refuses a team the site does not have, naming the field and the teams', async () => {
  const answer = await fetch(`${API}/v1/sites/${SITE}/conversations`, {
    method: 'POST',
    headers: { origin: suite.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ team: 'marketing' }),
  });
  assert.equal(answer.status, 400);
  const { error } = await answer.json();
  assert.equal(error.code, 'invalid_field');
  assert.equal(error.message, 'team: site "campaign-team" has no team "marketing" (its teams are sales, support)');
});
