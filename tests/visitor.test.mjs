// End-to-end: the visitor's paths beyond a first answer. Talking to a person (the button, the handoff event, the
// header), the pre-chat form's inline validation, sending while offline, the typing indicator and unread badge,
// keyboard use and axe-core, the mobile layout, markup that must stay text, identify, and an unknown origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { API } from './support/browser.mjs';
import { startHostSite } from './support/host-site.mjs';
import { ARTIFACTS, until, useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { storedSession, wireReader } from './support/wire.mjs';

const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;

const suite = useBrowserAndHost();

/** A fresh visitor (own storage) on the host page with the panel open. */
async function openWidget(options = {}) {
  const context = await suite.browser.newContext(options);
  const page = await context.newPage();
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.open();
  return { context, page, widget };
}

/** The POST requests to a route of the conversation API, e.g. 'messages' or 'form'. */
function recordPosts(page, route) {
  const bodies = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith(`/${route}`)) bodies.push(request.postDataJSON());
  });
  return bodies;
}

test('"Talk to a person" hands off honestly: the notice, the handoff event and the header name the team', async () => {
  const { context, page, widget } = await openWidget();
  await page.getByTestId('baton-talk-to-person').click();
  const notice = widget.messages('system').first();
  await notice.waitFor();
  const text = await notice.getByTestId('baton-body').textContent();
  assert.match(text, /Customer Care/);
  assert.match(text, /won't need to repeat anything/);
  assert.doesNotMatch(text, /please wait/i);
  const handoffs = await page.evaluate(() => window.handoffs);
  assert.equal(handoffs.length, 1);
  assert.equal(handoffs[0].reason, 'visitor_chose');
  assert.equal(handoffs[0].team, 'Customer Care');
  assert.ok(handoffs[0].asks_for.includes('email'), 'nobody is online: an email is asked for');
  assert.match(await page.getByTestId('baton-status').textContent(), /Customer Care/);
  await context.close();
});

test('the pre-chat form validates inline and sends the details once they are right', async () => {
  const { context, page, widget } = await openWidget();
  const posted = recordPosts(page, 'form');
  await page.getByTestId('baton-talk-to-person').click();
  const email = page.getByTestId('baton-field-email');
  await email.waitFor();
  await email.fill('ada at example');
  await page.getByTestId('baton-form-submit').click();
  const error = page.getByTestId('baton-field-error').first();
  assert.match(await error.textContent(), /Please enter an email address/);
  assert.equal(await email.getAttribute('aria-invalid'), 'true');
  assert.equal(posted.length, 0, 'an invalid form is not sent');

  await email.fill('ada@example.com');
  await page.getByTestId('baton-form-submit').click();
  const thanks = widget.messages('system').nth(1);
  await thanks.waitFor();
  assert.match(await thanks.getByTestId('baton-body').textContent(), /^Thanks, we have your details\./);
  assert.deepEqual(posted, [{ fields: [{ id: 'email', value: 'ada@example.com' }], consent: false }]);
  await page.getByTestId('baton-form').waitFor({ state: 'detached' });
  await context.close();
});

test('a message sent offline shows it failed and is delivered once when the network is back', async () => {
  const { context, page, widget } = await openWidget();
  const posted = recordPosts(page, 'messages');
  await context.setOffline(true);
  await widget.input.fill('zxqv sent while offline');
  await widget.input.press('Enter');
  const pending = page.locator('[data-testid="baton-message"][data-state="failed"]');
  await pending.waitFor();
  assert.match(await pending.textContent(), /offline/i);
  await context.setOffline(false);
  // The browser's `online` event sends it again with the same client message id.
  await widget.messages('ai').nth(1).waitFor();
  assert.equal(await page.locator('[data-testid="baton-message"][data-state]').count(), 0);
  assert.ok(posted.length >= 1);
  assert.equal(new Set(posted.map((body) => body.client_message_id)).size, 1, 'always the same client id');
  await page.reload();
  await widget.open();
  await widget.messages('ai').nth(1).waitFor();
  assert.deepEqual(await widget.texts('visitor'), ['zxqv sent while offline'], 'stored exactly once');
  await context.close();
});

test('the typing indicator shows while the worker answers; replies while closed raise the unread badge', async () => {
  const { context, page, widget } = await openWidget();
  const held = [];
  await page.route('**/messages', (route) => (route.request().method() === 'POST' ? held.push(route) : route.continue()));
  await widget.input.fill('zxqv please answer later');
  await widget.input.press('Enter');
  await page.getByTestId('baton-typing').waitFor();
  await page.keyboard.press('Escape');
  await widget.panel.waitFor({ state: 'detached' });
  await until(() => held.length === 1);
  await held[0].continue();
  const badge = page.getByTestId('baton-unread');
  await badge.waitFor();
  assert.equal((await badge.textContent()).trim(), '1');
  assert.match(await widget.launcher.getAttribute('aria-label'), /1 unread/);
  await widget.launcher.click();
  await badge.waitFor({ state: 'detached' });
  await context.close();
});

test('keyboard only: focus moves into the panel and back, Escape closes; axe-core finds nothing serious', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  await widget.launcher.focus();
  await page.keyboard.press('Enter');
  await widget.panel.waitFor();
  await widget.messages('ai').first().waitFor();
  const focused = () =>
    page.evaluate(() => document.querySelector('[data-testid="baton-host"]').shadowRoot.activeElement?.dataset.testid);
  assert.equal(await focused(), 'baton-input');
  await page.keyboard.type('How long does delivery take?');
  await page.keyboard.press('Enter');
  await widget.messages('ai').nth(1).waitFor();

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
  await widget.panel.waitFor({ state: 'detached' });
  assert.equal(await focused(), 'baton-launcher');
  await context.close();
});

