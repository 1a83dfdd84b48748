/* Baton loader (served minified as /loader.js by `cargo xtask build`): paste <script src="https://YOUR-WORKER/loader.js" data-site="SITE" async></script>.
   It only queues Baton(...) calls, makes a Shadow DOM host and, once the page is idle, imports the widget, which
   does everything else. No business logic lives here. */
(function (w, d) {
  var script = d.currentScript;
  if (!script || w.__baton) return;
  w.__baton = 1;
  var base = new URL(script.src).origin;
  var site = script.getAttribute('data-site');
  /* Keep a stub's queue if the page defined one before this script. */
  var queue = (w.Baton && w.Baton.q) || [];
  var stub = function () { queue.push(arguments); };
  stub.q = queue;
  w.Baton = stub;

  /* Click-to-chat: any element with data-baton-open (data-baton-message goes into the composer), or a link to
     #baton-chat, opens the chat; queued like any call until the widget has loaded. */
  d.addEventListener('click', function (event) {
    var el = event.target.closest && event.target.closest('[data-baton-open],a[href="#baton-chat"]');
    if (!el) return;
    event.preventDefault();
    w.Baton('open', { message: el.getAttribute('data-baton-message'), team: el.getAttribute('data-baton-team') });
  });

  function load() {
    /* A custom element, not a div: a page's rules on div or body > div never match it, and the shadow root's
       important :host rules win over the page's important rules on it (see widget/style.css). */
    var host = d.createElement('baton-chat');
    host.setAttribute('data-testid', 'baton-host');
    var root = host.attachShadow({ mode: 'open' });
    var css = d.createElement('link');
    css.rel = 'stylesheet';
    css.href = base + '/widget/widget.css';
    var mountPoint = d.createElement('div');
    root.append(css, mountPoint);
    d.body.appendChild(host);
    var styled = new Promise(function (done) { css.onload = css.onerror = done; });
    var dir = base + '/widget/baton_widget';
    Promise.all([import(dir + '.js'), styled]).then(function (loaded) {
      var widget = loaded[0];
      return widget.default({ module_or_path: dir + '_bg.wasm' }).then(function () {
        widget.mount(mountPoint, site, base);
        var run = function (args) { widget.command(args[0], args[1], args[2]); };
        w.Baton = function () { run(arguments); };
        queue.forEach(function (args) {
          try { run(args); } catch (error) { console.error(error); }
        });
      });
    }).catch(function (error) { console.error('Baton failed to load', error); });
  }

  /* Once the page is idle, or after 2 s on a page that never is (an animation, a busy script). */
  var idle = function (f) {
    if (w.requestIdleCallback) w.requestIdleCallback(f, { timeout: 2000 });
    else setTimeout(f, 1);
  };
  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', function () { idle(load); });
  else idle(load);
})(window, document);
