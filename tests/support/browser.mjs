// The end-to-end tests' browser and the worker they talk to (started by `cargo xtask test`).
export { launch } from './chromium.mjs';

export const API = process.env.BATON_API_URL;
if (!API) {
  throw new Error('BATON_API_URL is not set: run the end-to-end tests with `cargo xtask test`');
}
