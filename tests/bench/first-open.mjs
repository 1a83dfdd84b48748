// First open on a cold cache, as a visitor meets it, on a network throttled to 10 Mbps down and up with 40 ms of
// latency (Chromium's network emulation): every round is a fresh browser context, so nothing is cached.
// - `click_to_interactive_cold_ms`: the page has loaded and the launcher is on it (the widget's main module is
//   here), and the visitor clicks it without hovering first (as a tap does): the chat's modules are fetched only at
//   the click. The widget is usable when its send button is enabled (the conversation has started).
// - `click_to_interactive_after_hover_ms`: the same, with the pointer resting on the launcher 300 ms before the
//   click (the hover starts the fetch).
// - `open_at_load_ms`: the host page's own "Chat with us" button clicked as soon as the page has loaded (a
//   `Baton('open')` queued until the widget has loaded): everything is fetched after the click.
// Also prints the API responses of first open, Brotli-compressed like the static files.
// Usage: BATON_API_URL=… node tests/bench/first-open.mjs [rounds]
import zlib from 'node:zlib';

import { API, launch } from '../support/browser.mjs';
import { startHostSite } from '../support/host-site.mjs';

const rounds = Number(process.argv[2] ?? 10);
const THROTTLE = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 10e6 / 8 };
const browser = await launch();
const host = await startHostSite(API);

async function throttledPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', THROTTLE);
  return { context, page };
}

function usable(page) {
  return page.waitForFunction(
    () => {
      const root = document.querySelector('[data-testid="baton-host"]')?.shadowRoot;
      const send = root?.querySelector('[data-testid="baton-send"]');
      return send && !send.disabled;
    },
    null,
    { polling: 'raf', timeout: 30_000 },
  );
}

const now = (page) => page.evaluate(() => performance.now());

/** One round of `scenario`: ms from the click to a usable panel. */
async function round(scenario, bodies) {
  const { context, page } = await throttledPage();
  try {
    if (bodies) {
      page.on('response', async (response) => {
        if (response.url().includes('/v1/') && response.request().method() !== 'OPTIONS') {
          bodies.push(await response.body().catch(() => Buffer.alloc(0)));
        }
      });
    }
    await page.goto(host.url, { waitUntil: 'load' });
    let clickedAt;
    if (scenario === 'open_at_load_ms') {
      clickedAt = await page.evaluate(() => {
        document.getElementById('host-open').click();
        return performance.now();
      });
    } else {
      const launcher = page.locator('[data-testid="baton-launcher"]');
      await launcher.waitFor({ timeout: 30_000 });
      if (scenario === 'click_to_interactive_after_hover_ms') {
        await launcher.hover();
        await page.waitForTimeout(300);
      }
      clickedAt = await page.evaluate(() => {
        const root = document.querySelector('[data-testid="baton-host"]').shadowRoot;
        root.querySelector('[data-testid="baton-launcher"]').click();
        return performance.now();
      });
    }
    await usable(page);
    return (await now(page)) - clickedAt;
  } finally {
    await context.close();
  }
}

try {
  let apiBytes = 0;
  for (const scenario of ['click_to_interactive_cold_ms', 'click_to_interactive_after_hover_ms', 'open_at_load_ms']) {
    const timings = [];
    for (let index = 0; index < rounds; index += 1) {
      const bodies = scenario === 'open_at_load_ms' && index === 0 ? [] : null;
      timings.push(await round(scenario, bodies));
      if (bodies) apiBytes = bodies.reduce((sum, body) => sum + zlib.brotliCompressSync(body).length, 0);
    }
    timings.sort((a, b) => a - b);
    const at = (share) => timings[Math.min(timings.length - 1, Math.ceil(timings.length * share) - 1)];
    console.log(
      `baton-bench ${scenario} throttled=10Mbps/40ms rounds=${rounds} p50=${at(0.5).toFixed(0)} max=${timings.at(-1).toFixed(0)}`,
    );
  }
  console.log(`baton-bench first_open_api_responses_brotli_bytes=${apiBytes}`);
} finally {
  await browser.close();
  await host.close();
}
