// End-to-end: the agent's context panel shows the model's summary ("AI summary", with the model's name) beside
// Baton's extractive one on a site with a model (`summarized`, the `openai` provider against a loopback stand-in):
// live when the conversation is already open in the console, and on load. On a site without a model (`live`) only
// the extractive summary shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { createAdmin } from './support/agents.mjs';
import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { startModelServer, summaryOf } from './support/model-server.mjs';
import { useBrowserAndHost } from './support/suite.mjs';

const suite = useBrowserAndHost();
const stamp = Date.now() % 100000;
let model;
before(async () => { model = await startModelServer(); });
after(async () => { await model?.close(); });

/** A conversation on `site` handed to a person by the visitor's `text` ("Talk to a person"); resolves to its id. */
async function handOver(site, text) {
  const headers = { origin: new URL(suite.host.url).origin, 'content-type': 'application/json' };
  const created = await fetch(`${API}/v1/sites/${site}/conversations`, { method: 'POST', headers, body: '{}' });
  assert.equal(created.status, 201, await created.clone().text());
  const { conversation_id: id, visitor_token: token } = await created.json();
  const posted = await fetch(`${API}/v1/sites/${site}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_message_id: 'handoff', text, chose_person: true }),
  });
  assert.ok(posted.ok, await posted.clone().text());
  return id;
}

/** An admin's console of `site`, signed in and connected, with `conversation` open (by its link, no reload). */
async function openConversation(consolePage, id) {
  await consolePage.page.evaluate((hash) => { location.hash = hash; }, `conversation=${id}`);
  await consolePage.conversation(id).waitFor();
  await consolePage.page.getByTestId('console-summary').waitFor();
}

test('the model\'s summary shows beside the extractive one: live in an open conversation, and on load', async () => {
  const admin = await createAdmin('summarized', `Admin ${stamp}`, ['support']);
  const { context, page, consolePage } = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  const text = `My grinder from order ${stamp} arrived cracked, please help.`;
  const held = model.hold();
  const id = await handOver('summarized', text);
  const release = await held;
  await openConversation(consolePage, id);
  // The package is there at once with Baton's own summary; the model has not answered yet.
  assert.equal(await page.getByTestId('console-summary').textContent(), text);
  assert.equal(await page.getByTestId('console-ai-summary').count(), 0);
  await page.evaluate(() => { window.sameDocument = true; });
  assert.equal(release(), true, 'the console showed the conversation before the model answered');

  await page.getByTestId('console-ai-summary').waitFor();
  assert.equal(await page.getByTestId('console-ai-summary').textContent(), summaryOf(text));
  assert.equal(await page.getByTestId('console-ai-summary-label').textContent(), 'AI summary (summary-model)');
  assert.equal(await page.getByTestId('console-summary').textContent(), text, 'the extractive summary stays');
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'it arrived without a reload');
  assert.ok(model.requests.some((user) => user.includes(`Visitor: ${text}`)));

  // Opened afterwards, the conversation shows both at once.
  const later = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  await openConversation(later.consolePage, id);
  await later.page.getByTestId('console-ai-summary').waitFor();
  assert.equal(await later.page.getByTestId('console-ai-summary').textContent(), summaryOf(text));
  await Promise.all([context.close(), later.context.close()]);
});

test('a summary that arrives before the conversation\'s socket connects still shows once it does', async () => {
  const admin = await createAdmin('summarized', `Late admin ${stamp}`, ['support']);
  const { context, page, consolePage } = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  const text = `The lid of my kettle ${stamp} will not close, please help.`;
  const held = model.hold();
  const id = await handOver('summarized', text);
  const release = await held;
  // The conversation's socket waits for its ticket: a frame sent now reaches nobody.
  const tickets = [];
  await page.route('**/socket-tickets', (route) => {
    if (route.request().postData()?.includes(id)) tickets.push(route);
    else route.continue();
  });
  await openConversation(consolePage, id);
  assert.equal(await page.getByTestId('console-ai-summary').count(), 0);
  assert.equal(release(), true, 'the console fetched the conversation before the model answered');
  // The worker has the model's summary…
  const headers = { authorization: `Bearer ${admin.token}` };
  const summarized = async () => {
    const answer = await fetch(`${API}/v1/sites/summarized/agent/conversations/${id}`, { headers });
    return (await answer.json()).package?.ai_summary?.status === 'written';
  };
  for (let tries = 0; !(await summarized()); tries += 1) {
    assert.ok(tries < 100, 'the worker stored the model\'s summary within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(tickets.length > 0, 'the socket asked for its ticket');
  assert.equal(await page.getByTestId('console-ai-summary').count(), 0);
  // …and once the socket connects, the console shows it without a reload.
  for (const ticket of tickets) await ticket.continue();
  await page.unroute('**/socket-tickets');
  await page.getByTestId('console-ai-summary').waitFor();
  assert.equal(await page.getByTestId('console-ai-summary').textContent(), summaryOf(text));
  await context.close();
});

test('without a model, the console shows only the extractive summary', async () => {
  const admin = await createAdmin('live', `Summary admin ${stamp}`, ['support']);
  const text = `My kettle ${stamp} stopped working, please help.`;
  const id = await handOver('live', text);
  const { context, page, consolePage } = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  await openConversation(consolePage, id);
  assert.equal(await page.getByTestId('console-summary').textContent(), text);
  // Long enough for a model's summary to have arrived, had one been asked.
  await page.waitForTimeout(1_000);
  assert.equal(await page.getByTestId('console-ai-summary').count(), 0);
  assert.ok(!model.requests.some((user) => user.includes(text)), 'no model was asked');
  await context.close();
});
