// End-to-end: a visitor on a site of another origin opens Baton, asks a demo FAQ question and gets the FAQ's answer
// (instantly, from the widget), asks nonsense and gets the polite fallback; the conversation survives reloads; the
// command API and its pre-load queue work; host CSS stays out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { API } from './support/browser.mjs';
import { ARTIFACTS, until, useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { WIRE_MEDIA_TYPE } from './support/wire.mjs';

const demo = JSON.parse(fs.readFileSync(new URL('../sites/demo.json', import.meta.url)));
const faqAnswer = (id) => demo.faq.find((entry) => entry.id === id).answer;

const suite = useBrowserAndHost();

test('a visitor on another origin gets an FAQ answer and a polite fallback', async () => {
  const page = await suite.browser.newPage();
  const failedRequests = [];
  page.on('requestfailed', (request) => failedRequests.push(request.url()));
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  await page.goto(suite.host.url);
  assert.notEqual(new URL(suite.host.url).origin, new URL(API).origin, 'host and worker are different origins');

  const widget = new WidgetPage(page);
  await widget.open();
  assert.deepEqual(await widget.texts('ai'), [demo.appearance.greeting]);

  const answer = await widget.ask('How long does shipping take?');
  assert.equal(answer, faqAnswer('delivery-times'));

  const fallback = await widget.ask('zxqv blorp fnord');
  assert.equal(fallback, demo.messages.fallback);
  assert.deepEqual(await widget.texts('visitor'), ['How long does shipping take?', 'zxqv blorp fnord']);

  // Baton('on', 'message', cb), called before the loader ran, heard every message the visitor did not write.
  const received = await page.evaluate(() => window.received.map((m) => `${m.author}: ${m.text}`));
  assert.deepEqual(received, [
    `ai: ${demo.appearance.greeting}`,
    `ai: ${faqAnswer('delivery-times')}`,
    `ai: ${demo.messages.fallback}`,
  ]);
  assert.deepEqual(failedRequests, []);
  assert.deepEqual(pageErrors, [], 'no errors on the console');
  const lastAnswerVisible = await page
    .locator('[data-testid="baton-message"]')
    .last()
    .evaluate((element) => {
      const list = element.closest('ol').getBoundingClientRect();
      return element.getBoundingClientRect().bottom <= list.bottom + 1;
    });
  assert.ok(lastAnswerVisible, 'the newest message is scrolled into view');
  await page.screenshot({ path: path.join(ARTIFACTS, 'chat.png') });
  await page.close();
});

test('a confident FAQ answer is shown with no round trip and recorded; the configuration and the FAQ are cached; the chat is one download', async () => {
  const page = await suite.browser.newPage();
  const isFaq = (url) => url.endsWith('/v1/sites/demo/widget/faq');
  const faqAsked = [];
  page.on('request', (request) => isFaq(request.url()) && faqAsked.push(request));
  const wasm = [];
  page.on('request', (request) => request.url().endsWith('.wasm') && wasm.push(request.url().split('/').pop()));
  const configLoaded = page.waitForResponse((response) => response.url().endsWith('/v1/sites/demo/widget'));
  await page.goto(suite.host.url);
  const config = await configLoaded;
  assert.equal(config.status(), 200);
  // In the compact wire encoding, not JSON; kept in localStorage as its base64 text.
  assert.equal(await config.request().headerValue('accept'), 'application/vnd.baton.wire');
  assert.equal(await config.headerValue('content-type'), 'application/vnd.baton.wire');
  const kept = await page.waitForFunction(() => localStorage.getItem('baton:demo:widget-config'));
  assert.match(await kept.jsonValue(), /^[A-Za-z0-9+/]+=*$/);
  // The FAQ is the chat's: a page view does not download it; a pointer on the launcher does, with the chat's module.
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  assert.equal(faqAsked.length, 0, 'the page view did not ask for the FAQ');
  assert.deepEqual(wasm, ['baton_widget_bg.wasm'], 'a page view fetches the main module only');
  const faqLoaded = page.waitForResponse((response) => isFaq(response.url()));
  await widget.launcher.hover();
  const faq = await faqLoaded;
  assert.equal(faq.status(), 200);
  assert.equal(await faq.headerValue('content-type'), 'application/vnd.baton.wire');
  const keptFaq = await page.waitForFunction(() => localStorage.getItem('baton:demo:widget-faq'));
  assert.match(await keptFaq.jsonValue(), /^[A-Za-z0-9+/]+=*$/);

  // Hold every message on its way to the worker: an instant answer must not need it.
  const held = [];
  await page.route('**/v1/sites/demo/conversations/*/messages', (route) => { held.push(route); });
  await widget.open();
  // Before the visitor writes, the FAQ's first questions are offered.
  assert.deepEqual(
    await page.getByTestId('baton-suggestion').allTextContents(),
    demo.faq.slice(0, 3).map((entry) => entry.question),
  );
  const answer = await widget.ask('How long does shipping take?');
  assert.equal(answer, faqAnswer('delivery-times'));
  await until(() => held.length === 1); // the message was sent to be recorded…
  assert.equal(await widget.messages('ai').last().getAttribute('data-source'), 'instant', '…and answered before it arrived');
  assert.deepEqual(wasm, ['baton_widget_bg.wasm', 'chat.wasm'], "the chat's modules came in one download");

  // Released, the worker records the answer the visitor saw; it is shown once, not twice.
  const recorded = page.waitForResponse((response) => response.url().endsWith('/messages'));
  await held[0].continue();
  const answered = await recorded;
  assert.equal(answered.headers()['content-type'], WIRE_MEDIA_TYPE, 'the widget is answered in the wire encoding');
  // What was stored, in JSON: the same message sent again with its id is answered with what the worker stored.
  const sent = answered.request();
  const { authorization, origin } = await sent.allHeaders();
  const again = await fetch(sent.url(), {
    method: 'POST',
    headers: { authorization, origin, 'content-type': 'application/json' },
    body: sent.postData(),
  });
  assert.equal(again.status, 200, await again.clone().text());
  const stored = await again.json();
  assert.deepEqual(
    stored.messages.map((m) => [m.author, m.text, m.answer?.faq_entry_id]),
    [['visitor', 'How long does shipping take?', undefined], ['ai', faqAnswer('delivery-times'), 'delivery-times']],
  );
  await widget.messages('ai').nth(1).and(page.locator(':not([data-source])')).waitFor();
  assert.deepEqual(await widget.texts('ai'), [demo.appearance.greeting, faqAnswer('delivery-times')]);

  // A question the FAQ cannot answer waits for the worker's decision.
  await widget.input.fill('zxqv blorp fnord');
  await widget.input.press('Enter');
  await until(() => held.length === 2);
  assert.equal(await widget.messages('ai').count(), 2, 'nothing is answered before the worker decides');
  await held[1].continue();
  await widget.messages('ai').nth(2).waitFor();
  assert.equal((await widget.messages("ai").nth(2).getByTestId("baton-body").textContent()).trim(), demo.messages.fallback);

  // The next page revalidates its localStorage copies and gets bodiless 304s: the configuration at once, the FAQ
  // when the chat is likely.
  const revalidated = page.waitForResponse((response) => response.url().endsWith('/v1/sites/demo/widget'));
  await page.reload();
  const response = await revalidated;
  assert.equal(response.status(), 304);
  assert.match(await response.request().headerValue('if-none-match'), /^"[0-9a-f]{16}-wire"$/);
  const faqRevalidated = page.waitForResponse((response) => isFaq(response.url()));
  await widget.launcher.focus();
  const faqResponse = await faqRevalidated;
  assert.equal(faqResponse.status(), 304);
  assert.match(await faqResponse.request().headerValue('if-none-match'), /^"[0-9a-f]{16}-faq-wire"$/);
  await page.close();
});

test('a FAQ the worker could not send is asked for again when the panel opens, and its questions are offered', async () => {
  const page = await suite.browser.newPage();
  const asked = [];
  await page.route('**/v1/sites/demo/widget/faq', (route) => {
    asked.push(route.request());
    return asked.length === 1 ? route.abort('connectionreset') : route.continue();
  });
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  const failed = page.waitForEvent('requestfailed', (request) => request.url().endsWith('/widget/faq'));
  await widget.launcher.hover();
  await failed;
  // The widget hears of the failure in a task of its own: let it run before the panel opens.
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 100)));
  const faqLoaded = page.waitForResponse((response) => response.url().endsWith('/v1/sites/demo/widget/faq'));
  await widget.open();
  assert.equal((await faqLoaded).status(), 200);
  await page.getByTestId('baton-suggestion').first().waitFor();
  assert.deepEqual(
    await page.getByTestId('baton-suggestion').allTextContents(),
    demo.faq.slice(0, 3).map((entry) => entry.question),
  );
  assert.equal(asked.length, 2, 'asked once more, not again and again');
  await page.close();
});