test('on a phone the panel fills the screen', async () => {
  const { context, page, widget } = await openWidget({ viewport: { width: 375, height: 667 }, isMobile: true });
  const box = await widget.panel.boundingBox();
  assert.deepEqual([box.x, box.y, box.width, box.height], [0, 0, 375, 667]);
  await page.screenshot({ path: path.join(ARTIFACTS, 'mobile.png') });
  await context.close();
});

test('markup in messages stays text: no element, no script, no javascript: link', async () => {
  const { context, page, widget } = await openWidget();
  const attack = '<img src=x onerror="window.__xss=1"> [click](javascript:window.__xss=2) **bold**';
  await widget.input.fill(attack);
  await widget.input.press('Enter');
  await widget.messages('ai').nth(1).waitFor();
  const visitor = widget.messages('visitor').first();
  assert.equal(
    (await visitor.getByTestId('baton-body').textContent()).trim(),
    '<img src=x onerror="window.__xss=1"> [click](javascript:window.__xss=2) bold'
  );
  assert.equal(await visitor.locator('img').count(), 0);
  assert.equal(await visitor.locator('a').count(), 0);
  assert.equal(await visitor.locator('strong').count(), 1, 'the safe subset is rendered');
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  await context.close();
});

test('the safe Markdown subset is rendered as its elements: emphasis, code, a safe link, a list, line breaks', async () => {
  const { context, widget } = await openWidget();
  await widget.input.fill('**Bold** *soft* `code` [the docs](https://example.com/docs)\nsecond line\n\n- one\n- two');
  await widget.input.press('Enter');
  // Once the answer is in, the list has been rebuilt around the message: its body was filled again, not twice.
  await widget.messages('ai').nth(1).waitFor();
  const body = widget.messages('visitor').first().getByTestId('baton-body');
  // Leptos keeps a comment as the placeholder of the element's children; the rest is the message.
  assert.equal(
    await body.evaluate((element) => element.innerHTML.replaceAll('<!---->', '')),
    '<p><strong>Bold</strong> <em>soft</em> <code>code</code> ' +
      '<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer nofollow">the docs</a><br>second line</p>' +
      '<ul><li>one</li><li>two</li></ul>'
  );
  await context.close();
});

