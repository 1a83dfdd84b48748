// First open on a cold cache, as a visitor meets it: the host page loads, the visitor clicks its "Chat with us"
// button at once (a `Baton('open')` queued until the widget has loaded), and the widget becomes usable when its
// send button is enabled. Prints `baton-bench` lines: click → interactive over fresh browser contexts, and the
// API responses of first open, Brotli-compressed like the static files.
// Usage: BATON_API_URL=… node tests/bench/first-open.mjs [rounds]
import zlib from 'node:zlib';

import { API, launch } from '../support/browser.mjs';
import { startHostSite } from '../support/host-site.mjs';

const rounds = Number(process.argv[2] ?? 10);
const browser = await launch();
const host = await startHostSite(API);
try {
  const timings = [];
  let apiBytes = 0;
  for (let round = 0; round < rounds; round += 1) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const bodies = [];
    page.on('response', async (response) => {
      if (response.url().includes('/v1/') && response.request().method() !== 'OPTIONS') {
        bodies.push(await response.body().catch(() => Buffer.alloc(0)));
      }
    });
    await page.goto(host.url, { waitUntil: 'load' });
    const clickedAt = await page.evaluate(() => {
      document.getElementById('host-open').click();
      return performance.now();
    });
    await page.waitForFunction(
      () => {
        const root = document.querySelector('[data-testid="baton-host"]')?.shadowRoot;
        const send = root?.querySelector('[data-testid="baton-send"]');
        return send && !send.disabled;
      },
      null,
      { polling: 'raf', timeout: 30_000 },
    );
    const readyAt = await page.evaluate(() => performance.now());
    timings.push(readyAt - clickedAt);
    if (round === 0) apiBytes = bodies.reduce((sum, body) => sum + zlib.brotliCompressSync(body).length, 0);
    await context.close();
  }
  timings.sort((a, b) => a - b);
  const at = (share) => timings[Math.min(timings.length - 1, Math.ceil(timings.length * share) - 1)];
  console.log(
    `baton-bench click_to_interactive_cold_ms rounds=${rounds} p50=${at(0.5).toFixed(0)} max=${timings.at(-1).toFixed(0)}`,
  );
  console.log(`baton-bench first_open_api_responses_brotli_bytes=${apiBytes}`);
} finally {
  await browser.close();
  await host.close();
}