test('a JSON configuration from an HTTP cache of an older deployment is asked for again, past the cache', async () => {
  const page = await suite.browser.newPage();
  // The first answer is what a browser cache could still hold from before the wire encoding: the JSON, with no
  // `Vary: Accept`. The widget asks again (with `cache: 'reload'`, which Playwright cannot show: routing turns the
  // browser's HTTP cache off) and gets the wire encoding.
  const asked = [];
  await page.route('**/v1/sites/demo/widget', async (route) => {
    asked.push(route.request());
    if (asked.length > 1) return route.continue();
    const json = await route.fetch({ headers: { ...route.request().headers(), accept: 'application/json' } });
    assert.match(json.headers()['content-type'], /^application\/json/);
    return route.fulfill({ response: json });
  });
  await page.goto(suite.host.url);
  const kept = await page.waitForFunction(() => localStorage.getItem('baton:demo:widget-config'));
  assert.match(await kept.jsonValue(), /^[A-Za-z0-9+/]+=*$/);
  assert.equal(asked.length, 2);
  assert.equal(await asked[1].headerValue('accept'), 'application/vnd.baton.wire');
  const widget = new WidgetPage(page);
  await widget.open();
  assert.deepEqual(await widget.texts('ai'), [demo.appearance.greeting]);
  await page.close();
});

