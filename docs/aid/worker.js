// The decision aid's engine, in a module Web Worker: Pyodide runs decision_aid here so that the
// page stays responsive while Python loads. Everything is fetched from this site: the runtime
// from ./pyodide/ and the package from ./decision_aid.zip, both relative to this file, so the
// site works under any base path. Nothing typed leaves this worker except back to the page.
//
// Messages are id-tagged objects {id, type, payload}:
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
let booting = null;

function post(id, type, payload) {
  self.postMessage({ id, type, payload });
}

// Pyodide reports a WebAssembly compile failure (e.g. .wasm served with the wrong MIME type) with
// console.warn and then never settles; catch the warning so the page hears of it at once.
const originalWarn = console.warn.bind(console);
let wasmFailed = false;
let bootId = null;
console.warn = (...args) => {
  originalWarn(...args);
  const text = args.map(String).join(" ");
  if (/wasm instantiation failed/i.test(text)) {
    wasmFailed = true;
  } else if (wasmFailed && bootId !== null) {
    post(bootId, "failed", { reason: "wasm", detail: text });
    bootId = null;
  }
};

async function boot(id, { office, base }) {
  const started = performance.now();
  bootId = id;
  try {
    post(null, "progress", { stage: "runtime" });
    const packageBytes = fetch(PACKAGE_URL).then((response) => {
      if (!response.ok) throw new Error(`could not load ${PACKAGE_URL}: HTTP ${response.status}`);
      return response.arrayBuffer();
    });
    const pyodide = await loadPyodide({
      indexURL: INDEX_URL,
      packageBaseUrl: INDEX_URL,
      fullStdLib: false,
      stdout: () => {},
      stderr: (line) => originalWarn(line),
    });
    post(null, "progress", { stage: "package" });
    pyodide.unpackArchive(await packageBytes, "zip", { extractDir: HOME });
    pyodide.globals.set("aid_office", office);
    pyodide.globals.set("aid_base", base);
    pyodide.runPython(
      "from decision_aid import web as _aid_web\n" +
        "_aid_web.create(aid_office, aid_base)\n"
    );
    handleJson = pyodide.globals.get("_aid_web").handle_json;
    bootId = null;
    post(id, "ready", { ms: Math.round(performance.now() - started) });
  } catch (error) {
    if (bootId !== null) {
      post(id, "failed", { reason: wasmFailed ? "wasm" : "load", detail: String(error && error.message || error) });
      bootId = null;
    }
  }
}

self.onmessage = (event) => {
  const { id, type, payload } = event.data || {};
  if (type === "init") {
    if (!booting) booting = boot(id, payload || {});
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
