// The decision aid's first few milliseconds, as a small classic script (it runs where module
// scripts cannot: from file://, and in browsers too old for modules).
//
// - It starts the engine's worker at once, keeping any message it sends until aid.js takes over.
// - Until aid.js has started, an answer to the pre-rendered first question is kept here rather
//   than sent as a page reload.
// - It holds the one table of failure messages, and shows the failure panel (#aid-failure, whose
//   advice is in the page itself): at once if the page is opened from file://, the browser has no
//   WebAssembly, or aid.js never starts; later for aid.js, which calls `fail`.
// The hand-over is the one global this page sets, window.opccAidBoot:
//   {worker: {worker, messages, errors, onMessage, onError} | null, early: request | null,
//    started: bool (aid.js is running), failures: {reason: message}, fail(reason, detail)}.
(function () {
  "use strict";

  var MESSAGES = {
    file: "This page was opened as a file from the disk (its address starts with file://). Browsers do not run the decision aid from a file: it has to be served by a web server.",
    nowasm: "This browser cannot run WebAssembly, which the decision aid needs to run its Python engine.",
    noscript: "The decision aid's script did not start. The browser may be too old (the aid needs JavaScript modules and module workers), or the script could not be loaded from the site.",
    noworker: "This browser cannot run the decision aid's background worker (it needs module Web Workers).",
    wasm: "The browser could not load the aid's Python runtime (pyodide.asm.wasm). This usually means the web server sends that file with the wrong type: it must be served as application/wasm.",
    load: "The aid's Python runtime did not load.",
    timeout: "The decision aid did not finish loading within 15 seconds. It may still be loading on a slow computer; if this message does not go away, the aid cannot run here.",
    noreply: "The decision aid stopped answering: it did not reply within 10 seconds. Reload the page to start it again."
  };
  var boot = window.opccAidBoot = { worker: null, early: null, started: false, failures: MESSAGES, fail: fail };

  function fail(reason, detail) {
    var root = document.getElementById("aid-root");
    var panel = document.getElementById("aid-failure");
    var why = document.getElementById("aid-failure-reason");
    if (!root || !panel || !why) return;
    root.setAttribute("data-state", "failed");
    root.setAttribute("data-failure", reason);
    why.textContent = (MESSAGES[reason] || reason) + (detail ? " (" + detail + ")" : "");
    panel.hidden = false;
    // The panel is an alert and speaks for itself; the loading line would now be wrong.
    var status = document.getElementById("aid-status");
    if (status) status.textContent = "";
    // Where the engine can never start, the first question would lead nowhere: hide it. A slow
    // start or a stalled reply may still come good, so those leave the page as it is.
    if (reason !== "timeout" && reason !== "noreply") {
      var hide = [document.getElementById("aid-step"), document.querySelector("#aid-root .aid-keep")];
      for (var i = 0; i < hide.length; i++) if (hide[i]) hide[i].hidden = true;
    }
    try { panel.focus(); } catch (e) { /* focus is a courtesy */ }
  }

  // Start the engine's worker now, from the page's head: Pyodide then loads while the rest of the
  // page is still arriving, instead of after it (aid.js takes the worker over when it runs, with
  // any message or error that came before). Where a module worker cannot start here, aid.js tries
  // again itself and reports why.
  (function startWorker() {
    var script = document.currentScript;
    if (location.protocol === "file:" || typeof WebAssembly !== "object" || typeof Worker !== "function") return;
    if (!script || !script.src || typeof URL !== "function") return;
    var moduleWorkers = false;
    var worker;
    try {
      worker = new Worker(new URL("worker.js", script.src).href, {
        get type() { moduleWorkers = true; return "module"; },
        name: "decision-aid"
      });
    } catch (e) {
      return;
    }
    if (!moduleWorkers) {
      worker.terminate();
      return;
    }
    var early = { worker: worker, messages: [], errors: [] };
    early.onMessage = function (event) { early.messages.push(event); };
    early.onError = function (event) { event.preventDefault(); early.errors.push(event); };
    worker.addEventListener("message", early.onMessage);
    worker.addEventListener("error", early.onError);
    boot.worker = early;
  })();

  // An early answer: keep it, say so, and let aid.js send it when the engine is ready.
  document.addEventListener("submit", function (event) {
    if (boot.started) return; // aid.js handles it
    var form = event.target;
    if (!form || !form.classList || !form.classList.contains("aid-form")) return;
    event.preventDefault();
    var values = {};
    var data = new FormData(form);
    data.forEach(function (value, name) {
      (values[name] = values[name] || []).push(String(value));
    });
    boot.early = {
      type: "submit",
      node: form.getAttribute("data-node"),
      values: values,
      mode: form.getAttribute("data-mode") || "normal"
    };
    var status = document.getElementById("aid-status");
    if (status) {
      status.setAttribute("data-kind", "loading");
      status.textContent = "Your answer is saved; the aid is still loading.";
    }
  }, true);

  function check() {
    if (!document.getElementById("aid-root")) return;
    if (location.protocol === "file:") {
      fail("file");
    } else if (typeof WebAssembly !== "object" || typeof WebAssembly.instantiate !== "function") {
      fail("nowasm");
    } else {
      // Module scripts run before the load event; if aid.js has not started by then, it never will.
      window.addEventListener("load", function () {
        setTimeout(function () {
          if (!boot.started) fail("noscript");
        }, 500);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", check);
  } else {
    check();
  }
})();