test('the conversation survives a reload and a page change: its history is shown, no new one starts', async () => {
  const page = await suite.browser.newPage();
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.open();
  await widget.ask('How long does shipping take?');
  await widget.ask('zxqv blorp fnord');
  await widget.messages('ai').nth(2).and(page.locator(':not([data-source])')).waitFor();
  const before = await widget.texts('ai');

  const created = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/conversations')) created.push(request.url());
  });
  for (const url of [suite.host.url, `${suite.host.url}?page=pricing`]) {
    await page.goto(url);
    await widget.launcher.click();
    await widget.messages('ai').nth(2).waitFor();
    assert.deepEqual(await widget.texts('ai'), before);
    assert.deepEqual(await widget.texts('visitor'), ['How long does shipping take?', 'zxqv blorp fnord']);
  }
  assert.deepEqual(created, [], 'the stored conversation was resumed, not replaced');
  await page.close();
});

test("calls queued before the widget loads are replayed: Baton('open') and listeners", async () => {
  const page = await suite.browser.newPage();
  // Hold the widget's wasm until the queued calls are in place, so they are certainly made before it loads.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/widget/baton_widget_bg.wasm', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(suite.host.url);
  await page.waitForFunction(() => typeof window.Baton === 'function' && Array.isArray(window.Baton.q));
  const queued = await page.evaluate(() => {
    window.opened = 0;
    Baton('on', 'open', () => { window.opened += 1; });
    Baton('open');
    return window.Baton.q.length;
  });
  assert.equal(queued, 5, 'the three stub calls from the page plus two calls, all queued');
  assert.equal(await page.getByTestId('baton-panel').count(), 0, 'nothing is open before the widget loads');

  release();
  const widget = new WidgetPage(page);
  await widget.panel.waitFor();
  await page.locator('[data-testid="baton-message"][data-author="ai"]').first().waitFor();
  assert.equal(await page.evaluate(() => window.opened), 1);
  assert.equal(await page.evaluate(() => window.received.length), 1, 'the greeting reached the message listener');
  await page.close();
});