test('Baton("identify") before the conversation starts is sent once it does', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const posted = recordPosts(page, 'identify');
  await page.goto(suite.host.url);
  await page.evaluate(() => Baton('identify', { name: 'Ada <b>Lovelace</b>', email: 'ada@example.com' }));
  const widget = new WidgetPage(page);
  // Listening before the panel opens: the call may be answered before the greeting shows.
  const identified = page.waitForResponse(
    (response) => response.url().endsWith('/identify') && response.status() === 200,
  );
  await widget.open();
  await identified;
  assert.deepEqual(posted, [{ name: 'Ada <b>Lovelace</b>', email: 'ada@example.com' }]);
  await context.close();
});

test('a page on an origin the site does not allow gets no conversation', async () => {
  const stranger = await startHostSite(API, '127.0.0.2');
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const failed = [];
  page.on('requestfailed', (request) => request.url().includes('/conversations') && failed.push(request.url()));
  await page.goto(stranger.url);
  const widget = new WidgetPage(page);
  await widget.launcher.click();
  await page.getByTestId('baton-notice').waitFor();
  assert.equal(failed.length, 1, 'the browser was refused the conversation (CORS)');
  assert.equal(await widget.messages('ai').count(), 0);
  // What the browser saw: the worker refuses that origin outright.
  const refused = await fetch(`${API}/v1/sites/demo/conversations`, {
    method: 'POST',
    headers: { origin: new URL(stranger.url).origin, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(refused.status, 403);
  assert.equal(refused.headers.get('access-control-allow-origin'), null);
  await context.close();
  await stranger.close();
});

test('the conversational form asks one field at a time in the chat, in the site\'s language', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${suite.host.url}?site=conversational`);
  const widget = new WidgetPage(page);
  await widget.open();
  assert.equal((await page.getByTestId('baton-talk-to-person').textContent()).trim(), 'Parler à une personne');
  await page.getByTestId('baton-talk-to-person').click();
  await widget.messages('system').first().waitFor();
  // No form: the question is asked in the conversation and the composer answers it.
  assert.equal(await page.getByTestId('baton-form').count(), 0);
  const question = widget.messages('system').last();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="baton-host"]').shadowRoot
      .querySelector('[data-testid="baton-input"]').placeholder.startsWith('Indiquez votre e-mail'));
  assert.match(await question.textContent(), /Indiquez votre e-mail/);
  await widget.input.fill('pas un email');
  await widget.input.press('Enter');
  assert.match(await page.getByTestId('baton-notice').textContent(), /E-mail: Indiquez une adresse e-mail/);
  await widget.input.fill('marie@example.fr');
  await widget.input.press('Enter');
  const thanks = widget.messages('system').filter({ hasText: 'Merci, nous avons vos coordonnées.' });
  await thanks.waitFor();
  assert.equal(await widget.messages('visitor').count(), 1, 'the answer was a form field, not a message');
  await context.close();
});

test('after hours the panel says when the team is back and collects the email', async () => {
  const context = await suite.browser.newContext({ timezoneId: 'Europe/Paris' });
  const page = await context.newPage();
  // Saturday 28 November 2026, 15:00 in London: the demo site is closed until Monday 09:00 (10:00 in Paris).
  await page.route('**/v1/sites/demo/**', (route) =>
    route.continue({ headers: { ...route.request().headers(), 'x-baton-now': '1795878000000' } }));
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.open();
  await widget.input.fill('Can I speak to someone about my order?');
  await widget.input.press('Enter');
  const notice = widget.messages('system').first();
  await notice.waitFor();
  assert.match(await notice.textContent(), /back on Monday 10:00 \(your time\)/);
  assert.match(await page.getByTestId('baton-status').textContent(), /back/);
  await page.getByTestId('baton-field-email').fill('ada@example.com');
  await page.getByTestId('baton-field-order').fill('A-1042');
  await page.getByTestId('baton-form-submit').click();
  const thanks = widget.messages('system').nth(1);
  await thanks.waitFor();
  assert.match(await thanks.textContent(), /Thanks, we have your details\..*back on Monday 10:00/);
  await context.close();
});

test('the details form shows no problem before the visitor types, checks a field when they leave it, and steps aside once a person joins', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  let conversationId;
  page.on('response', async (response) => {
    if (response.request().method() === 'POST' && response.url().endsWith('/conversations')) {
      // `ConversationCreated` in the wire encoding, as the widget asks for it: the id is its first field.
      conversationId = wireReader(await response.body()).str();
    }
  });
  await page.goto(suite.host.url);
  await new WidgetPage(page).open();
  await page.getByTestId('baton-talk-to-person').click();
  const email = page.getByTestId('baton-field-email');
  await email.waitFor();
  // Nothing typed yet: no problem shown, nothing marked invalid.
  assert.deepEqual((await page.getByTestId('baton-field-error').allTextContents()).filter(Boolean), []);
  assert.equal(await email.getAttribute('aria-invalid'), 'false');
  // Leaving a field with a wrong value tells what is wrong at once; putting it right clears it.
  await email.fill('ada at example');
  await email.press('Tab');
  await page.getByTestId('baton-field-error').filter({ hasText: /Please enter an email address/ }).waitFor();
  await email.fill('ada@example.com');
  assert.deepEqual((await page.getByTestId('baton-field-error').allTextContents()).filter(Boolean), []);

  // A person takes the conversation: the form steps aside behind a small link, and comes back when asked for.
  await until(() => conversationId !== undefined);
  const admin = await fetch(`${API}/v1/sites/demo/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${process.env.BATON_ADMIN_TOKEN}` },
    body: JSON.stringify({ name: `Dee ${Date.now() % 100000}`, teams: ['support'], role: 'admin' }),
  });
  assert.equal(admin.status, 201, await admin.clone().text());
  const { token } = await admin.json();
  const claimed = await fetch(`${API}/v1/sites/demo/agent/conversations/${conversationId}/claim`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: 'null',
  });
  assert.equal(claimed.status, 200, await claimed.clone().text());
  await page.getByTestId('baton-status').filter({ hasText: /is with you/ }).waitFor();
  await page.getByTestId('baton-form').waitFor({ state: 'hidden' });
  const link = page.getByTestId('baton-details-link');
  assert.equal((await link.textContent()).trim(), 'Add your details');
  await link.click();
  await email.waitFor();
  assert.equal(await email.inputValue(), 'ada@example.com', 'what the visitor typed is still there');
  await link.waitFor({ state: 'detached' });
  await context.close();
});

test('a conversation an earlier widget kept in JSON goes on, and its session is kept in the wire encoding since', async () => {
  // A conversation with a question in it, as an earlier widget started it…
  const origin = new URL(suite.host.url).origin;
  const headers = { origin, 'content-type': 'application/json' };
  const created = await fetch(`${API}/v1/sites/demo/conversations`, { method: 'POST', headers, body: '{}' });
  assert.equal(created.status, 201, await created.clone().text());
  const { conversation_id: id, visitor_token: token } = await created.json();
  const posted = await fetch(`${API}/v1/sites/demo/conversations/${id}/messages`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_message_id: 'earlier', text: 'Is the espresso grinder back in stock?' }),
  });
  assert.equal(posted.status, 200, await posted.clone().text());
  // …and its session as that widget kept it: JSON text.
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto(suite.host.url);
  await page.evaluate(
    ([session]) => localStorage.setItem('baton:demo:session', session),
    [JSON.stringify({ conversation_id: id, visitor_token: token })],
  );
  await page.reload();
  const widget = new WidgetPage(page);
  await widget.open();
  // The chat resumed it: the question is there, and no new conversation was started.
  await widget.messages('visitor').filter({ hasText: 'espresso grinder' }).waitFor();
  assert.ok(!fetched.some((path) => path === '/v1/sites/demo/conversations'), fetched.join(' '));
  assert.ok(fetched.some((path) => /split_from_json_.*\.wasm$/.test(path)), fetched.join(' '));
  // Kept in the wire encoding (base64) from now on.
  const kept = await page.evaluate(() => localStorage.getItem('baton:demo:session'));
  assert.match(kept, /^[A-Za-z0-9+/]+=*$/);
  assert.deepEqual(storedSession(kept), { conversation_id: id, visitor_token: token });
  await context.close();
});
