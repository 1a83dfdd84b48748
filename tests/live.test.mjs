// End-to-end: the human moment after a handoff, with two browser contexts. A visitor on a host page (another
// origin) asks for a person; an agent signed in at /console/ sees it arrive, takes it, and both talk live (typing,
// read receipts, the agent's name); a second agent's claim is refused; the close asks the visitor for a rating.
// The `live` test site has no business hours, so it is open whenever the tests run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { API } from './support/browser.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const suite = useBrowserAndHost();
const SITE = 'live';

/** Creates an agent through the admin API; resolves to { agent, token }. */
async function createAgent(name, teams) {
  const response = await fetch(`${API}/v1/sites/${SITE}/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.BATON_ADMIN_TOKEN}` },
    body: JSON.stringify({ name, teams }),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

/** An agent's console in its own browser context, signed in and connected. */
async function openConsole(token) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${API}/console/#site=${SITE}&token=${token}`);
  await page.locator('[data-testid="console-connection"][data-connected="true"]').waitFor();
  return { context, page };
}

test('a visitor asks for a person; the agent at /console/ takes it and both talk live; the close asks for a rating', async () => {
  const stamp = Date.now() % 100000;
  const ana = await createAgent(`Ana ${stamp}`, ['support']);
  const bob = await createAgent(`Bob ${stamp}`, ['support']);
  const agent = await openConsole(ana.token);
  const other = await openConsole(bob.token);

  const visitorContext = await suite.browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto(`${suite.host.url}?site=${SITE}`);
  const widget = new WidgetPage(visitor);
  await widget.open();
  await visitor.getByTestId('baton-talk-to-person').click();
  const asked = Date.now();
  const notice = widget.messages('system').first();
  await notice.waitFor();
  // Agents are online: the visitor is told their place in the queue, not that nobody is there.
  assert.match(await notice.getByTestId('baton-body').textContent(), /in the queue/);

  // The handoff reaches the agent's inbox, with what it is about.
  const item = agent.page.getByTestId('console-inbox-item').filter({ hasText: 'chose a person' }).first();
  await item.waitFor({ timeout: 5_000 });
  console.log(`# handoff shown in the console inbox ${Date.now() - asked} ms after the click`);
  const conversationId = await item.getAttribute('data-conversation');
  await item.click();
  await agent.page.getByTestId('console-claim').click();
  await agent.page.getByTestId('console-composer').waitFor();

  // The visitor sees who joined, in the transcript and the header.
  const joined = widget.messages('system').filter({ hasText: `Ana ${stamp} joined the conversation.` });
  await joined.waitFor();
  assert.match(await visitor.getByTestId('baton-status').textContent(), new RegExp(`Ana ${stamp} is with you`));

  // A second agent's claim is refused with a clear reason.
  await other.page.locator(`[data-testid="console-inbox-item"][data-conversation="${conversationId}"]`).click();
  const otherClaim = other.page.getByTestId('console-claim');
  if (await otherClaim.isVisible()) {
    await otherClaim.click();
    await other.page.getByTestId('console-conversation-error').filter({ hasText: `Ana ${stamp} already took` }).waitFor();
  } else {
    // The inbox already showed it taken: no claim button is offered at all.
    assert.equal(await otherClaim.count(), 0);
  }

  // Agent types → the visitor sees the typing indicator; then the reply arrives with the agent's name.
  await agent.page.getByTestId('console-composer').pressSequentially('Hi there', { delay: 20 });
  await visitor.getByTestId('baton-typing').waitFor();
  await agent.page.getByTestId('console-composer').fill('Hi, I am Ana. How can I help?');
  await agent.page.getByTestId('console-composer').press('Enter');
  const reply = widget.messages('agent').first();
  await reply.waitFor();
  assert.equal((await reply.getByTestId('baton-body').textContent()).trim(), 'Hi, I am Ana. How can I help?');
  assert.match(await reply.textContent(), new RegExp(`Ana ${stamp}`));
  // The visitor has the panel open, so the agent sees it was read.
  await agent.page.getByTestId('console-visitor-read').waitFor();

  // The visitor types and answers; the agent sees both live, and Baton stays quiet.
  await widget.input.pressSequentially('My order', { delay: 20 });
  await agent.page.getByTestId('console-visitor-typing').waitFor();
  await widget.input.fill('My order #123 arrived damaged');
  await widget.input.press('Enter');
  await agent.page.locator('[data-testid="console-message"][data-author="visitor"]').filter({ hasText: 'arrived damaged' }).waitFor();
  await agent.page.screenshot({ path: path.join(ARTIFACTS, 'console.png'), fullPage: true });
  const aiAfterClaim = await widget.texts('ai');
  assert.equal(aiAfterClaim.length, 1, 'only the greeting came from Baton');

  // Both transcripts equal what is stored.
  const stored = await (await fetch(`${API}/v1/sites/${SITE}/agent/conversations/${conversationId}`, {
    headers: { authorization: `Bearer ${ana.token}` },
  })).json();
  const consoleSeqs = await agent.page.locator('[data-testid="console-message"][data-seq]').evaluateAll(
    (nodes) => nodes.map((node) => Number(node.dataset.seq)));
  assert.deepEqual(consoleSeqs, stored.messages.map((message) => message.seq));
  assert.equal(await widget.messages('visitor').count(), stored.messages.filter((m) => m.author === 'visitor').length);

  // Closing with an outcome asks the visitor for a rating; the rating reaches the csat listeners.
  await agent.page.getByTestId('console-outcome').selectOption('converted');
  await agent.page.getByTestId('console-close').click();
  await visitor.getByTestId('baton-rating').waitFor();
  await visitor.getByTestId('baton-star').nth(4).click();
  await visitor.getByText('Thanks for your rating!').waitFor();
  // The event follows the worker's confirmation.
  await visitor.waitForFunction(() => window.csats.length > 0);
  assert.deepEqual(await visitor.evaluate(() => window.csats), [{ rating: 5 }]);

  await Promise.all([agent.context.close(), other.context.close(), visitorContext.close()]);
});

