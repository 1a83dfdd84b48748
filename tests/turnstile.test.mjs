// End-to-end: a site that asks for a bot check (Cloudflare Turnstile) before a conversation starts. Cloudflare's
// script and its siteverify endpoint are outside services: the browser gets a stand-in script (routed by
// Playwright) that passes the challenge with a test token, and the worker asks a stand-in siteverify on loopback
// (BATON_TURNSTILE_VERIFY_URL of the test stack), which passes only that token under the site's secret.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const suite = useBrowserAndHost();
const VERIFY_PORT = 8793;
const SECRET = 'test-turnstile-secret';
const verified = [];
let verifier;

before(async () => {
  verifier = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const form = new URLSearchParams(body);
      const success = form.get('secret') === SECRET && form.get('response') === 'browser-token';
      verified.push(form.get('response'));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ success, 'error-codes': success ? [] : ['invalid-input-response'] }));
    });
  });
  await new Promise((resolve) => verifier.listen(VERIFY_PORT, '127.0.0.1', resolve));
});

after(async () => {
  await new Promise((resolve) => verifier.close(resolve));
});

/** Cloudflare's script as a stand-in: `turnstile.render` shows a box and passes at once with `browser-token`. */
const STAND_IN = `window.turnstile = { render(element, options) {
  element.setAttribute('data-testid', 'turnstile-box');
  element.setAttribute('data-sitekey', options.sitekey);
  setTimeout(() => options.callback('browser-token'), 50);
  return 'widget-1';
} };`;

test('on a site with Turnstile the chat starts once the bot check passes, with its token checked by the worker', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const scripts = [];
  await page.route('https://challenges.cloudflare.com/**', (route) => {
    scripts.push(route.request().url());
    route.fulfill({ status: 200, contentType: 'text/javascript', body: STAND_IN });
  });
  const created = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/conversations')) created.push(request.postDataJSON());
  });
  await page.goto(`${suite.host.url}?site=guarded`);
  const widget = new WidgetPage(page);
  await widget.open();
  assert.equal(scripts.length, 1, 'Cloudflare\'s script is loaded once, on this site only');
  assert.match(scripts[0], /turnstile\/v0\/api\.js\?render=explicit/);
  assert.equal(created.length, 1);
  assert.equal(created[0].turnstile_token, 'browser-token');
  assert.deepEqual(verified, ['browser-token']);
  assert.equal(await page.getByTestId('turnstile-box').count(), 0, 'the box is gone once passed');
  await context.close();
});

test('a site without Turnstile never loads Cloudflare\'s script', async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const scripts = [];
  await page.route('https://challenges.cloudflare.com/**', (route) => {
    scripts.push(route.request().url());
    route.abort();
  });
  await page.goto(suite.host.url);
  await new WidgetPage(page).open();
  assert.deepEqual(scripts, []);
  await context.close();
});
