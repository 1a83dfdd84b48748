// End-to-end: a page's `Baton('track', goal, {value})` reaches the metrics ledger when the event is one of the
// site's goals, and only then; the report counts it as the conversion of the visitor's conversation. The `goals`
// test site (tests/sites/goals.json) has the goals `purchase` and `signup`.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { createAdmin } from './support/agents.mjs';
import { metricsApi } from './support/dashboard-page.mjs';
import { until, useBrowserAndHost } from './support/suite.mjs';
import { WidgetPage } from './support/widget-page.mjs';
import { storedSession } from './support/wire.mjs';

const suite = useBrowserAndHost();
const SITE = 'goals';

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

test("a tracked site goal is sent with the visitor's id and conversation, other events are not, and the report counts the conversion", async () => {
  const context = await suite.browser.newContext();
  const page = await context.newPage();
  const sent = [];
  page.on('request', (request) => {
    if (request.url().endsWith(`/v1/sites/${SITE}/goals`)) sent.push(JSON.parse(request.postData()));
  });
  await page.goto(`${suite.host.url}?site=${SITE}`);
  const widget = new WidgetPage(page);
  await widget.launcher.waitFor();
  await widget.open();
  assert.match(await widget.ask('How long does delivery take?'), /2 to 3 working days/);

  await page.evaluate(() => {
    window.Baton('track', 'browsed-the-shop');
    window.Baton('track', 'purchase', { value: 49 });
  });
  await until(() => sent.length === 1);
  // A moment for a wrongly sent second event to show up.
  await page.waitForTimeout(300);
  assert.equal(sent.length, 1, JSON.stringify(sent));
  const [goal] = sent;
  assert.equal(goal.goal, 'purchase');
  assert.equal(goal.value, 49);
  assert.match(goal.visitor, /^[A-Za-z0-9_-]{8,64}$/);
  const session = await page.evaluate((site) => localStorage.getItem(`baton:${site}:session`), SITE);
  assert.ok(session, 'the widget keeps its session');
  assert.equal(goal.conversation_id, storedSession(session).conversation_id);

  const admin = await createAdmin(SITE, 'Goals Admin', ['sales', 'support']);
  const range = { from: isoDay(Date.now() - 86_400_000), to: isoDay(Date.now()) };
  let report;
  const deadline = Date.now() + 10_000;
  do {
    report = await metricsApi(SITE, admin.token, 'metrics', range);
    if (report.conversions_without_handoff.count === 1) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
  assert.equal(report.conversations, 1);
  assert.equal(report.handoffs.count, 0);
  assert.deepEqual(
    { count: report.conversions_without_handoff.count, value: report.conversions_without_handoff.value },
    { count: 1, value: 49 },
  );
  await context.close();
});
