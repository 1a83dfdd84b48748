// The reader of the chat's pack (widget/chat_pack.mjs, minified into public/widget/ by the build): each module of
// `chat.wasm` comes out whole whatever pieces the download arrives in, and a cut or refused download fails the
// modules instead of handing out part of one. The packs here are written as xtask/src/build/chat_pack.rs writes
// them; the built pack itself is read in Chromium by every chat test.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { unpack } from '../public/widget/chat_pack.mjs';

const leb = (value) => {
  const bytes = [];
  do {
    bytes.push((value & 0x7f) | (value >= 0x80 ? 0x80 : 0));
    value = Math.floor(value / 128);
  } while (value > 0);
  return bytes;
};

/** A pack of `modules` (name → bytes): the wasm header, then a custom section for each. */
const pack = (modules) => {
  const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0];
  for (const [name, module] of Object.entries(modules)) {
    const section = [...leb(name.length), ...Buffer.from(name), ...module];
    bytes.push(0, ...leb(section.length), ...section);
  }
  return Uint8Array.from(bytes);
};

/** A response whose body arrives in pieces of `sizes` bytes, in turn. */
const arriving = (bytes, sizes, status = 200) => {
  let at = 0;
  let turn = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      const size = sizes[turn++ % sizes.length];
      controller.enqueue(bytes.slice(at, at + size));
      at += size;
    },
  });
  return new Response(body, { status });
};

const read = async (response) => new Uint8Array(await response.arrayBuffer());

test('every module of the pack comes out whole, whatever pieces the download arrives in', async () => {
  const big = Uint8Array.from({ length: 300 }, (_, i) => i % 251); // its section's size takes two bytes
  const modules = { 'chunk_4.wasm': [1, 2, 3], 'chunk_5.wasm': [], 'split_chat_panel_1.wasm': [...big] };
  for (const sizes of [[1], [2, 7], [5000], [3, 1, 200]]) {
    const take = unpack(arriving(pack(modules), sizes));
    const panel = await take('split_chat_panel_1.wasm');
    assert.equal(panel.headers.get('content-type'), 'application/wasm');
    assert.deepEqual(await read(panel), big, `pieces of ${sizes}`);
    assert.deepEqual(await read(await take('chunk_4.wasm')), Uint8Array.from([1, 2, 3]));
    assert.deepEqual(await read(await take('chunk_5.wasm')), new Uint8Array(0));
  }
});

test('a module the pack does not hold, a cut download or a refused one fails instead of giving part of one', async () => {
  const whole = pack({ 'chunk_4.wasm': [1, 2, 3, 4, 5, 6, 7, 8] });
  await assert.rejects(unpack(arriving(whole, [4]))('chunk_9.wasm'), /chat\.wasm has no chunk_9\.wasm/);

  const cut = unpack(arriving(whole.slice(0, whole.length - 3), [4]));
  await assert.rejects(async () => read(await cut('chunk_4.wasm')), /chat\.wasm ends inside chunk_4\.wasm/);

  assert.throws(() => unpack(arriving(whole, [4], 404)), /chat\.wasm: HTTP 404/);
});
