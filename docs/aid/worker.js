// The decision aid's engine, in a module Web Worker: Pyodide runs decision_aid here so that the
// page stays responsive while Python loads. Everything is fetched from this site: the runtime
// from ./pyodide/ and the package from ./decision_aid.zip, both relative to this file, so the
// site works under any base path. Nothing typed leaves this worker except back to the page.
//
// Messages are id-tagged objects {id, type, payload}:
//   (the worker starts loading Pyodide and the package as soon as it is created)
//   page -> worker  {id, type: "init", payload: {office, base}}
//                   {id, type: "request", payload: <a PROTOCOL.md request>}
//   worker -> page  {id: null, type: "progress", payload: {stage}}
//                   {id: <init id>, type: "ready", payload: {ms}}
//                   {id: <init id>, type: "failed", payload: {reason, detail}}
//                   {id: <request id>, type: "response", payload: <a PROTOCOL.md response>}
//                   {id: <request id>, type: "error", payload: {detail}}
// No decision logic here: requests go to decision_aid.web.handle_json unchanged.

import { loadPyodide } from "./pyodide/pyodide.mjs";

const INDEX_URL = new URL("./pyodide/", import.meta.url).href;
const PACKAGE_URL = new URL("./decision_aid.zip", import.meta.url).href;
const HOME = "/home/pyodide"; // Pyodide's working directory, first on sys.path

let handleJson = null; // decision_aid.web.handle_json once ready

// The runtime starts loading as soon as this worker exists (aid-boot.js creates it from the page's
// head, before the page has finished parsing); the page's "init" message, with the office and the
// site root, is only needed for the last step. So Python boots while the page is still loading.
let initId = null;
let resolveInit;
const initReceived = new Promise((resolve) => { resolveInit = resolve; });
let settled = false; // "ready" or "failed" has been sent

function post(id, type, payload) {
  self.postMessage({ id, type, payload });
}

function failed(reason, detail) {
  if (settled) return;
  settled = true;
  post(initId, "failed", { reason, detail });
}

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
    failed("wasm", text);
  }
};

async function boot() {
  const started = performance.now();
  try {
    post(null, "progress", { stage: "runtime" });
    // The package downloads while Pyodide boots.
    const packageBytes = fetch(PACKAGE_URL).then((response) => {
      if (!response.ok) throw new Error(`could not load ${PACKAGE_URL}: HTTP ${response.status}`);
      return response.arrayBuffer();
    });
    packageBytes.catch(() => {}); // reported below, once awaited
    const pyodide = await loadPyodide({
      indexURL: INDEX_URL,
      packageBaseUrl: INDEX_URL,
      fullStdLib: false,
      stdout: () => {},
      stderr: (line) => originalWarn(line),
    });
    post(null, "progress", { stage: "package" });
    pyodide.unpackArchive(await packageBytes, "zip", { extractDir: HOME });
    // Importing (compiling the modules, reading the content files) needs no office: do it now.
    pyodide.runPython("from decision_aid import web as _aid_web\n");
    const { office, base } = await initReceived;
    pyodide.globals.set("aid_office", office);
    pyodide.globals.set("aid_base", base);
    pyodide.runPython("_aid_web.create(aid_office, aid_base)\n");
    handleJson = pyodide.globals.get("_aid_web").handle_json;
    if (!settled) {
      settled = true;
      post(initId, "ready", { ms: Math.round(performance.now() - started) });
    }
  } catch (error) {
    failed(wasmFailed ? "wasm" : "load", String(error && error.message || error));
  }
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
    if (!handleJson) {
      post(id, "error", { detail: "the engine is not ready" });
      return;
    }
    try {
      // handle_json never raises by contract; this catch guards the bridge itself.
      post(id, "response", JSON.parse(handleJson(JSON.stringify(payload))));
    } catch (error) {
      post(id, "error", { detail: String(error && error.message || error) });
    }
  }
};
