// Starts the agent console: loads its wasm (built into /console/app/ by `cargo xtask build`) and mounts it on the page.
// A file rather than an inline script so that the console's Content-Security-Policy (public/_headers) can refuse every
// inline script: an injected one cannot run where agent tokens live.
import init, { mount } from "/console/app/baton_console.js";

await init();
const root = document.getElementById("console");
root.textContent = "";
mount(root, location.origin);
