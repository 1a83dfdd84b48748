// End-to-end: campaigns that need the worker's campaign routes, on the `widget-leads` test site
// (tests/sites/widget-leads.json): a lead form in a popup (inline validation, the thanks, the fields in the agent's
// inbox, not asked again by the pre-chat form) and staffing (a campaign for when Sales is online and one for when
// nobody is).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { createAdmin } from './support/agents.mjs';
import { API, launch } from './support/browser.mjs';
import { startCampaignHost } from './support/campaign-host.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { WIRE_MEDIA_TYPE, wireReader } from './support/wire.mjs';

const SITE = 'widget-leads';
const AXE = new URL('../node_modules/axe-core/axe.min.js', import.meta.url).pathname;
const stamp = Date.now().toString(36);

const suite = { browser: undefined, host: undefined };
before(async () => {
  suite.browser = await launch();
  suite.host = await startCampaignHost(API);
});
after(async () => {
  await suite.browser?.close();
  await suite.host?.close();
});

/** A fresh visitor on `path` of the host page embedding the `widget-leads` site. */
async function visit(path) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(suite.host.url(`${path}?site=${SITE}`));
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  return { context, page, widget, card: page.getByTestId('baton-campaign') };
}

function errors(page) {
  return page.getByTestId('baton-campaign').getByTestId('baton-field-error').allTextContents();
}

test('staffing: nobody online shows the "nobody online" banner, not the "people online" bubble', async () => {
  const { context, card } = await visit('/staffed');
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('data-campaign'), 'nobody-online');
  await context.close();
});

test('a lead form in a popup: checked inline like the pre-chat form, then thanked; Sales finds the fields in its inbox and the chat does not ask for them again', async () => {
  const { context, page, widget, card } = await visit('/wholesale');
  await card.waitFor({ timeout: 10_000 });
  assert.equal(await card.getAttribute('role'), 'dialog');

  // Measured once the card's fade-in has finished (axe reads colours through opacity).
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="baton-host"]').shadowRoot.getAnimations().every((animation) => animation.playState === 'finished'),
  );
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const results = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return results.violations
      .filter((violation) => ['serious', 'critical'].includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
  assert.deepEqual(violations, [], 'axe-core with the lead popup open');

  const submit = card.getByTestId('baton-form-submit');
  await submit.click();
  assert.deepEqual(
    (await errors(page)).filter(Boolean),
    ['This is needed.', 'This is needed.', 'Please tick the box to continue.'],
    'the required fields (the café is optional) and the consent',
  );
  await card.getByTestId('baton-field-name').fill('Ada Lovelace');
  await card.getByTestId('baton-field-email').fill('ada@example');
  await card.getByTestId('baton-field-cafe').fill('Analytical Espresso');
  await card.getByTestId('baton-consent').check();
  await submit.click();
  assert.deepEqual((await errors(page)).filter(Boolean), ['Please enter an email address like name@example.com.']);

  await card.getByTestId('baton-field-email').fill('ada@example.com');
  const leadResponse = page.waitForResponse((response) => response.url().endsWith(`/v1/sites/${SITE}/leads`));
  await submit.click();
  // The widget asks for the answer in the wire encoding: `LeadCreated`, its fields in order.
  const answered = await leadResponse;
  assert.equal(answered.headers()['content-type'], WIRE_MEDIA_TYPE);
  const lead = wireReader(await answered.body());
  const created = { lead_id: lead.str(), conversation_id: lead.opt(lead.str), thanks: lead.str() };
  lead.end();
  assert.equal(created.thanks, 'Thanks! Sales will email you the price list today.');
  assert.equal(
    await card.getByTestId('baton-campaign-thanks').textContent(),
    'Thanks! Sales will email you the price list today.',
  );
  assert.deepEqual(
    await page.evaluate(() => window.campaignEvents.map((event) => `${event.id}:${event.what}`)),
    ['wholesale-lead:shown', 'wholesale-lead:lead'],
  );

  // Sales sees the lead in its inbox, with the fields.
  const sales = await createAdmin(SITE, `Sol ${stamp}`, ['sales']);
  const inbox = await fetch(`${API}/v1/sites/${SITE}/agent/inbox`, {
    headers: { authorization: `Bearer ${sales.token}` },
  });
  assert.equal(inbox.status, 200);
  const items = await inbox.json();
  const listed = JSON.stringify(items);
  assert.ok(listed.includes(created.conversation_id), 'the lead is in the inbox');
  const view = await (
    await fetch(`${API}/v1/sites/${SITE}/agent/conversations/${created.conversation_id}`, {
      headers: { authorization: `Bearer ${sales.token}` },
    })
  ).json();
  assert.deepEqual(view.package.fields, [
    ['Your name', 'Ada Lovelace'],
    ['Email', 'ada@example.com'],
    ['Your café', 'Analytical Espresso'],
  ]);

  // Closing the thanks is not a dismissal; the chat's pre-chat form (name and email first) is not shown again.
  await card.getByTestId('baton-campaign-close').click();
  await card.waitFor({ state: 'detached' });
  const formSent = page.waitForRequest((request) => request.url().endsWith('/form') && request.method() === 'POST');
  await widget.launcher.click();
  await widget.panel.waitFor();
  const sent = JSON.parse((await formSent).postData());
  assert.deepEqual(sent.fields, [
    { id: 'name', value: 'Ada Lovelace' },
    { id: 'email', value: 'ada@example.com' },
  ]);
  await page.waitForTimeout(500);
  assert.equal(await widget.panel.getByTestId('baton-form').count(), 0, 'the pre-chat form is not asked again');
  assert.deepEqual(
    await page.evaluate(() => window.campaignEvents.map((event) => event.what)),
    ['shown', 'lead'],
  );
  await context.close();
});

test('staffing: with an agent of Sales online, the "people online" bubble shows', async () => {
  const sales = await createAdmin(SITE, `Sam ${stamp}`, ['sales']);
  const agent = await ConsolePage.open(suite.browser, `token=${sales.token}`);
  try {
    const { context, card } = await visit('/staffed');
    await card.waitFor({ timeout: 10_000 });
    assert.equal(await card.getAttribute('data-campaign'), 'people-online');
    assert.match(await card.textContent(), /Sales is online now/);
    await context.close();
  } finally {
    await agent.context.close();
  }
});
