// The page's one channel to the engine in worker.js, as in Pyodide's web-worker guide: every
// request carries an id, and each id has one promise and one timer. The envelope is documented
// in decision_aid/PROTOCOL.md.
//
// A timer that runs out does not reject its promise (a slow laptop may still answer): it tells
// the page through `onSlow`, and a late reply still resolves the promise. The engine's start is
// the promise `ready`: it resolves on "ready" and rejects on "failed".
//
// The start is watched for progress, not against the clock: a stage reached, or a heartbeat
// reporting more bytes downloaded than the last, restarts the stall timer, so an old, busy laptop
// that keeps going is never told it failed; only a start that makes no progress for `stallMs`
// (a download that stops, a worker that hangs) is reported (`onSlow("stalled")`).

export class EngineError extends Error {
  constructor(reason, detail) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.reason = reason;
    this.detail = detail || "";
  }
}

// What the worker may send, and what the client does with each (a test checks that every type
// worker.js posts is here).
const HANDLERS = {
  progress(client, message) {
    client.options.onProgress(message.payload || {});
  },
  alive(client, message) {
    const received = (message.payload || {}).received;
    if (received !== client.received) {
      client.received = received;
      client.watch();
    }
  },
  ready(client, message) {
    client.settleStart(true, message.payload || {});
  },
  failed(client, message) {
    const payload = message.payload || {};
    client.settleStart(false, new EngineError(payload.reason === "wasm" ? "wasm" : "load", payload.detail));
  },
  response(client, message) {
    client.settle(message.id, true, message.payload);
  },
  error(client, message) {
    client.settle(message.id, false, new EngineError("request", message.payload && message.payload.detail));
  },
};
export const MESSAGE_TYPES = Object.keys(HANDLERS);

export class EngineClient {
  // options: {replyTimeoutMs, onSlow(reason), onProgress(payload)}
  constructor(worker, options) {
    this.worker = worker;
    this.options = { onSlow() {}, onProgress() {}, ...options };
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, timer}
    this.started = false;
    this.ready = new Promise((resolve, reject) => {
      this.start = { resolve, reject, timer: null };
    });
    this.ready.catch(() => {}); // the page handles it; an unhandled rejection would only be noise
  }

  // Ask the worker to finish starting the engine for this office; `ready` settles. The start
  // is reported as stalled only after `stallMs` without a word from the worker.
  init(payload, stallMs) {
    this.stallMs = stallMs;
    this.watch();
    this.worker.postMessage({ id: this.nextId++, type: "init", payload });
    return this.ready;
  }

  watch() {
    if (this.started || !this.stallMs) return;
    clearTimeout(this.start.timer);
    this.start.timer = setTimeout(() => this.options.onSlow("stalled"), this.stallMs);
  }

  // One request (PROTOCOL.md); resolves with the response.
  request(payload) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.options.onSlow("noreply"), this.options.replyTimeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, type: "request", payload });
    });
  }

  // One message event from the worker (also the ones aid-boot.js kept before this page ran).
  receive(event) {
    const message = (event && event.data) || {};
    const handler = Object.prototype.hasOwnProperty.call(HANDLERS, message.type) ? HANDLERS[message.type] : null;
    if (message.type !== "alive") this.watch(); // a stage, a reply: progress (a heartbeat, only if it says so)
    if (handler) handler(this, message);
    else console.warn("decision aid: a message of unknown type from the engine", message.type);
  }

  settleStart(ok, value) {
    if (this.started) return;
    this.started = true;
    clearTimeout(this.start.timer);
    if (ok) this.start.resolve(value);
    else this.start.reject(value);
  }

  settle(id, ok, value) {
    const entry = this.pending.get(id);
    if (!entry) return; // not ours (or already settled): nothing waits for it
    this.pending.delete(id);
    clearTimeout(entry.timer);
    if (ok) entry.resolve(value);
    else entry.reject(value);
  }
}
