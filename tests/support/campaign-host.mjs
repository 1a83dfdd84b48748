// A stand-in for a customer's website for the campaign tests, on its own origin: every path serves the same tall
// page (so `/pricing`, `/long` or `/once/other` are pages of it), with a `.buy` button, click-to-chat elements,
// single-page-app links that call `history.pushState`, and a record of every `Baton('on', 'campaign')` report and
// every campaign batch the widget sends. `?site=` picks the Baton site (default `widget-campaigns`).
import http from 'node:http';

export function campaignPage(api, site) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Campaign host</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: Georgia, serif; margin: 0; }
  main { padding: 24px; }
  .tall { height: 4000px; background: linear-gradient(#fff, #ddd); }
</style></head>
<body>
  <main>
    <h1>Campaign host</h1>
    <p><button type="button" class="buy" id="buy"><span id="buy-label">Buy a bag</span></button>
      <button type="button" id="other">Something else</button></p>
    <p><button type="button" id="ask" data-baton-open data-baton-message="Do you ship to Belgium?">Ask us about shipping</button>
      <a href="#baton-chat" id="chat-link">Chat with us</a></p>
    <p><a href="/app/plans" id="to-plans" onclick="event.preventDefault(); history.pushState({}, '', '/app/plans')">Plans</a>
      <a href="/app/about" id="to-about" onclick="event.preventDefault(); history.pushState({}, '', '/app/about')">About</a></p>
    <div class="tall"></div>
    <p id="bottom">The end.</p>
  </main>
  <script>
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    window.campaignEvents = [];
    Baton('on', 'campaign', function (event) { window.campaignEvents.push(event); });
    // What the widget sends to the worker: campaign batches by fetch(keepalive) or sendBeacon.
    window.sentBatches = [];
    var keep = function (url, body) {
      if (String(url).indexOf('/campaign-events') >= 0) {
        try { window.sentBatches.push(JSON.parse(body)); } catch (error) { window.sentBatches.push(String(body)); }
      }
    };
    var fetched = window.fetch;
    window.fetch = function (url, init) { keep(url, init && init.body); return fetched.apply(this, arguments); };
    var beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (url, body) { keep(url, body); return beacon(url, body); };
  </script>
  <script src="${api}/loader.js" data-site="${site}" async></script>
</body></html>`;
}

/** Starts the campaign host on a free port of 127.0.0.1; resolves to { url(path), close }. */
export function startCampaignHost(api) {
  const server = http.createServer((request, response) => {
    const site = new URL(request.url, 'http://host').searchParams.get('site') ?? 'widget-campaigns';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(campaignPage(api, site.replace(/[^a-z0-9-]/g, '')));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const origin = `http://127.0.0.1:${server.address().port}`;
      resolve({
        origin,
        url: (path = '/') => `${origin}${path}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
