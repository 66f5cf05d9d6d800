// The engine client's start watchdog, without a browser: a fake worker, short windows, and
// promises that settle on what happens (no assertion on how long anything took).
import { EngineClient } from "../../docs/aid/engine-client.js";

const STALL_MS = 200;

function fakeWorker() {
  return { posted: [], postMessage(message) { this.posted.push(message); } };
}

function until(condition, limitMs = 10000) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (condition()) return resolve();
      if (Date.now() - started > limitMs) return reject(new Error("condition never held"));
      setTimeout(check, 10);
    };
    check();
  });
}

const results = {};

// 1. A slow start that keeps sending heartbeats for 5 stall windows is never reported.
{
  const slow = [];
  const client = new EngineClient(fakeWorker(), { onSlow: (reason) => slow.push(reason) });
  client.init({ office: "generic" }, STALL_MS);
  let beats = 0;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      client.receive({ data: { id: null, type: beats % 5 ? "alive" : "progress", payload: { stage: "runtime" } } });
      if (++beats === 5 * (STALL_MS / 40)) { clearInterval(timer); resolve(); }
    }, 40);
  });
  client.receive({ data: { id: 1, type: "ready", payload: { ms: 1 } } });
  await client.ready;
  results.progressing_start_reported = slow.length;
}

// 2. A start with no word from the worker is reported as stalled, once; a late "ready" still resolves.
{
  const slow = [];
  const client = new EngineClient(fakeWorker(), { onSlow: (reason) => slow.push(reason) });
  client.init({ office: "generic" }, STALL_MS);
  await until(() => slow.length > 0);
  results.silent_start_reported = slow;
  client.receive({ data: { id: 1, type: "ready", payload: { ms: 1 } } });
  results.late_ready_resolves = Boolean(await client.ready);
}

console.log(JSON.stringify(results));
