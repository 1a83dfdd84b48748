// End-to-end: the studio on the real stack, for the `studio` test site (tests/sites/studio.json). An admin edits an
// FAQ answer (its problems show beside the field, its Markdown preview follows, the live preview's widget answers
// with it), the test bench gives the new answer and a
// regression question flags the change, publishes after reading the diff; a visitor on a host page of another
// origin gets the new answer; restoring version 1 brings the old one back; the campaign simulator explains why a
// campaign does not fire; a plain agent does not see the studio; axe-core finds nothing serious.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

import { createAdmin, createAgent } from './support/agents.mjs';
import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { StudioPage } from './support/studio-page.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';

const suite = useBrowserAndHost();
const AXE = fs.readFileSync(new URL('../node_modules/axe-core/axe.min.js', import.meta.url), 'utf8');
const SITE = 'studio';
const OLD_ANSWER = 'Orders arrive in 2 to 3 working days.';
const NEW_ANSWER = 'Orders arrive the next working day, everywhere in the country.';
const QUESTION = 'How long does delivery take?';

let admin;
let studioView;

async function openStudio() {
  admin ??= await createAdmin(SITE, `Studio admin ${Date.now() % 100000}`, ['sales', 'support']);
  if (!studioView) {
    studioView = await ConsolePage.open(suite.browser, `token=${admin.token}`);
    studioView.studio = new StudioPage(studioView.page);
    await studioView.studio.open();
  }
  return studioView;
}