test('the console refuses a missing or wrong token', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${API}/console/#site=${SITE}&token=bat_wrong`);
  await page.getByTestId('console-error').filter({ hasText: 'this agent token is not valid' }).waitFor();
  await page.goto(`${API}/console/`);
  await page.reload();
  await page.getByTestId('console-token').waitFor();
  const response = await fetch(`${API}/v1/sites/${SITE}/agent/inbox`);
  assert.equal(response.status, 401);
  await context.close();
});

test('an admin creates an agent in the console; the token is shown once and signs the new agent in', async () => {
  const response = await fetch(`${API}/v1/sites/${SITE}/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.BATON_ADMIN_TOKEN}` },
    body: JSON.stringify({ name: `Boss ${Date.now() % 100000}`, teams: ['support'], role: 'admin' }),
  });
  assert.equal(response.status, 201);
  const boss = await response.json();
  const { context, page } = await openConsole(boss.token);
  await page.getByRole('button', { name: 'Team & notifications' }).click();
  const name = `Cleo ${Date.now() % 100000}`;
  await page.getByTestId('console-new-agent-name').fill(name);
  await page.locator('[data-testid="console-team"] label', { hasText: 'Customer Care' }).locator('input').check();
  await page.getByTestId('console-create-agent').click();
  const shown = await page.getByTestId('console-new-token').textContent();
  assert.match(shown, new RegExp(`Token for ${name} \\(shown once\\)`));
  const token = shown.match(/bat_[0-9a-f]+/)[0];
  await context.close();
  const signedIn = await openConsole(token);
  assert.equal(await signedIn.page.getByTestId('console-agent').textContent(), name);
  await signedIn.context.close();
});
