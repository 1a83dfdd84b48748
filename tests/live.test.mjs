// End-to-end: the human moment after a handoff, with two browser contexts. A visitor on a host page (another
// origin) asks for a person; an agent signed in at /console/ sees it arrive, takes it, and both talk live (typing,
// read receipts, the agent's name); a second agent's claim is refused; the close asks the visitor for a rating.
// Then the console's own rules: a `#token=…` link signs in and leaves no token in the address bar or history, a
// `#conversation=…` link opens that conversation without a reload, and an admin disabling an agent ends that
// agent's session at once. The `live` test site has no business hours, so it is open whenever the tests run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { createAdmin, createAgent, handOver } from './support/agents.mjs';
import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const suite = useBrowserAndHost();
const SITE = 'live';
const stamp = Date.now() % 100000;

/** The site's admin for these tests (the operator token creates admins only; the admin creates agents). */
let siteAdmin;
async function admin() {
  siteAdmin ??= await createAdmin(SITE, `Admin ${stamp}`, ['support']);
  return siteAdmin;
}

/** An agent of the support team, created by the admin. */
async function supportAgent(name) {
  return createAgent(SITE, await admin(), `${name} ${stamp}`, ['support']);
}

/** An agent's console in its own browser context, signed in by link and connected. */
async function openConsole(token) {
  return ConsolePage.open(suite.browser, `token=${token}`);
}

/** The host page's origin, which the live site allows: conversations made through the API come from there. */
function hostOrigin() {
  return new URL(suite.host.url).origin;
}

test('a visitor asks for a person; the agent at /console/ takes it and both talk live; the close asks for a rating', async () => {
  const ana = await supportAgent('Ana');
  const bob = await supportAgent('Bob');
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
  await item.waitFor({ timeout: 10_000 });
  console.log(`# handoff shown in the console inbox ${Date.now() - asked} ms after the click`);
  const conversationId = await item.getAttribute('data-conversation');
  await item.click();
  await agent.page.getByTestId('console-claim').click();
  await agent.page.getByTestId('console-composer').waitFor();
  // The page passed no signed identity: the context says so, and does not present name or email as proven.
  const identity = agent.page.getByTestId('console-identity');
  assert.equal(await identity.getAttribute('data-verified'), 'false');
  assert.match(await identity.textContent(), /Not verified/);
  await agent.page.getByText('Email, given by the visitor (not verified)').waitFor();

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
  // The older link form, with the site beside the token, is still read.
  await page.goto(`${API}/console/#site=${SITE}&token=bat_wrong`);
  await page.getByTestId('console-error').filter({ hasText: 'this agent token is not valid' }).waitFor();
  // A token that names its site needs nothing beside it; refused or not, it leaves the address bar.
  await page.goto(`${API}/console/`);
  await page.reload();
  await page.goto(`${API}/console/#token=bat_${SITE}.wrong`);
  await page.getByTestId('console-error').filter({ hasText: 'this agent token is not valid' }).waitFor();
  assert.equal(page.url(), `${API}/console/`);
  await page.getByTestId('console-token').waitFor();
  const response = await fetch(`${API}/v1/sites/${SITE}/agent/inbox`);
  assert.equal(response.status, 401);
  await context.close();
});

test('an admin creates an agent in the console; the token is shown once and signs the new agent in', async () => {
  const boss = await admin();
  const { context, page, consolePage } = await openConsole(boss.token);
  await consolePage.openTeam();
  const name = `Cleo ${stamp}`;
  await page.getByTestId('console-new-agent-name').fill(name);
  await page.locator('[data-testid="console-team"] label', { hasText: 'Customer Care' }).locator('input').check();
  await page.getByTestId('console-create-agent').click();
  const shown = await page.getByTestId('console-new-token').textContent();
  assert.match(shown, new RegExp(`Token for ${name} \\(shown once\\)`));
  const token = (await page.getByTestId('console-new-token-value').textContent()).trim();
  assert.match(token, new RegExp(`^bat_${SITE}\\.`), 'the token names its site');
  // The new account is listed at once, enabled.
  await page.locator('[data-testid="console-agent-row"][data-disabled="false"]', { hasText: name }).waitFor();
  await context.close();
  const signedIn = await openConsole(token);
  assert.equal(await signedIn.page.getByTestId('console-agent').textContent(), name);
  await signedIn.context.close();
});