/** What a visitor on the host page (another origin) is answered. */
async function visitorAnswer(question) {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${suite.host.url}?site=${SITE}`);
  const widget = new WidgetPage(page);
  await widget.open();
  const answer = await widget.ask(question);
  await context.close();
  return answer;
}

/** axe-core's serious and critical violations inside the studio. */
async function violations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const results = await window.axe.run(document.querySelector('[data-testid="studio"]'), {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
    });
    return results.violations
      .filter((violation) => ['serious', 'critical'].includes(violation.impact))
      .map((violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  });
}

test('an admin edits an FAQ answer, tries it, sees the regression it makes, and publishes it to visitors', async () => {
  const { page, studio } = await openStudio();
  assert.equal(await visitorAnswer(QUESTION), OLD_ANSWER, 'the seeded answer first');

  // A problem shows beside its field, worded as `baton check` words it, and goes when fixed.
  await studio.part('faq');
  await studio.field('faq[1].question').fill(' ');
  assert.equal((await studio.problem('faq[1].question').textContent()).trim(), 'must not be empty');
  await studio.field('faq[1].question').fill('Can I return my coffee?');
  await studio.problem('faq[1].question').waitFor({ state: 'detached' });

  // The answer's preview follows the edit; the draft is saved by itself.
  await studio.field('faq[0].answer').fill(`Orders arrive **the next working day**, everywhere in the country.`);
  const preview = page.getByTestId('studio-answer-preview').first();
  assert.equal((await preview.locator('strong').textContent()).trim(), 'the next working day');
  await studio.saved();
  assert.deepEqual(await violations(page), []);

  // The live preview's real widget answers with the draft, in the browser, in desktop and phone sizes.
  await studio.part('preview');
  await page.locator('[data-testid="studio-preview-state"][data-ready="true"]').waitFor();
  const previewWidget = new WidgetPage(page.frameLocator('[data-testid="studio-preview-frame"]'));
  await previewWidget.open();
  // The draft's FAQ is posted to the widget's chat apart from its configuration.
  await previewWidget.faqLoaded();
  assert.equal(await previewWidget.ask(QUESTION), NEW_ANSWER);
  await page.getByTestId('studio-preview-phone').check();
  assert.equal(await page.getByTestId('studio-preview-frame').getAttribute('width'), '390');
  assert.equal(await page.locator('[data-testid="studio-preview-show"][data-campaign="pricing-help"]').count(), 1);
  assert.deepEqual(await violations(page), []);

  // The test bench answers with the draft's new words; the regression question on delivery is flagged.
  await studio.part('bench');
  const tried = await studio.ask(QUESTION);
  assert.equal(tried.outcome, 'answer');
  assert.equal(tried.reply, NEW_ANSWER);
  const changed = page.locator('[data-testid="studio-regression"][data-changed="true"]');
  assert.equal(await changed.count(), 1);
  assert.match(await changed.textContent(), /How long does delivery take\?/);
  assert.equal(await page.locator('[data-testid="studio-regression"][data-passes="false"]').count(), 0);
  assert.deepEqual(await violations(page), []);

  // Publishing shows the change in words, and the regression question again.
  await studio.part('publish');
  const change = page.locator('[data-testid="studio-change"][data-path="faq[0].answer"]');
  await change.waitFor();
  assert.match(await change.textContent(), /^FAQ entry 1 › answer: “Orders arrive in 2 to 3 working days\.” → “Orders arrive \*\*the next working day\*\*/);
  assert.equal(await page.locator('[data-testid="studio-regression"][data-changed="true"]').count(), 1);
  assert.deepEqual(await violations(page), []);
  await page.getByTestId('studio-publish-note').fill('Next-day delivery');
  await page.getByTestId('studio-publish').click();
  await page.getByTestId('studio-published').waitFor();
  await page.screenshot({ path: path.join(ARTIFACTS, 'studio-publish.png'), fullPage: true });

  assert.equal(await visitorAnswer(QUESTION), NEW_ANSWER);
});

test('the history lists the versions, and restoring version 1 brings the old answer back', async () => {
  const { page, studio } = await openStudio();
  await studio.part('history');
  const newest = page.locator('[data-testid="studio-version"]').first();
  await newest.waitFor();
  assert.match(await newest.textContent(), /Next-day delivery/);
  assert.match(await newest.textContent(), /\(published\)/);
  assert.match(await page.getByTestId('studio-diff').textContent(), /FAQ entry 1 › answer/);
  assert.deepEqual(await violations(page), []);
  page.once('dialog', (dialog) => dialog.accept());
  await page.locator('[data-testid="studio-version"][data-version="1"] [data-testid="studio-restore"]').click();
  await page.getByTestId('studio-restored').waitFor();
  const restored = page.locator('[data-testid="studio-version"]').first();
  await restored.filter({ hasText: 'restored from version 1' }).waitFor();
  assert.equal(await visitorAnswer(QUESTION), OLD_ANSWER);
});

test('leaving with a save pending asks first; a publish over someone else\'s is refused, explained, merged, then made', async () => {
  const { page, studio } = await openStudio();
  const RETURNS = 'Unopened bags can be returned within 60 days.';
  await studio.part('faq');
  // Leaving while the edit is not saved yet asks first; staying keeps the studio.
  let asked;
  page.once('dialog', (dialog) => { asked = dialog.message(); dialog.dismiss(); });
  await studio.field('faq[1].answer').fill(RETURNS);
  await page.getByTestId('console-nav-inbox').click();
  assert.match(asked ?? '', /still being saved/);
  await studio.root.waitFor();
  await studio.saved();

  // Meanwhile another admin restores version 2: the studio's publish, from the older base, gets a 409.
  const list = await (await fetch(`${API}/v1/sites/${SITE}/config/versions`, { headers: { authorization: `Bearer ${admin.token}` } })).json();
  const restored = await fetch(`${API}/v1/sites/${SITE}/config/versions/2/restore`, {
    method: 'POST',
    headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ note: 'Another admin', base_version: list.published }),
  });
  assert.equal(restored.status, 201, await restored.clone().text());
  const { version: theirs } = await restored.json();
  await studio.part('publish');
  await page.getByTestId('studio-publish-note').fill('Longer returns');
  await page.getByTestId('studio-publish').click();
  await page.getByTestId('studio-publish-error').waitFor();
  const notice = page.getByTestId('studio-notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), new RegExp(`Someone else published version ${theirs}.*FAQ entry 1 › answer`));
  // The draft's own change is put on top of their version (they touched another field: no conflict), saved over
  // it, and publishes: visitors get both their answer and the draft's.
  assert.match(await notice.textContent(), /Your changes are now on top of their version, theirs kept/);
  await studio.saved();
  await page.getByTestId('studio-publish').click();
  await page.getByTestId('studio-published').waitFor();
  assert.equal(await visitorAnswer('Can I return my coffee?'), RETURNS);
  assert.equal(await visitorAnswer(QUESTION), NEW_ANSWER, 'their version 2 answer is kept');
});

test('the campaign simulator says why a campaign does not fire, and when it does', async () => {
  const { page, studio } = await openStudio();
  await studio.part('simulator');
  await page.getByTestId('studio-sim-page-url').fill('https://shop.example/about');
  const whyNot = page.locator('[data-testid="studio-sim-why-not"][data-campaign="pricing-help"]');
  assert.match(await whyNot.textContent(), /not shown, this page does not match its page rules/);
  assert.equal(await page.getByTestId('studio-sim-shows').getAttribute('data-campaign'), '');
  await page.getByTestId('studio-sim-page-url').fill('https://shop.example/pricing/teams');
  await page.locator('[data-testid="studio-sim-shows"][data-campaign="pricing-help"]').waitFor();
  assert.deepEqual(await violations(page), []);
});

test('a plain agent does not see the studio, and is told it is for admins', async () => {
  admin ??= await createAdmin(SITE, `Studio admin ${Date.now() % 100000}`, ['sales', 'support']);
  const agent = await createAgent(SITE, admin, 'Studio agent', ['support']);
  const { context, page } = await ConsolePage.open(suite.browser, `token=${agent.token}`);
  assert.equal(await page.getByTestId('console-nav-studio').count(), 0);
  await page.evaluate(() => { window.location.hash = 'studio'; });
  const denied = page.getByTestId('studio-denied');
  await denied.waitFor();
  assert.match(await denied.textContent(), /for admins only/);
  await context.close();
});
