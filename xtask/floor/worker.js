// The platform's floor (see wrangler.toml beside this file): what Baton's visitor routes cannot do without on this
// platform, and nothing else. A message (`POST /floor/{conversation}`): the worker checks the address's rate limit
// and passes the body to the conversation's Durable Object in one call; the object parses it, checks the
// conversation's rate limit, appends the message and its answer to its storage in one write, and answers JSON. A
// conversation's start (`POST /floor/{conversation}/start`, as Baton's visitors start one every 25 messages in the
// benchmark): the address's rate limit, one call, one write. No answer is computed (the answer is a fixed text),
// nothing is validated, no event is recorded: Baton does all of that on top.

const JSON_TYPE = { "content-type": "application/json" };

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === "GET" && url.pathname === "/v1/health") {
      return Response.json({ ok: true });
    }
    const [, conversation, start] = url.pathname.match(/^\/floor\/([A-Za-z0-9-]{1,64})(\/start)?$/) ?? [];
    if (request.method !== "POST" || !conversation) {
      return Response.json({ error: "POST /floor/{conversation}[/start]" }, { status: 404 });
    }
    const address = request.headers.get("CF-Connecting-IP") ?? "unknown";
    if (!(await env.IP_LIMITER.limit({ key: `ip:${address}` })).success) {
      return Response.json({ error: "rate limited" }, { status: 429 });
    }
    const room = env.ROOMS.get(env.ROOMS.idFromName(conversation));
    const answer = await room.fetch(`https://room/${conversation}${start ?? ""}`, {
      method: "POST",
      body: await request.text(),
    });
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
    const [conversation, start] = new URL(request.url).pathname.slice(1).split("/");
    if (start) {
      this.sequence = 0;
      await this.storage.put({ sequence: 0, opened: true });
      return Response.json({ conversation_id: conversation });
    }
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
