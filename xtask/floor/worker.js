// The platform's floor (see wrangler.toml beside this file): per message, what Baton's message route cannot do
// without on this platform, and nothing else. The worker reads the JSON body, checks the address's rate limit and
// calls the conversation's Durable Object once; the object checks the conversation's rate limit, appends the
// message and its answer to its storage in one write, and answers JSON. No answer is computed (the answer is a
// fixed text), nothing is validated, no event is recorded: Baton does all of that on top.

const JSON_TYPE = { "content-type": "application/json" };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/v1/health") {
      return Response.json({ ok: true });
    }
    const conversation = url.pathname.match(/^\/floor\/([A-Za-z0-9-]{1,64})$/)?.[1];
    if (request.method !== "POST" || !conversation) {
      return Response.json({ error: "POST /floor/{conversation}" }, { status: 404 });
    }
    const address = request.headers.get("CF-Connecting-IP") ?? "unknown";
    if (!(await env.IP_LIMITER.limit({ key: `ip:${address}` })).success) {
      return Response.json({ error: "rate limited" }, { status: 429 });
    }
    const room = env.ROOMS.get(env.ROOMS.idFromName(conversation));
    const answer = await room.fetch(`https://room/${conversation}`, { method: "POST", body: await request.text() });
    return new Response(await answer.text(), { status: answer.status, headers: JSON_TYPE });
  },
};

export class FloorRoom {
  constructor(state, env) {
    this.storage = state.storage;
    this.env = env;
    this.sequence = null;
  }

  async fetch(request) {
    const conversation = new URL(request.url).pathname.slice(1);
    const message = await request.json();
    if (!(await this.env.VISITOR_LIMITER.limit({ key: `conversation:${conversation}` })).success) {
      return Response.json({ error: "rate limited" }, { status: 429 });
    }
    this.sequence ??= (await this.storage.get("sequence")) ?? 0;
    const question = ++this.sequence;
    const answer = ++this.sequence;
    const reply = { sequence: answer, text: "Thanks, noted." };
    await this.storage.put({
      sequence: this.sequence,
      [`message:${question}`]: message,
      [`message:${answer}`]: reply,
    });
    return Response.json({ messages: [message, reply] });
  }
}
