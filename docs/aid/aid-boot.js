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

  // reason: [what staff are told, the technical detail for IT support]
  var MESSAGES = {
    file: ["This copy of the handbook was opened as a file, and the aid only runs when the handbook comes from a web server.",
      "The page was opened from file://; browsers do not run WebAssembly workers from files. Serve the site (make serve, or the intranet server)."],
    nowasm: ["This browser cannot run the aid.", "The browser has no WebAssembly, which the aid's Python engine needs."],
    noscript: ["The aid's program did not start in this browser.",
      "aid.js did not run: the browser may be too old for JavaScript modules and module workers, or the script could not be loaded from the site."],
    noworker: ["This browser cannot run the aid.", "The browser cannot start a module Web Worker, which the aid needs."],
    wasm: ["The aid's engine could not be loaded from this server.",
      "pyodide.asm.wasm did not compile: the web server most likely sends it with the wrong type; it must be application/wasm."],
    load: ["The aid's engine did not load.", "Pyodide or the decision_aid package did not load."],
    stalled: ["The aid stopped loading: nothing has happened for a minute.",
      "The worker sent no progress and no heartbeat for 60 seconds while the engine started."],
    noreply: ["The aid stopped answering.", "The engine did not reply to a request within 60 seconds."]
  };
  var boot = window.opccAidBoot = { worker: null, early: null, started: false, failures: MESSAGES, fail: fail };

  function fail(reason, detail) {
    var root = document.getElementById("aid-root");
    var panel = document.getElementById("aid-failure");
    var why = document.getElementById("aid-failure-reason");
    if (!root || !panel || !why) return;
    root.setAttribute("data-state", "failed");
    root.setAttribute("data-failure", reason);
    var message = MESSAGES[reason] || ["The aid could not start.", reason];
    var summary = document.getElementById("aid-failure-summary");
    if (summary) summary.textContent = message[0];
    why.textContent = message[1] + (detail ? " (" + detail + ")" : "");
    panel.hidden = false;
    // The panel is an alert and speaks for itself; the loading line would now be wrong.
    var status = document.getElementById("aid-status");
    if (status) status.textContent = "";
    // Where the engine can never start, the first question would lead nowhere: hide it. A stalled
    // start or reply may still come good, so those leave the page as it is.
    if (reason !== "stalled" && reason !== "noreply") {
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
