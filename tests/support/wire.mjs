/**
 * A reader of Baton's wire encoding (`shared/src/protocol/wire.rs`, postcard's format: a struct's fields in order
 * without names, unsigned integers as LEB128 varints, a text as its length in bytes then its UTF-8, an optional value
 * as 0 or 1 then the value), for tests that check what the widget was answered: it asks in this encoding.
 */
export const WIRE_MEDIA_TYPE = 'application/vnd.baton.wire';

/** A reader over `bytes` (a Buffer or Uint8Array); each call reads the next field; `end()` checks none is left. */
export function wireReader(bytes) {
  let at = 0;
  const byte = () => {
    if (at >= bytes.length) throw new Error(`the wire data ends too early (at byte ${at})`);
    return bytes[at++];
  };
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const next = byte();
      value |= BigInt(next & 0x7f) << shift;
      if (next < 0x80) return value;
    }
  };
  const reader = {
    number: () => Number(varint()),
    bool: () => byte() === 1,
    str: () => {
      const length = Number(varint());
      if (at + length > bytes.length) throw new Error(`a text of ${length} bytes ends past the data (at byte ${at})`);
      const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(at, at + length));
      at += length;
      return text;
    },
    opt: (read) => (byte() === 1 ? read() : null),
    end: () => {
      if (at !== bytes.length) throw new Error(`${bytes.length - at} bytes left after the value`);
    },
  };
  return reader;
}

/** The widget's session as it keeps it in `localStorage` (`baton:{site}:session`): the wire encoding as base64. */
export function storedSession(text) {
  const session = wireReader(Buffer.from(text, 'base64'));
  const read = { conversation_id: session.str(), visitor_token: session.str() };
  session.end();
  return read;
}
