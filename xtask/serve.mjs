// The local stack that `cargo xtask` starts (xtask/src/stack.rs): wrangler's own dev server (`unstable_startWorker`,
// what `wrangler dev --local` runs) on real workerd, with this repository's wrangler.toml (or the one `--config` names) and state in a folder.
//
// Why not the `wrangler dev` command itself: it always attaches wrangler's inspector to workerd, and enables the
// inspector's Network domain, so every subrequest (each Durable Object call, each KV read) becomes a DevTools event
// that wrangler's proxy relays into node. Measured on a 2-core machine, that relaying took more CPU than the worker
// itself. Tests and benchmarks run with the inspector off; `cargo xtask dev` keeps it (`--inspector`) for DevTools.
//
// Usage: node xtask/serve.mjs --port N --persist-to DIR [--config wrangler.toml] [--log-level warn] [--inspector]
//        [--var NAME:VALUE]... [--ready-file PATH] [--stop-on-stdin-close] [--test-scheduled]
// --test-scheduled lets a request run the worker's Cron Trigger (`GET /__scheduled?cron=…`), for the tests.
// Prints (and writes to the ready file) "ready <url> direct <url without wrangler's proxy>" once the worker
// answers; stops cleanly (workerd included) on SIGTERM, SIGINT or SIGHUP, and with --stop-on-stdin-close when its
// standard input ends: xtask holds the other end of that pipe and never writes, so the end means xtask is gone, even
// killed by a signal it could not handle.

import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { unstable_DevEnv, unstable_startWorker } from "wrangler";

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    "persist-to": { type: "string" },
    config: { type: "string", default: "wrangler.toml" },
    "log-level": { type: "string", default: "log" },
    inspector: { type: "boolean", default: false },
    var: { type: "string", multiple: true, default: [] },
    "ready-file": { type: "string" },
    "stop-on-stdin-close": { type: "boolean", default: false },
    "test-scheduled": { type: "boolean", default: false },
  },
});
if (!values.port || !values["persist-to"]) {
  console.error("usage: node xtask/serve.mjs --port N --persist-to DIR [--config FILE] [--log-level L] [--inspector] [--var NAME:VALUE]... [--ready-file PATH] [--stop-on-stdin-close]");
  process.exit(2);
}

const bindings = {};
for (const pair of values.var) {
  const colon = pair.indexOf(":");
  if (colon < 1) {
    console.error(`--var ${pair}: expected NAME:VALUE`);
    process.exit(2);
  }
  bindings[pair.slice(0, colon)] = { type: "plain_text", value: pair.slice(colon + 1) };
}

// The worker's own address on workerd, behind wrangler's proxy (which only exists for reloads in development):
// the benchmarks measure both. wrangler hands it to its proxy in a `reloadComplete` event; listen for that.
let reloaded;
const direct = new Promise((resolve) => {
  reloaded = resolve;
});
const dispatch = unstable_DevEnv.prototype.dispatch;
unstable_DevEnv.prototype.dispatch = function (event) {
  if (event.type === "reloadComplete") {
    const { protocol, hostname, port } = event.proxyData.userWorkerUrl;
    reloaded(`${protocol}//${hostname}:${port}`);
  }
  return dispatch.call(this, event);
};

const worker = await unstable_startWorker({
  config: values.config,
  bindings,
  dev: {
    remote: false,
    watch: false,
    persist: values["persist-to"],
    logLevel: values["log-level"],
    inspector: values.inspector ? {} : false,
    testScheduled: values["test-scheduled"],
    server: { hostname: "127.0.0.1", port: Number(values.port) },
  },
});
await worker.ready;
const ready = `ready ${await worker.url} direct ${await direct}`;
console.log(ready);
if (values["ready-file"]) writeFileSync(values["ready-file"], `${ready}\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await worker.dispose();
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"]) process.on(signal, stop);
if (values["stop-on-stdin-close"]) {
  // An input that ended before this line still emits "end" once the stream is resumed.
  process.stdin.on("end", stop);
  process.stdin.on("error", stop);
  process.stdin.resume();
}