test('host page CSS does not reach the widget', async () => {
  const page = await suite.browser.newPage();
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.open();
  const style = await widget.launcher.evaluate((element) => {
    const computed = getComputedStyle(element);
    return { background: computed.backgroundColor, font: computed.fontFamily };
  });
  assert.notEqual(style.background, 'rgb(255, 0, 0)');
  assert.doesNotMatch(style.font, /Comic Sans/);
  const greetingColour = await page
    .locator('[data-testid="baton-message"]')
    .first()
    .evaluate((element) => getComputedStyle(element).color);
  assert.notEqual(greetingColour, 'rgb(255, 0, 0)');
  await page.close();
});

test('the demo page served by the worker embeds the widget; the agent console is served', async () => {
  const page = await suite.browser.newPage();
  await page.goto(`${API}/demo/`);
  await page.locator('text=Chat with us').first().click();
  const widget = new WidgetPage(page);
  await widget.panel.waitFor();
  assert.equal(await widget.ask('When are you open?'), faqAnswer('opening-hours'));

  await page.goto(`${API}/console/`);
  await page.getByTestId('console-sign-in').waitFor();
  assert.match(await page.locator('h1').textContent(), /agent console/i);
  await page.close();
});

/** Opens the widget on the host page, recording the bodies of the messages it posts. */
async function openRecordingPosts() {
  const page = await suite.browser.newPage();
  await page.goto(suite.host.url);
  const widget = new WidgetPage(page);
  await widget.open();
  const posted = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/messages')) posted.push(request.postDataJSON());
  });
  return { page, widget, posted };
}

test('a clarifying question offers its questions as buttons: one answers that entry, "None of these" hands off', async () => {
  const { page, widget, posted } = await openRecordingPosts();

  const question = await widget.ask('how much is it');
  assert.match(question, /Did you mean one of these\?/);
  const choices = page.getByTestId('baton-choice');
  assert.deepEqual((await choices.allTextContents()).map((text) => text.trim()), [
    'How much is a coffee subscription?',
    'How much does Fernleaf for Cafés cost?',
    'How much does delivery cost?',
    'None of these',
  ]);
  assert.equal(await page.getByTestId('baton-suggestion').count(), 0, 'the choices replace the suggestions');
  await page.screenshot({ path: path.join(ARTIFACTS, 'choices.png') });

  // Keyboard: the choice is a real button, focused and pressed like one.
  const deliveryCost = page.getByRole('button', { name: 'How much does delivery cost?' });
  await deliveryCost.focus();
  await page.keyboard.press('Enter');
  await widget.messages('ai').nth(2).waitFor();
  assert.equal(await choices.count(), 0, 'tapped: the choices are put away');
  await widget.messages('ai').nth(2).and(page.locator(':not([data-source])')).waitFor();
  assert.deepEqual((await widget.texts('ai')).slice(2), [faqAnswer('delivery-cost')]);
  assert.deepEqual((await widget.texts('visitor')).slice(1), ['How much does delivery cost?']);
  assert.equal(posted[1].choice, 'delivery-cost');

  // Asked again, "None of these" goes to a person.
  await widget.ask('how much is it');
  await page.getByRole('button', { name: 'None of these' }).click();
  const notice = widget.messages('system').first();
  await notice.waitFor();
  assert.match(await notice.getByTestId('baton-body').textContent(), /Customer Care/);
  assert.equal(posted[3].chose_person, true);
  assert.equal(await choices.count(), 0);
  await page.close();
});

test('"are you a bot?" gets the honest answer and a person on request', async () => {
  const { page, widget, posted } = await openRecordingPosts();

  const answer = await widget.ask('are you a bot?');
  assert.match(answer, /automated assistant, not a person/);
  const choices = page.getByTestId('baton-choice');
  assert.deepEqual((await choices.allTextContents()).map((text) => text.trim()), ['Talk to a person']);
  assert.equal(await page.getByTestId('baton-talk-to-person').isVisible(), false, 'the offered person stands in for the usual button');
  assert.equal(await widget.messages('system').count(), 0, 'asking is not a handoff');

  await page.getByRole('button', { name: 'Talk to a person' }).click();
  const notice = widget.messages('system').first();
  await notice.waitFor();
  assert.match(await notice.getByTestId('baton-body').textContent(), /Customer Care/);
  assert.equal(posted[1].chose_person, true);
  assert.equal(await choices.count(), 0);
  await page.close();
});
