// The decision aid's engine, in a module Web Worker: Pyodide runs decision_aid here so that the
// page stays responsive while Python loads. Everything is fetched from this site: the runtime
// from ./pyodide/ and the package from ./decision_aid.zip, both relative to this file, so the
// site works under any base path. Nothing typed leaves this worker except back to the page.
//
// Messages are id-tagged objects {id, type, payload}:
//   (the worker starts loading Pyodide and the package as soon as it is created)
//   page -> worker  {id, type: "init", payload: {office, base}}
//                   {id, type: "request", payload: <a PROTOCOL.md request>}
//   worker -> page  {id: null, type: "progress", payload: {stage}}   runtime, python, package, engine
//                   {id: null, type: "alive", payload: {received}} every second until ready or failed:
//                                                                  the bytes downloaded so far
//                   {id: <init id>, type: "ready", payload: {ms, from: "snapshot"|"start"}}
//                   {id: <init id>, type: "failed", payload: {reason, detail}}
//                   {id: <request id>, type: "response", payload: <a PROTOCOL.md response>, ms}
//                                                                  ms: the time Python took
//                   {id: <request id>, type: "error", payload: {detail}}
// No decision logic here: requests go to decision_aid.web.handle_json unchanged.
//
// Start-up snapshot (speed only; every failure falls back to the ordinary boot): on a first visit,
// right after `import decision_aid` and before the office is set or any request reaches Python,
// the worker copies Pyodide's memory (pyodide.makeMemorySnapshot) and, once the engine is ready,
// stores it gzipped in the Cache API ("opcc-aid-snapshot"), keyed by the Pyodide version, a hash
// of the site's Python library (LIBRARY_ID) and a SHA-256 of decision_aid.zip, so another build of
// the package, library or runtime never uses it (Pyodide also refuses a snapshot of another
// runtime build). A later visit restores it instead of starting
// Python and importing the package again. It holds program state only: no answer has reached
// Python when it is taken.

import { loadPyodide, version as PYODIDE_VERSION } from "./pyodide/pyodide.mjs";

const INDEX_URL = new URL("./pyodide/", import.meta.url).href;
const PACKAGE_URL = new URL("./decision_aid.zip", import.meta.url).href;
const HOME = "/home/pyodide"; // Pyodide's working directory, first on sys.path

let handleJson = null; // decision_aid.web.handle_json once ready
let prepare = null; // decision_aid.web.prepare: work done ahead between requests (the result)
// Work ahead starts only once the page has had time to show the reply, and not at all if the
// next request comes first, so that it never competes with the view it follows. A request that
// arrives while it runs waits for it: at most the making of one result.
const PREPARE_AFTER_MS = 300;
let prepareTimer = null;

// The runtime starts loading as soon as this worker exists (aid-boot.js creates it from the page's
// head, before the page has finished parsing); the page's "init" message, with the office and the
// site root, is only needed for the last step. So Python boots while the page is still loading.
let initId = null;
let resolveInit;
const initReceived = new Promise((resolve) => { resolveInit = resolve; });
let settled = false; // "ready" or "failed" has been sent

function post(id, type, payload, extra) {
  self.postMessage({ id, type, payload, ...extra });
}

function failed(reason, detail) {
  if (settled) return;
  settled = true;
  clearInterval(heartbeat);
  post(initId, "failed", { reason, detail });
}

// A heartbeat while the engine starts, carrying the bytes downloaded so far: the page counts a
// beat as progress only when that number has grown (or a stage is reached), so a download that
// stalls is told apart from a slow one. Every response body this worker fetches (Pyodide calls the
// global fetch when it runs) is counted as it arrives, on a copy of the body: Pyodide gets the
// browser's own response, which the browser needs to keep the runtime's compiled code for the
// next visit (a response made up here would have no address to keep it under).
let received = 0;
const fetchFromSite = self.fetch.bind(self);
self.fetch = async (...args) => {
  const response = await fetchFromSite(...args);
  if (response.body && !settled) count(response.clone().body);
  return response;
};

async function count(body) {
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done || settled) break;
      received += value.byteLength;
    }
    reader.cancel().catch(() => {});
  } catch {
    // a copy that cannot be read only leaves the heartbeat's count where it was
  }
}
const heartbeat = setInterval(() => post(null, "alive", { received }), 1000);