test('a #token= link signs in, and the token leaves the address bar and the history', async () => {
  const agent = await supportAgent('Dora');
  const conversationId = await handOver(SITE, hostOrigin());

  // Followed on a loaded console (no reload: the link changes the hash), with a conversation beside the token.
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${API}/console/`);
  await page.getByTestId('console-token').waitFor();
  await page.goto(`${API}/console/#token=${agent.token}&conversation=${conversationId}`);
  const consolePage = new ConsolePage(page);
  await consolePage.connected.waitFor();
  await consolePage.conversation(conversationId).waitFor();
  assert.equal(page.url(), `${API}/console/#conversation=${conversationId}`);
  // The link's history entry was replaced, not followed by a clean one: back and forward never show the token.
  await page.goBack();
  assert.equal(page.url(), `${API}/console/`);
  await page.goForward();
  assert.equal(page.url(), `${API}/console/#conversation=${conversationId}`);
  assert.ok(!(await page.evaluate(() => location.href)).includes(agent.token));

  // Opened fresh from the link, as from a chat message or `cargo xtask dev`.
  const fresh = await openConsole(agent.token);
  assert.equal(fresh.page.url(), `${API}/console/`);
  assert.equal((await fresh.page.getByTestId('console-agent').textContent()).trim(), agent.agent.name);
  // The sign-in is kept for this browser: a reload stays signed in, still with no token in sight.
  await fresh.page.reload();
  await fresh.consolePage.connected.waitFor();
  assert.equal(fresh.page.url(), `${API}/console/`);
  await Promise.all([context.close(), fresh.context.close()]);
});

test('a #conversation= link opens that conversation in the open console, without a reload', async () => {
  const agent = await supportAgent('Emil');
  const first = await handOver(SITE, hostOrigin());
  const second = await handOver(SITE, hostOrigin());
  const { context, page, consolePage } = await openConsole(agent.token);
  await consolePage.inboxItem(second).waitFor();
  await page.evaluate(() => { window.sameDocument = true; });
  for (const id of [first, second]) {
    // What a webhook's link does when the console is already open in the tab.
    await page.evaluate((hash) => { location.hash = hash; }, `conversation=${id}`);
    await consolePage.conversation(id).waitFor();
    assert.equal(await consolePage.page.getByTestId('console-conversation').count(), 1);
  }
  assert.equal(await page.evaluate(() => window.sameDocument), true, 'the page was not reloaded');
  await context.close();
});

test('an admin disables an agent in the team panel: the agent\'s console signs out at once and says why', async () => {
  const boss = await admin();
  const fay = await supportAgent('Fay');
  const agent = await openConsole(fay.token);
  const { context, consolePage } = await openConsole(boss.token);
  await consolePage.openTeam();
  const row = consolePage.agentRow(fay.agent.id);
  await row.getByTestId('console-agent-toggle').click();

  // The agent's console is signed out by the worker, with the reason, and its sign-in is forgotten.
  await agent.page.getByTestId('console-signed-out').filter({ hasText: /disabled/ }).waitFor({ timeout: 5_000 });
  await agent.consolePage.signInForm.waitFor();
  await agent.page.reload();
  await agent.consolePage.signInForm.waitFor();
  assert.equal(await agent.consolePage.connected.count(), 0);

  // The admin sees the account as disabled; its token is refused until it is enabled again.
  await consolePage.page.locator(`[data-testid="console-agent-row"][data-agent="${fay.agent.id}"][data-disabled="true"]`).waitFor();
  await row.getByTestId('console-agent-disabled').waitFor();
  const refused = await fetch(`${API}/v1/sites/${SITE}/agent/me`, { headers: { authorization: `Bearer ${fay.token}` } });
  assert.equal(refused.status, 401);
  await row.getByTestId('console-agent-toggle').click();
  await consolePage.page.locator(`[data-testid="console-agent-row"][data-agent="${fay.agent.id}"][data-disabled="false"]`).waitFor();
  const back = await openConsole(fay.token);
  await back.context.close();

  // Deleting asks first; confirmed, the account is gone.
  await row.getByTestId('console-agent-delete').click();
  await row.getByTestId('console-agent-delete-cancel').click();
  assert.equal(await row.count(), 1);
  await row.getByTestId('console-agent-delete').click();
  await row.getByTestId('console-agent-delete-confirm').click();
  await row.waitFor({ state: 'detached' });
  const deleted = await fetch(`${API}/v1/sites/${SITE}/agent/me`, { headers: { authorization: `Bearer ${fay.token}` } });
  assert.equal(deleted.status, 401);
  await Promise.all([agent.context.close(), context.close()]);
});
