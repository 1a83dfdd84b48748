// End-to-end: the chat's pre-chat form after a campaign's lead form, on the `campaign-prefill` test site
// (tests/sites/campaign-prefill.json: a form before the chat asking name, email and company, all required, with a
// consent box; two lead forms asking name and email, one with another consent text, one with the very same). The
// pre-chat form comes filled in with what the visitor already gave, so only what is missing is left to answer, and
// asks for its consent unless the visitor ticked that very text in the lead form. The agent finds every answer in
// the handoff package. (When a lead form covers the whole pre-chat form, it is sent without being shown:
// campaign-leads.test.mjs.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { createAdmin } from './support/agents.mjs';
import { API, launch } from './support/browser.mjs';
import { startCampaignHost } from './support/campaign-host.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { storedSession } from './support/wire.mjs';

const SITE = 'campaign-prefill';
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

/** A fresh visitor sends campaign `id`'s lead form (name, email, consent) and closes its thanks; resolves to
 * { context, page, widget }. */
async function leadGiven(id, name) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(suite.host.url(`/?site=${SITE}`));
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  await page.waitForFunction((key) => localStorage.getItem(key) !== null, `baton:${SITE}:widget-config`);
  await page.evaluate((campaign) => Baton('show', campaign), id);
  const card = page.getByTestId('baton-campaign');
  await card.waitFor();
  await card.getByTestId('baton-field-name').fill(name);
  await card.getByTestId('baton-field-email').fill('ada@example.com');
  await card.getByTestId('baton-consent').check();
  await card.getByTestId('baton-form-submit').click();
  await card.getByTestId('baton-campaign-thanks').waitFor();
  await card.getByTestId('baton-campaign-close').click();
  await card.waitFor({ state: 'detached' });
  return { context, page, widget };
}

/** Opens the chat; resolves to the pre-chat form in the panel once the conversation has started. */
async function preChatForm(page, widget) {
  await widget.launcher.click();
  await widget.panel.waitFor();
  await widget.messages('ai').first().waitFor();
  const form = widget.panel.getByTestId('baton-form');
  await form.waitFor();
  return form;
}

/** The form's inputs as `[field id, value]`, and whether it has a consent box. */
async function asked(form) {
  const inputs = await form.locator('input[data-testid^="baton-field-"]').evaluateAll((elements) =>
    elements.map((element) => [element.dataset.testid.replace('baton-field-', ''), element.value]),
  );
  return { inputs, consent: (await form.getByTestId('baton-consent').count()) === 1 };
}

test('the pre-chat form comes filled in with what a lead form gave, leaves only the company and still asks its own consent; the agent gets every answer', async () => {
  const { context, page, widget } = await leadGiven('price-list', `Ada ${stamp}`);
  const form = await preChatForm(page, widget);
  assert.deepEqual(
    await asked(form),
    { inputs: [['name', `Ada ${stamp}`], ['email', 'ada@example.com'], ['company', '']], consent: true },
    'name and email filled in; the company and the consent (another text than the lead form ticked) to give',
  );

  // Sent as it comes: only the company and the consent are missing.
  await form.getByTestId('baton-form-submit').click();
  assert.deepEqual(
    (await form.getByTestId('baton-field-error').allTextContents()).filter(Boolean),
    ['This is needed.', 'Please tick the box to continue.'],
  );
  await form.getByTestId('baton-field-company').fill('Analytical Engines');
  await form.getByTestId('baton-consent').check();
  const sent = page.waitForRequest((request) => request.url().endsWith('/form') && request.method() === 'POST');
  await form.getByTestId('baton-form-submit').click();
  const request = await sent;
  assert.deepEqual(JSON.parse(request.postData()), {
    fields: [
      { id: 'name', value: `Ada ${stamp}` },
      { id: 'email', value: 'ada@example.com' },
      { id: 'company', value: 'Analytical Engines' },
    ],
    consent: true,
  });
  assert.equal((await request.response()).status(), 200);
  await form.waitFor({ state: 'detached' });

  // Handed to a person: the package holds the three answers.
  const handoff = page.waitForResponse((response) => response.url().endsWith('/messages') && response.request().method() === 'POST');
  await widget.input.fill('I want to talk to a person');
  await widget.input.press('Enter');
  assert.equal((await handoff).status(), 200);
  await widget.messages('system').last().waitFor();
  const { conversation_id: id } = storedSession(await page.evaluate((key) => localStorage.getItem(key), `baton:${SITE}:session`));
  const admin = await createAdmin(SITE, `Prefill admin ${stamp}`, ['sales']);
  const view = await (
    await fetch(`${API}/v1/sites/${SITE}/agent/conversations/${id}`, { headers: { authorization: `Bearer ${admin.token}` } })
  ).json();
  assert.deepEqual(view.package.fields, [
    ['Your name', `Ada ${stamp}`],
    ['Email', 'ada@example.com'],
    ['Company', 'Analytical Engines'],
  ]);
  await context.close();
});

test('a consent ticked in the lead form with the very same text is not asked again', async () => {
  const { context, page, widget } = await leadGiven('same-consent', `Grace ${stamp}`);
  const form = await preChatForm(page, widget);
  assert.deepEqual(
    await asked(form),
    { inputs: [['name', `Grace ${stamp}`], ['email', 'ada@example.com'], ['company', '']], consent: false },
    'filled in, no consent box',
  );
  await form.getByTestId('baton-field-company').fill('Harvard Mark I');
  const sent = page.waitForRequest((request) => request.url().endsWith('/form') && request.method() === 'POST');
  await form.getByTestId('baton-form-submit').click();
  const request = await sent;
  assert.deepEqual(JSON.parse(request.postData()), {
    fields: [
      { id: 'name', value: `Grace ${stamp}` },
      { id: 'email', value: 'ada@example.com' },
      { id: 'company', value: 'Harvard Mark I' },
    ],
    consent: true,
  });
  assert.equal((await request.response()).status(), 200);
  await form.waitFor({ state: 'detached' });
  await context.close();
});
