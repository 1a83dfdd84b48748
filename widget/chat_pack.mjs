// Reads `chat.wasm`, the chat's modules packed as custom sections of one WebAssembly module
// (xtask/src/build/chat_pack.rs), as it downloads, and gives each module as a Response of its own whose body
// streams as its bytes arrive: the browser compiles each while the rest still downloads, as it would a file of its
// own. The split loader (`__wasm_split.js`) imports this file when the chat is first needed, in parallel with the
// pack's download, so page views do not download it.

const WASM = { headers: { 'content-type': 'application/wasm' } };

/** `response`'s modules: a function from a module's file name to a promise of its Response. */
export function unpack(response) {
  if (!response.ok) throw new Error(`chat.wasm: HTTP ${response.status}`);
  const waiting = new Map();
  const entry = (name) => {
    if (!waiting.has(name)) {
      let resolve, reject;
      const promise = new Promise((ok, fail) => { resolve = ok; reject = fail; });
      promise.catch(() => {});
      waiting.set(name, { promise, resolve, reject });
    }
    return waiting.get(name);
  };
  const streams = [];
  read(response.body.getReader(), (name) => {
    let controller;
    const body = new ReadableStream({ start: (c) => { controller = c; } });
    streams.push(controller);
    entry(name).resolve(new Response(body, WASM));
    return controller;
  }).then(
    () => {
      for (const [name, { reject }] of waiting) reject(new Error(`chat.wasm has no ${name}`));
    },
    (error) => {
      for (const controller of streams) {
        try { controller.error(error); } catch { /* already closed */ }
      }
      for (const { reject } of waiting.values()) reject(error);
    },
  );
  return (name) => entry(name).promise;
}

/** Reads the pack from `reader`, calling `open(name)` at each section and feeding the controller it gives. */
async function read(reader, open) {
  let buffer = new Uint8Array(0);
  let at = 0;
  const more = async () => {
    const { done, value } = await reader.read();
    if (done) return false;
    buffer = at < buffer.length ? concat(buffer.subarray(at), value) : value;
    at = 0;
    return true;
  };
  const byte = async () => {
    while (at >= buffer.length) if (!(await more())) return -1;
    return buffer[at++];
  };
  let counted = 0;
  const leb = async () => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const next = await byte();
      if (next < 0) throw new Error('chat.wasm ends inside a size');
      counted += 1;
      value += (next & 0x7f) * 2 ** shift;
      if (next < 0x80) return value;
    }
  };
  for (let i = 0; i < 8; i += 1) if ((await byte()) < 0) throw new Error('chat.wasm has no header');
  for (;;) {
    const id = await byte();
    if (id < 0) return;
    if (id !== 0) throw new Error(`chat.wasm has a section ${id}, not a module`);
    const size = await leb();
    counted = 0;
    const nameLength = await leb();
    let name = '';
    for (let i = 0; i < nameLength; i += 1) {
      const next = await byte();
      if (next < 0) throw new Error('chat.wasm ends inside a name');
      name += String.fromCharCode(next);
    }
    const controller = open(name);
    for (let left = size - counted - nameLength; left > 0; ) {
      if (at >= buffer.length && !(await more())) throw new Error(`chat.wasm ends inside ${name}`);
      const take = Math.min(left, buffer.length - at);
      controller.enqueue(buffer.slice(at, at + take));
      at += take;
      left -= take;
    }
    controller.close();
  }
}

function concat(a, b) {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
