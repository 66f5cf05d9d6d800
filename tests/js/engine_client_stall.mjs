// The engine client's start watchdog, without a browser: a fake worker, and promises that settle
// on what happens (no assertion on how long anything took). The stall window is wide against the
// tick, so a busy machine delaying timers does not make a progressing start look stalled.
import { EngineClient } from "../../docs/aid/engine-client.js";

const STALL_MS = 1000;
const TICK_MS = 50;

function fakeWorker() {
  return { posted: [], postMessage(message) { this.posted.push(message); } };
}

function until(condition, limitMs = 30000) {
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

// Sends `beats` messages, one a tick; message(i) says what each one is.
function beat(client, beats, message) {
  return new Promise((resolve) => {
    let i = 0;
    const timer = setInterval(() => {
      client.receive({ data: message(i) });
      if (++i === beats) { clearInterval(timer); resolve(); }
    }, TICK_MS);
  });
}

const results = {};
const windows = 3 * (STALL_MS / TICK_MS); // three stall windows' worth of beats

// 1. A start whose heartbeats report more bytes each time, through three stall windows: never reported.
{
  const slow = [];
  const client = new EngineClient(fakeWorker(), { onSlow: (reason) => slow.push(reason) });
  client.init({ office: "generic" }, STALL_MS);
  await beat(client, windows, (i) => ({ id: null, type: "alive", payload: { received: (i + 1) * 1000 } }));
  client.receive({ data: { id: 1, type: "ready", payload: { ms: 1 } } });
  await client.ready;
  results.downloading_start_reported = slow;
}

// 2. Heartbeats that report no new bytes (a download that stopped): reported as stalled, once.
{
  const slow = [];
  const client = new EngineClient(fakeWorker(), { onSlow: (reason) => slow.push(reason) });
  client.init({ office: "generic" }, STALL_MS);
  await beat(client, windows, () => ({ id: null, type: "alive", payload: { received: 5000 } }));
  await until(() => slow.length > 0);
  results.stuck_download_reported = slow;
}

// 3. No word at all: reported as stalled, once; a late "ready" still resolves.
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
