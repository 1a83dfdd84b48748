// End-to-end: a campaign's lead form, sent through the API as the widget does, reaches the agent console: the inbox
// item says "lead form" and names the campaign, and the context panel shows the campaign and the form's answers.
// The `campaigns` test site (tests/sites/campaigns.json) hands `demo-lead` to Sales (queued outside its hours).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';

import { createAdmin } from './support/agents.mjs';
import { API } from './support/browser.mjs';
import { ConsolePage } from './support/console-page.mjs';
import { ARTIFACTS, useBrowserAndHost } from './support/suite.mjs';

const suite = useBrowserAndHost();
const SITE = 'campaigns';
const stamp = Date.now() % 100000;

test('a lead reaches the console with its campaign and its answers', async () => {
  const admin = await createAdmin(SITE, `Lead admin ${stamp}`, ['sales']);
  const sent = await fetch(`${API}/v1/sites/${SITE}/leads`, {
    method: 'POST',
    headers: { origin: new URL(suite.host.url).origin, 'content-type': 'application/json' },
    body: JSON.stringify({
      campaign: 'demo-lead',
      fields: [
        { id: 'name', value: `Ada ${stamp}` },
        { id: 'email', value: 'ada@example.com' },
        { id: 'company', value: 'Analytical Engines' },
      ],
      consent: true,
      page_url: 'http://localhost:3000/office',
      visitor: `visitor-${stamp}`,
    }),
  });
  assert.equal(sent.status, 201, await sent.clone().text());
  const { conversation_id: id, thanks } = await sent.json();
  assert.equal(thanks, 'Thanks! Sales will call you back today.');

  const { context, page, consolePage } = await ConsolePage.open(suite.browser, `token=${admin.token}`);
  try {
    const item = consolePage.inboxItem(id);
    await item.waitFor();
    assert.match(await item.innerText(), /lead form/);
    assert.equal(await item.getByTestId('console-inbox-campaign').innerText(), 'Office coffee demo');
    await item.click();
    await consolePage.conversation(id).waitFor();
    const panel = page.getByTestId('console-context');
    assert.equal(await panel.getByTestId('console-campaign').innerText(), 'Office coffee demo');
    const text = await panel.innerText();
    assert.match(text, /Company: Analytical Engines/);
    assert.match(text, /lead form/);
    await page.screenshot({ path: path.join(ARTIFACTS, 'console-lead.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
