// Launching Debian's Chromium for the end-to-end tests, with the flags that keep it off the closed network.
import { chromium } from 'playwright-core';

export const API = process.env.BATON_API_URL;
if (!API) {
  throw new Error('BATON_API_URL is not set: run the end-to-end tests with `cargo xtask test`');
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
    ],
  });
}
