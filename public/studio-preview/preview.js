// The studio's live preview page, framed by the console on the same origin: it embeds the real widget for the site
// named in `?site=`, as a customer's page does with the loader. The widget takes its configuration from the console
// (see baton_web::preview); this script only passes the console's "show this campaign" and "open" on to the
// widget's command API, and only from the parent window of this origin.
(function () {
  var site = (new URLSearchParams(location.search).get('site') || '').replace(/[^a-z0-9-]/g, '');
  window.Baton = window.Baton || function () { (window.Baton.q = window.Baton.q || []).push(arguments); };
  var loader = document.createElement('script');
  loader.src = '/loader.js';
  loader.async = true;
  loader.setAttribute('data-site', site);
  document.body.appendChild(loader);
  window.addEventListener('message', function (event) {
    if (event.origin !== location.origin || event.source !== window.parent) return;
    var command = event.data;
    if (!command || typeof command !== 'object') return;
    if (command.kind === 'show' && typeof command.id === 'string') window.Baton('show', command.id, { force: true });
    if (command.kind === 'open') window.Baton('open');
  });
})();
