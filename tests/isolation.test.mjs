// End-to-end: a host page with deliberately hostile CSS (`!important` rules on `*`, `div`, `body > div`, `button`,
// `textarea`, a large `html` font size, and rules aimed at Baton's host element itself) cannot change the widget's
// layout, fonts or colours. The same widget is measured on a plain page and on the hostile one, both on their own
// origin: the launcher, the open panel, the composer and a campaign popup must have the same computed styles and
// the same size on both.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { API, launch } from './support/browser.mjs';
import { WidgetPage } from './support/widget-page.mjs';

const SITE = 'widget-campaigns';

const HOSTILE = `
  html { font-size: 30px !important; }
  * { font-family: "Comic Sans MS", cursive !important; color: rgb(255, 0, 0) !important;
      letter-spacing: 6px !important; line-height: 3 !important; text-transform: uppercase !important;
      box-sizing: content-box !important; }
  div, textarea { font-size: 41px !important; }
  body > div, body > * { position: static !important; transform: scale(1.5) !important; }
  button { background: rgb(255, 0, 0) !important; padding: 40px !important; border: 9px solid lime !important;
           font-size: 41px !important; }
  baton-chat, [data-testid="baton-host"] { font-size: 41px !important; color: rgb(255, 0, 0) !important;
           filter: invert(1) !important; zoom: 2 !important; }
`;

function page(hostile) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${hostile ? 'Rude' : 'Plain'} host</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${hostile ? `<style>${HOSTILE}</style>` : ''}</head>
<body><h1>A shop</h1><p>Some text.</p>
  <script src="${API}/loader.js" data-site="${SITE}" async></script>
</body></html>`;
}

const suite = { browser: undefined, server: undefined, origin: '' };
before(async () => {
  suite.browser = await launch();
  suite.server = http.createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(page(request.url.startsWith('/hostile')));
  });
  await new Promise((done) => suite.server.listen(0, '127.0.0.1', done));
  suite.origin = `http://127.0.0.1:${suite.server.address().port}`;
});
after(async () => {
  await suite.browser?.close();
  await new Promise((done) => suite.server?.close(done));
});

const PROPERTIES = [
  'font-family', 'font-size', 'line-height', 'letter-spacing', 'text-transform', 'color', 'background-color',
  'padding-top', 'padding-left', 'border-top-width', 'position', 'box-sizing',
];

/** The computed styles and box size of each widget part, by test id, in the shadow root. */
async function measure(path) {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${suite.origin}${path}`);
  const widget = new WidgetPage(tab);
  await widget.launcher.waitFor();
  await tab.waitForFunction(() => Object.keys(localStorage).some((key) => key.endsWith(':widget-config')));
  const read = (ids, properties) =>
    tab.evaluate(([ids, properties]) => {
      const host = document.querySelector('[data-testid="baton-host"]');
      const root = host.shadowRoot;
      const hostStyle = getComputedStyle(host);
      const parts = { host: { filter: hostStyle.filter, zoom: hostStyle.zoom, position: hostStyle.position } };
      for (const id of ids) {
        const element = root.querySelector(`[data-testid="${id}"]`);
        if (!element) throw new Error(`no ${id} in the widget`);
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        parts[id] = Object.fromEntries(properties.map((name) => [name, style.getPropertyValue(name)]));
        parts[id].size = `${Math.round(box.width)}x${Math.round(box.height)}`;
      }
      return parts;
    }, [ids, properties]);
  const closed = await read(['baton-launcher'], PROPERTIES);
  await tab.evaluate(() => Baton('show', 'manual-offer', { force: true }));
  await tab.getByTestId('baton-campaign').waitFor();
  const popup = await read(['baton-campaign'], PROPERTIES);
  await tab.evaluate(() => Baton('open'));
  await widget.input.waitFor();
  const open = await read(['baton-panel', 'baton-input'], PROPERTIES);
  await context.close();
  return { ...closed, ...popup, ...open };
}

test("a host page's hostile CSS changes nothing in the widget: launcher, campaign popup, panel and composer", async () => {
  const plain = await measure('/plain');
  const hostile = await measure('/hostile');
  // The plain page shows Baton's own look, not the browser's defaults.
  assert.match(plain['baton-input']['font-family'], /system-ui/);
  assert.equal(plain['baton-input']['font-size'], '15px');
  assert.equal(hostile.host.filter, 'none');
  assert.equal(hostile.host.zoom, '1');
  assert.deepEqual(hostile, plain);
});
