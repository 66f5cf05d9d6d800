// Registers the service worker (sw.js at the site root) that keeps the whole handbook, its search
// and the decision aid available offline after one visit. A small external script: the pages
// carry a Content-Security-Policy without 'unsafe-inline'.
//
// <html data-offline="…"> tells tests and support where things stand:
//   unsupported  this browser or address cannot run a service worker (the footer note says so)
//   installing   the site is being saved for offline use
//   ready        every file is saved and this page is served by the current version
//   failed       saving failed on a first visit (the site works while connected; it retries)
//   stale        a new version could not be saved; the copy saved earlier is still the one in use
// A failure shows a note in the footer saying which file failed and why, when the service worker
// said so, and the page asks the browser to try again later.
(function () {
  "use strict";

  var script = document.currentScript;
  var html = document.documentElement;
  var swUrl = script && script.getAttribute("data-sw");

  function state(value) {
    html.setAttribute("data-offline", value);
  }

  function showNote() {
    var note = document.getElementById("offline-note");
    if (note) note.hidden = false;
  }

  // Service workers run only in a secure context: https, or http on localhost / 127.0.0.1.
  if (!swUrl || !("serviceWorker" in navigator) || !window.isSecureContext) {
    state("unsupported");
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", showNote);
    else showNote();
    return;
  }

  var sw = navigator.serviceWorker;
  var RETRY_MS = 10 * 60 * 1000;
  var RETRY_KEY = "opcc-offline-retry"; // this tab only: when to try again, and why it failed
  var registration = null;

  // A failed copy is not fetched again on every page: this tab waits RETRY_MS before trying again.
  function remembered() {
    try {
      var note = JSON.parse(window.sessionStorage.getItem(RETRY_KEY) || "null");
      return note && typeof note.at === "number" && note.at > Date.now() ? note : null;
    } catch (e) {
      return null;
    }
  }

  function remember(reason) {
    try {
      window.sessionStorage.setItem(RETRY_KEY, JSON.stringify({ at: Date.now() + RETRY_MS, reason: String(reason || "") }));
    } catch (e) { /* no storage: every page tries again */ }
  }

  function failed(reason, again) {
    var stale = Boolean(sw.controller);
    if (!again) remember(reason);
    state(stale ? "stale" : "failed");
    var note = document.getElementById(stale ? "offline-stale" : "offline-failed");
    if (note) {
      // Shown first, then filled: a status region announces changes, not what it held when shown.
      note.hidden = false;
      var slot = note.querySelector(".offline-reason");
      setTimeout(function () { if (slot) slot.textContent = reason || "the reason was not given"; }, 50);
    }
    if (registration && !again) setTimeout(function () { registration.update().catch(function () {}); }, RETRY_MS);
  }

  // The service worker tells open pages which file failed, and why.
  sw.addEventListener("message", function (event) {
    if (event.data && event.data.type === "install-failed") failed(event.data.reason);
  });
  sw.startMessages();

  function whenReady() {
    // `ready` resolves once a worker is active, i.e. once its install (the whole precache) is
    // done; the page is "ready" when that worker also controls it.
    sw.ready.then(function () {
      if (sw.controller) {
        state("ready");
      } else {
        sw.addEventListener("controllerchange", function () { state("ready"); }, { once: true });
      }
    });
  }

  function register() {
    if (!sw.controller) state("installing");
    sw.register(new URL(swUrl, document.baseURI).href).then(function (registered) {
      registration = registered;
      var installing = registration.installing;
      if (installing) {
        installing.addEventListener("statechange", function () {
          var shown = html.getAttribute("data-offline");
          if (installing.state === "redundant" && shown !== "failed" && shown !== "stale") failed("");
        });
      }
      whenReady();
    }, function (error) {
      failed(String(error && error.message || error));
      console.info("offline copy unavailable: " + (error && error.message || error));
    });
  }

  // Saving 13 MB must not compete with the page itself: wait for the load event and, on the
  // decision aid page, for the engine to be ready (or to have failed; at most 20 s).
  function afterAid(then) {
    var root = document.getElementById("aid-root");
    var busy = function () {
      var s = root && root.getAttribute("data-state");
      return root && s !== "ready" && s !== "failed";
    };
    if (!busy()) return then();
    var done = false;
    var finish = function () { if (!done) { done = true; observer.disconnect(); then(); } };
    var observer = new MutationObserver(function () { if (!busy()) finish(); });
    observer.observe(root, { attributes: true, attributeFilter: ["data-state"] });
    setTimeout(finish, 20000);
  }

  if (sw.controller) state("ready");
  var waiting = remembered();
  if (waiting) {
    // Failed in this tab a moment ago: say so again, and try once the wait is over.
    var show = function () { failed(waiting.reason, true); };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
    else show();
    setTimeout(register, waiting.at - Date.now());
    return;
  }
  if (document.readyState === "complete") afterAid(register);
  else window.addEventListener("load", function () { afterAid(register); });
})();
