// A stand-in for an OpenAI-compatible model on loopback, on the port the test stack gives the worker
// (`BATON_AI_BASE_URL`, 127.0.0.1:8790; the Rust API tests use it first and are done by then). It answers the
// agent's summary requests (the system prompt of `summary::SummaryPrompt`) with a summary quoting the visitor's
// first message, and can hold an answer until the test releases it (never past the stack's 1.5 s model timeout).
import http from 'node:http';

export const MODEL_PORT = 8790;
const HOLD_MAX_MS = 1_200;

/** Starts the server; resolves to { requests, hold(), close() }. `requests` lists each request's conversation
 * text; `hold()` makes the next summary wait and resolves to a function that sends it (it goes by itself after
 * 1.2 s, and the function then returns false). */
export async function startModelServer() {
  const requests = [];
  let held = null;
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', async () => {
      const messages = JSON.parse(body || '{}').messages ?? [];
      const system = messages.find((m) => m.role === 'system')?.content ?? '';
      const user = messages.find((m) => m.role === 'user')?.content ?? '';
      requests.push(user);
      if (!system.includes('You write the note an agent reads')) {
        response.writeHead(500, { 'content-type': 'application/json' });
        response.end('{"error": {"message": "only summaries here"}}');
        return;
      }
      if (held) {
        const gate = held;
        held = null;
        gate.arrived();
        await gate.released;
      }
      const first = user.split('\n').find((line) => line.startsWith('Visitor: '))?.slice('Visitor: '.length) ?? '';
      const content = JSON.stringify({ summary: summaryOf(first) });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content } }] }));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(MODEL_PORT, '127.0.0.1', resolve);
  });
  return {
    requests,
    /** Holds the next summary; resolves once its request has arrived, to the function that releases it. */
    hold() {
      return new Promise((resolveArrived) => {
        let release;
        let releasedByTest = true;
        const released = new Promise((resolve) => { release = resolve; });
        const timer = setTimeout(() => { releasedByTest = false; release(); }, HOLD_MAX_MS);
        held = {
          released,
          arrived: () => resolveArrived(() => {
            clearTimeout(timer);
            release();
            return releasedByTest;
          }),
        };
      });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** The summary the stand-in writes: the visitor's first message, quoted. */
export function summaryOf(firstVisitorMessage) {
  return `The visitor wrote: ${firstVisitorMessage}`;
}