// Pyodide reports a WebAssembly compile failure (e.g. .wasm served with the wrong MIME type) with
// console.warn and then never settles; catch the warning so the page hears of it at once.
const originalWarn = console.warn.bind(console);
let wasmFailed = false;
console.warn = (...args) => {
  originalWarn(...args);
  const text = args.map(String).join(" ");
  if (/wasm instantiation failed/i.test(text)) {
    wasmFailed = true;
  } else if (wasmFailed) {
    if (snapshotAttempt) {
      wasmFailed = false; // the snapshot's memory size, not the browser: boot normally instead
      snapshotAttempt(new Error(text));
    } else {
      failed("wasm", text);
    }
  }
};

// --- the start-up snapshot ------------------------------------------------------------------

const SNAPSHOT_CACHE = "opcc-aid-snapshot";
const SNAPSHOT_FORMAT = "2"; // bump when what runs before the snapshot changes, or how it is stored (2: gzip)
let snapshotAttempt = null; // rejects the snapshot boot if Pyodide reports a wasm failure

// A hash of the site's python_stdlib.zip, written here by the build (sitebuild/bytecode.py): a
// snapshot remembers where each module sits in the library it was made with.
const LIBRARY_ID = null;

async function snapshotKey(packageBytes) {
  if (!self.caches || !self.crypto || !crypto.subtle) return null;
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", packageBytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return new URL(`./aid-snapshot/${SNAPSHOT_FORMAT}-${PYODIDE_VERSION}-${LIBRARY_ID}-${hex}`, import.meta.url).href;
}

// The snapshot is Pyodide's whole memory, mostly zeros: it is kept gzipped (about a fifth of
// the size), and only where the browser can compress and decompress streams.
const CAN_COMPRESS = typeof CompressionStream === "function" && typeof DecompressionStream === "function";

async function readSnapshot(key) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const hit = await cache.match(key);
    if (!hit || !hit.body) return null;
    return new Uint8Array(await new Response(hit.body.pipeThrough(new DecompressionStream("gzip"))).arrayBuffer());
  } catch {
    return null;
  }
}

async function storeSnapshot(key, bytes) {
  try {
    const cache = await caches.open(SNAPSHOT_CACHE);
    const packed = new Blob([bytes]).stream().pipeThrough(new CompressionStream("gzip"));
    await cache.put(key, new Response(packed, { headers: { "Content-Type": "application/gzip" } }));
    for (const request of await cache.keys()) {
      if (request.url !== key) await cache.delete(request);
    }
  } catch {
    // no room, or storage refused: the next visit simply boots normally
  }
}

async function dropSnapshot(key) {
  try {
    await (await caches.open(SNAPSHOT_CACHE)).delete(key);
  } catch {
    // nothing to do
  }
}

// Pyodide's lock file lists the packages it could load; the engine loads none. The build
// (sitebuild/aid_build.py, inline_lock) writes the runtime's own entry here, so none is fetched.
const LOCK_FILE_CONTENTS = null;

const PYODIDE_OPTIONS = {
  indexURL: INDEX_URL,
  ...(LOCK_FILE_CONTENTS ? { lockFileContents: LOCK_FILE_CONTENTS } : {}),
  packageBaseUrl: INDEX_URL,
  fullStdLib: false,
  stdout: () => {},
  stderr: (line) => originalWarn(line),
};

// Python with decision_aid imported, from the snapshot; throws on any problem.
async function bootFromSnapshot(snapshot, packageBytes) {
  const aborted = new Promise((_, reject) => { snapshotAttempt = reject; });
  try {
    const pyodide = await Promise.race([loadPyodide({ ...PYODIDE_OPTIONS, _loadSnapshot: snapshot }), aborted]);
    // The files are not in the snapshot (only memory is): unpack them again for later reads.
    pyodide.unpackArchive(packageBytes, "zip", { extractDir: HOME });
    pyodide.runPython(
      "import sys\n" +
      "while sys.path[:2] == ['', '']: del sys.path[0]\n" +
      "assert 'decision_aid.web' in sys.modules and _aid_web.__name__ == 'decision_aid.web'\n"
    );
    return pyodide;
  } finally {
    snapshotAttempt = null;
  }
}

// Python with decision_aid imported, started from scratch; also returns a snapshot of that state
// (null if one cannot be made).
async function bootNormally(packageBytes, wantSnapshot) {
  const pyodide = await loadPyodide({ ...PYODIDE_OPTIONS, _makeSnapshot: wantSnapshot });
  post(null, "progress", { stage: "python" });
  const bytes = await packageBytes;
  post(null, "progress", { stage: "package" });
  pyodide.unpackArchive(bytes, "zip", { extractDir: HOME });
  // Importing (loading the modules, reading the content files) needs no office: do it now.
  pyodide.runPython("from decision_aid import web as _aid_web\n");
  let snapshot = null;
  if (wantSnapshot) {
    try {
      snapshot = pyodide.makeMemorySnapshot(); // before any office or request reaches Python
    } catch {
      snapshot = null;
    }
  }
  return { pyodide, snapshot };
}

