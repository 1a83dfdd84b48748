// Accounts and handed-over conversations for the console's end-to-end tests, made through the API as an operator,
// an admin and a widget would. The operator token (`BATON_ADMIN_TOKEN`) creates only sites and admins; agents are
// created by an admin.
import assert from 'node:assert/strict';

import { API } from './browser.mjs';

async function postAgent(site, bearer, body) {
  const response = await fetch(`${API}/v1/sites/${site}/agents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return response.json();
}

/** An admin of `site` serving `teams`, created with the operator token; resolves to { agent, token }. */
export function createAdmin(site, name, teams) {
  return postAgent(site, process.env.BATON_ADMIN_TOKEN, { name, teams, role: 'admin' });
}

/** An agent of `site` created by `admin` (what `createAdmin` resolved to); resolves to { agent, token }. */
export function createAgent(site, admin, name, teams) {
  return postAgent(site, admin.token, { name, teams, role: 'agent' });
}

/** A new conversation on `site`, started from the page at `origin` (one the site allows) and handed to a person
 * ("Talk to a person"), as the widget does; resolves to its id. */
export async function handOver(site, origin) {
  const headers = { origin, 'content-type': 'application/json' };
  const created = await fetch(`${API}/v1/sites/${site}/conversations`, { method: 'POST', headers, body: '{}' });
  assert.equal(created.status, 201, await created.clone().text());
  const { conversation_id: id, visitor_token: token } = await created.json();
  const posted = await fetch(`${API}/v1/sites/${site}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { ...headers, authorization: `Bearer ${token}` },
    body: JSON.stringify({ client_message_id: 'handoff', text: 'Talk to a person', chose_person: true }),
  });
  assert.ok(posted.ok, await posted.clone().text());
  return id;
}
