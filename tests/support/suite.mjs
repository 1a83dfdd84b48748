// What every end-to-end spec file shares: one Chromium and one host site (another origin than the worker) for the
// file, started before its tests and closed after them, and the folder screenshots go to.
import { before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';

import { API, launch } from './browser.mjs';
import { startHostSite } from './host-site.mjs';

export const ARTIFACTS = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'artifacts');

/** Registers the file's before/after hooks; the returned object holds `browser` and `host` once they run. */
export function useBrowserAndHost() {
  const suite = { browser: undefined, host: undefined };
  before(async () => {
    suite.browser = await launch();
    suite.host = await startHostSite(API);
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  after(async () => {
    await suite.browser?.close();
    await suite.host?.close();
  });
  return suite;
}

/** Resolves once `condition()` is true (checked every 20 ms), for state Playwright cannot wait on, like a request
 * log; rejects after `timeout` ms. */
export async function until(condition, timeout = 5_000) {
  const deadline = Date.now() + timeout;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeout} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
