// Page object for the console's reports (`/console/#reports&…`): the cards, the drill-down, the filters and the CSV
// export; and what the API says for the same view, to compare with.
import assert from 'node:assert/strict';

import { API } from './browser.mjs';

export class DashboardPage {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('dashboard');
    this.drill = page.getByTestId('dashboard-drill');
  }

  /** Shows the reports for `params` (`{from, to, team?, …}`) on a signed-in console and waits for that report. */
  async show(params) {
    await this.page.evaluate((hash) => { location.hash = hash; }, `reports&${queryString(params)}`);
    await this.loaded(params);
  }

  /** Resolves once the report for `params` is on screen (any report when `params` is absent). */
  async loaded(params) {
    await this.root.waitFor();
    const shown = params ? `[data-query="${queryString(params)}"]` : ':not([data-query=""])';
    await this.page.locator(`[data-testid="dashboard"][aria-busy="false"]${shown}`).waitFor({ timeout: 10_000 });
    await this.card('conversations').waitFor();
  }

  card(key) {
    return this.page.locator(`[data-testid="dashboard-card"][data-card="${key}"]`);
  }

  /** Every card's raw value, `{key: data-value}`. */
  async cardValues() {
    return this.page.locator('[data-testid="dashboard-card"]').evaluateAll((cards) =>
      Object.fromEntries(cards.map((card) => [card.dataset.card, card.dataset.value])));
  }

  /** The ids the drill-down `listed` (its part of the address: `drill=handoffs&by=team&value=sales`) lists, once it
   * has listed them. */
  async drilledIds(listed) {
    await this.page.locator(`[data-testid="dashboard-drill"][data-listed="${listed}"]`).waitFor({ timeout: 10_000 });
    return this.page.locator('[data-testid="dashboard-drill-row"]').evaluateAll((rows) =>
      rows.map((row) => row.dataset.conversation));
  }

  /** The location hash, decoded. */
  async hash() {
    return decodeURIComponent(await this.page.evaluate(() => location.hash));
  }
}

/** The query string the console asks the API for a view: `from`, `to`, then the filters, in the API's order. */
export function queryString(params) {
  const parts = ['from', 'to', 'team', 'agent', 'intent', 'campaign']
    .filter((name) => params[name] != null)
    .map((name) => `${name}=${encodeURIComponent(params[name])}`);
  if (params.interval === 'week') parts.push('interval=week');
  return parts.join('&');
}

/** A GET of the metrics API as `token`: the report (`metrics`), a figure's conversations (`metrics/conversations`)
 * or the CSV (`metrics.csv`, as text). */
export async function metricsApi(site, token, what, params) {
  const query = new URLSearchParams(Object.entries(params).filter(([, value]) => value != null)).toString();
  const response = await fetch(`${API}/v1/sites/${site}/${what}?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  assert.equal(response.status, 200, await response.clone().text());
  return what.endsWith('.csv') ? response.text() : response.json();
}

/** What each card's `data-value` must be for `report` (a rate only where it has a denominator, "" for no data). */
export function expectedCards(report) {
  const rate = (value, of) => (of === 0 ? '' : String(value));
  const ms = (value) => (value == null ? '' : String(value));
  return {
    conversations: String(report.conversations),
    ai_resolution_rate: rate(report.ai_resolved.rate, report.conversations),
    handoff_rate: rate(report.handoffs.rate, report.conversations),
    first_human_reply: ms(report.first_human_reply_ms.median),
    first_human_reply_business: ms(report.first_human_reply_ms.business_hours_median),
    missed: String(report.missed.count),
    conversion_after_handoff: rate(report.conversions_after_handoff.rate, report.handoffs.count),
    csat: report.csat.mean == null ? '' : String(report.csat.mean),
    repeat_contact: rate(report.repeat_contact.rate, report.conversations),
  };
}

/** A share as the cards write it ("37.5%", "50%"), "—" without a denominator. */
export function percent(rate, of) {
  if (of === 0) return '—';
  return `${Math.round(rate * 100 * 10) / 10}%`;
}
