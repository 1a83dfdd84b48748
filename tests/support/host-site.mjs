// A stand-in for a customer's website on its own origin (another port than the worker), embedding Baton with the
// one script tag a site owner pastes. Its CSS is deliberately hostile, to prove the Shadow DOM keeps it out.
import http from 'node:http';

export function hostPage(api, site = 'demo') {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Host shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  body { font-family: "Comic Sans MS", cursive; }
  button { background: rgb(255, 0, 0) !important; font-family: "Comic Sans MS", cursive !important; }
  li { color: rgb(255, 0, 0) !important; }
</style></head>
<body>
  <h1>Host shop</h1>
  <button type="button" id="host-open" onclick="Baton('open')">Chat with us</button>
  <script>
    // The optional pre-load stub a site owner may paste before the loader; its calls must survive.
    window.Baton = window.Baton || function () { (Baton.q = Baton.q || []).push(arguments); };
    window.received = [];
    Baton('on', 'message', function (message) { window.received.push(message); });
    window.handoffs = [];
    Baton('on', 'handoff', function (handoff) { window.handoffs.push(handoff); });
    window.csats = [];
    Baton('on', 'csat', function (csat) { window.csats.push(csat); });
  </script>
  <script src="${api}/loader.js" data-site="${site}" async></script>
</body></html>`;
}

/** Starts the host site on a free port of a loopback address (127.0.0.1, which the demo site allows, or another
 * such as 127.0.0.2, which it does not); resolves to { url, close }. */
export function startHostSite(api, address = '127.0.0.1') {
  // `/?site=conversational` embeds another site than the demo.
  const server = http.createServer((request, response) => {
    const site = new URL(request.url, 'http://host').searchParams.get('site') ?? 'demo';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(hostPage(api, site.replace(/[^a-z0-9-]/g, '')));
  });
  return new Promise((resolve) => {
    server.listen(0, address, () => {
      resolve({
        url: `http://${address}:${server.address().port}/`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}