async function boot() {
  const started = performance.now();
  try {
    post(null, "progress", { stage: "runtime" });
    // The package downloads while Pyodide boots (on a later visit, first: its hash names the
    // snapshot).
    const packageBytesPromise = fetch(PACKAGE_URL).then((response) => {
      if (!response.ok) throw new Error(`could not load ${PACKAGE_URL}: HTTP ${response.status}`);
      return response.arrayBuffer();
    }).then((buffer) => new Uint8Array(buffer));
    packageBytesPromise.catch(() => {}); // reported below, once awaited

    // A snapshot is looked for only if this browser has kept one (a first visit does not wait).
    const canSnapshot = Boolean(self.caches && self.crypto && crypto.subtle && CAN_COMPRESS);
    const keyPromise = canSnapshot ? packageBytesPromise.then(snapshotKey) : Promise.resolve(null);
    keyPromise.catch(() => {});
    let snapshot = null;
    try {
      if (canSnapshot && await caches.has(SNAPSHOT_CACHE)) {
        const key = await keyPromise;
        if (key) snapshot = await readSnapshot(key);
      }
    } catch {
      snapshot = null; // a package error, if any, is reported below
    }

    let pyodide = null;
    let restored = false;
    let fresh = null; // a snapshot made by this visit, to store once the engine is ready
    if (snapshot) {
      try {
        pyodide = await bootFromSnapshot(snapshot, await packageBytesPromise);
        restored = true;
        post(null, "progress", { stage: "package" });
      } catch (error) {
        originalWarn("decision aid: start-up snapshot not used:", String(error && error.message || error));
        pyodide = null;
        keyPromise.then(dropSnapshot, () => {});
      }
      snapshot = null;
    }
    if (!pyodide) {
      const booted = await bootNormally(packageBytesPromise, canSnapshot);
      pyodide = booted.pyodide;
      fresh = booted.snapshot;
    }
    const { office, base } = await initReceived;
    post(null, "progress", { stage: "engine" });
    pyodide.globals.set("aid_office", office);
    pyodide.globals.set("aid_base", base);
    pyodide.runPython("_aid_web.create(aid_office, aid_base)\n");
    handleJson = pyodide.globals.get("_aid_web").handle_json;
    prepare = pyodide.globals.get("_aid_web").prepare;
    if (!settled) {
      settled = true;
      clearInterval(heartbeat);
      post(initId, "ready", { ms: Math.round(performance.now() - started), from: restored ? "snapshot" : "start" });
    }
    if (fresh) {
      // Off the critical path: the page already has its engine. Compressing 30 MB takes this
      // worker a noticeable moment, so it waits for a pause in the walk (no request for IDLE_MS),
      // never delaying an answer.
      const bytes = fresh;
      fresh = null;
      lastRequest = Math.max(lastRequest, performance.now()); // the first answer usually follows "ready"
      whenIdle(() => { keyPromise.then((key) => key && storeSnapshot(key, bytes), () => {}); });
    }
  } catch (error) {
    failed(wasmFailed ? "wasm" : "load", String(error && error.message || error));
  }
}

const IDLE_MS = 3000;
let lastRequest = 0;

function whenIdle(task) {
  const wait = lastRequest + IDLE_MS - performance.now();
  if (wait > 0) setTimeout(() => whenIdle(task), wait);
  else task();
}

boot();

self.onmessage = (event) => {
  const { id, type, payload } = event.data || {};
  if (type === "init") {
    if (initId === null) {
      initId = id;
      resolveInit(payload || {});
    }
    return;
  }
  if (type === "request") {
    lastRequest = performance.now();
    clearTimeout(prepareTimer);
    if (!handleJson) {
      post(id, "error", { detail: "the engine is not ready" });
      return;
    }
    try {
      // handle_json never raises by contract; this catch guards the bridge itself.
      const began = performance.now();
      const reply = handleJson(JSON.stringify(payload));
      // ms: Python's share of the step, beside the whole step the page sees (make bench).
      const ms = Math.round((performance.now() - began) * 10) / 10;
      post(id, "response", JSON.parse(reply), { ms });
    } catch (error) {
      post(id, "error", { detail: String(error && error.message || error) });
    }
    // Python decides whether there is anything to make ahead (the result, on Check your answers).
    prepareTimer = setTimeout(() => { try { prepare(); } catch { /* it only ever saves time */ } }, PREPARE_AFTER_MS);
  }
};
