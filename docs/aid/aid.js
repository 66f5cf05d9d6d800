// The decision aid page: carries messages between the page and the Python engine in worker.js.
//
// It holds no decision logic (decision_aid/PROTOCOL.md is the contract): it serialises forms,
// sends requests through the engine client (engine-client.js: one promise and one timer per
// request id), swaps #aid-step for the HTML Python returns, sets the title, moves focus and
// writes the announcement into the polite live region. Copy, download and print of the result
// documents are local.
//
// The walk survives the browser, as on GOV.UK: each view is a history entry ({view, node} only),
// so Back and Forward move between questions; while a walk is in progress its answers are kept in
// this tab's sessionStorage, so following a link and coming back, or reloading, loses nothing. They
// are removed when the walk ends (Start again, or the record note copied, downloaded or printed)
// and when the tab closes; "Keep my answers in this tab" keeps them after the walk ends too.
//
// aid-boot.js, a classic script in the page's head, hands over through one global,
// window.opccAidBoot: the worker it started (with any message that came before this module
// ran), an answer given before now, the failure messages and the panel that shows them.
//
// For tests and support, #aid-root carries data-state="loading|ready|failed" (and data-failure,
// data-boot-ms, data-boot-from="snapshot|start": whether the engine came from worker.js's start-up
// snapshot).

import { EngineClient, EngineError } from "./engine-client.js";

// The engine's start is declared failed only when it makes no progress for this long (the
// worker sends a heartbeat every second and a word at each stage); a slow laptop that keeps
// going is shown calm progress, never a failure.
const STALL_MS = 60000;
const REPLY_TIMEOUT_MS = 60000; // an answer still being worked on after this: the engine has stopped
const BUSY_MS = 3000; // an answer taking longer than this is said to be in hand
const DISCARDED = "Answers saved in this tab could not be read, so they were removed. Start the walk again.";
// What staff see while the engine starts, stage by stage (worker.js sends the stages).
const STAGES = {
  runtime: "Loading the decision aid: fetching its engine.",
  python: "Loading the decision aid: starting the engine.",
  package: "Loading the decision aid: loading the questions and rules.",
  engine: "Loading the decision aid: nearly ready.",
};
const KEEP_KEY = "opcc-aid-keep";
const ANSWERS_KEY = "opcc-aid-answers";
const WALK_KEY = "opcc-aid-walk"; // the walk in progress, this tab only, until it ends
const HISTORY_KEY = "opccAid"; // our entries in history.state
const MAX_SAVED_CHARS = 200000; // saved answers are a few kilobytes; more is not ours

// The shape of a walk's answers (decision_aid/PROTOCOL.md): question id -> a text, a list of
// texts, or named texts (the details questions). Checked without recursion.
function isAnswers(value) {
  const text = (v) => typeof v === "string";
  const plain = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
  if (!plain(value)) return false;
  return Object.values(value).every((v) => text(v)
    || (Array.isArray(v) && v.every(text))
    || (plain(v) && Object.values(v).every(text)));
}
const NOTE_TARGET = "doc-note";

const root = document.getElementById("aid-root");
const boot = window.opccAidBoot || null;

function fail(reason, detail) {
  if (root) root.dataset.state = "failed";
  if (boot) {
    boot.fail(reason, detail);
    return;
  }
  // aid-boot.js did not load: show the same panel, without its explanations.
  const panel = document.getElementById("aid-failure");
  const why = document.getElementById("aid-failure-reason");
  if (!panel || !why) return;
  root.dataset.failure = reason;
  const summary = document.getElementById("aid-failure-summary");
  if (summary) summary.textContent = "The aid could not start.";
  why.textContent = `The decision aid could not start (${reason}${detail ? `: ${detail}` : ""}).`;
  document.getElementById("aid-status").textContent = "";
  panel.hidden = false;
  panel.focus();
}

function recover() {
  // A late "ready" or reply after a watchdog message: the aid works after all.
  const panel = document.getElementById("aid-failure");
  if (panel) panel.hidden = true;
  for (const el of [document.getElementById("aid-step"), root.querySelector(".aid-keep")]) if (el) el.hidden = false;
  delete root.dataset.failure;
  root.dataset.state = "ready";
}

if (root && location.protocol !== "file:") {
  if (boot) boot.started = true;
  main();
}

function main() {
  const step = document.getElementById("aid-step");
  const status = document.getElementById("aid-status");
  const keep = document.getElementById("aid-keep");
  const recordInput = document.getElementById("aid-record");
  const office = root.dataset.office || "generic";
  const base = root.dataset.base || "../";

  let engine = null;
  let ready = false;
  let queued = (boot && boot.early) || null; // the latest request made before the engine was ready
  let inFlight = false;
  let last = null; // the last response
  let noteSaved = true;
  let restoring = null;
  // ?practice=<scenario id> (from the induction page) starts a practice scenario. Its story and
  // first question were pre-rendered by the build, so they show before the engine is ready.
  const practice = new URLSearchParams(window.location.search).get("practice");
  let practiceShown = false; // the scenario's pre-rendered start is on screen
  if (practice) {
    root.dataset.practice = practice;
    const start = document.querySelector(`#aid-practice-starts template[data-practice="${CSS.escape(practice)}"]`);
    if (start) step.replaceChildren(start.content.cloneNode(true));
    practiceShown = Boolean(start);
  }
  // Practice never reads or writes a real case's answers: its walk has its own key, per scenario,
  // and "Keep my answers" does not apply to it.
  const walkKey = practice ? `${WALK_KEY}:practice:${practice}` : WALK_KEY;

  root.dataset.state = root.dataset.state === "failed" ? "failed" : "loading";

  // --- the live region ---------------------------------------------------------------------

  function say(text, kind = "announce") {
    // Cleared first, so that the same sentence twice is announced twice.
    status.textContent = "";
    status.dataset.kind = kind;
    window.setTimeout(() => { status.textContent = text; }, 50);
  }

  // --- storage (only when the user opts in) ----------------------------------------------

  const storage = (() => {
    try {
      const s = window.sessionStorage;
      s.setItem("opcc-aid-probe", "1");
      s.removeItem("opcc-aid-probe");
      return s;
    } catch {
      return null;
    }
  })();

  let walkEnded = false; // the note was saved: the walk's own copy of the answers goes
  let discarded = false; // saved answers were unreadable and have been removed

  function storeAnswers(answers) {
    if (!storage || !answers) return;
    if (!practice && keep && keep.checked) storage.setItem(ANSWERS_KEY, JSON.stringify(answers));
    if (!walkEnded && Object.keys(answers).length) storage.setItem(walkKey, JSON.stringify(answers));
    else storage.removeItem(walkKey);
  }

  function endWalk() {
    walkEnded = true;
    if (storage) storage.removeItem(walkKey);
  }

  function forget() {
    if (!storage) return;
    storage.removeItem(walkKey);
    if (practice) return;
    storage.removeItem(ANSWERS_KEY);
    storage.removeItem(KEEP_KEY);
  }

  // Saved answers are read back only if they have the shape answers have (question id -> text,
  // list of texts, or one level of named texts) and a sane size; anything else, tampered with or
  // left by another version, is removed and the walk starts afresh, with a word to say so.
  function readSaved(key) {
    const raw = storage.getItem(key);
    if (raw === null) return null;
    let value = null;
    try {
      value = raw.length <= MAX_SAVED_CHARS ? JSON.parse(raw) : null;
    } catch {
      value = null;
    }
    if (isAnswers(value) && Object.keys(value).length) return value;
    storage.removeItem(key);
    discarded = true;
    return null;
  }

  if (storage && !restoring) restoring = readSaved(walkKey);

  if (keep) {
    if (!storage) {
      keep.disabled = true;
      const hint = document.getElementById("aid-keep-hint");
      if (hint) hint.textContent = "This browser does not allow the page to keep answers, so they are kept only while the page is open.";
    } else if (!practice && storage.getItem(KEEP_KEY) === "1") {
      keep.checked = true;
      const saved = readSaved(ANSWERS_KEY);
      if (saved) restoring = saved;
    }
    keep.addEventListener("change", () => {
      walkEnded = false;
      if (!storage) return;
      if (keep.checked) {
        storage.setItem(KEEP_KEY, "1");
        storeAnswers((last && last.answers) || {});
        say("Your answers will be kept in this tab until you close it or choose Start again.");
      } else {
        forget();
        say("Your answers are no longer kept in this tab.");
      }
    });
  }

  // --- talking to the worker -----------------------------------------------------------

  // `quiet`: the page already shows what the engine will answer (a pre-rendered practice start),
  // so the answer is recorded but the step is not redrawn: no lost ticks, no jump in focus.
  let starting = null; // true while the quiet practice start is in flight; then an answer given meanwhile
  async function send(request, { quiet = false } = {}) {
    if (!ready) {
      queued = request;
      say(request.type === "submit"
        ? "Your answer is saved; the aid is still loading."
        : "The aid is still loading; it will carry on as soon as it is ready.", "loading");
      return;
    }
    if (inFlight) {
      // One request at a time: a double click is not two answers. But an answer given while the
      // engine takes over a pre-rendered practice start is kept and sent next.
      if (starting && request.type === "submit") starting = request;
      fromHistory = false;
      return;
    }
    inFlight = true;
    if (quiet) starting = true;
    step.setAttribute("aria-busy", "true");
    const busy = setTimeout(() => say("Still working on your answer…", "loading"), BUSY_MS);
    let response = null;
    try {
      response = await engine.request(request);
    } catch (error) {
      say(`The aid could not do that: ${error.detail || error.message}`, "error");
    } finally {
      clearTimeout(busy);
      inFlight = false;
      step.removeAttribute("aria-busy");
    }
    if (!response) { fromHistory = false; starting = null; return; }
    if (root.dataset.state === "failed" && ready) recover();
    if (quiet && response.view === "step") {
      const next = starting;
      starting = null;
      if (response.title) document.title = response.title;
      last = response;
      storeAnswers(response.answers);
      remember(response);
      say("The decision aid is ready.");
      if (next && next !== true) send(next);
      return;
    }
    starting = null;
    render(response);
    afterRender(response);
  }

  function onReady(payload) {
    ready = true;
    const late = root.dataset.state === "failed";
    if (late) recover();
    root.dataset.state = "ready";
    root.dataset.bootMs = String(payload && payload.ms);
    root.dataset.bootFrom = String(payload && payload.from);
    console.info(`decision aid: engine ready in ${payload && payload.ms} ms`);
    if (practice) {
      // The engine starts the scenario (its walk so far, after a reload); an answer given to the
      // pre-rendered first question before now is then applied, as in the aid.
      const answers = restoring || undefined;
      restoring = null;
      const early = queued;
      queued = null;
      send({ type: "start", practice, answers }, { quiet: practiceShown && !answers && !early });
      if (early && early.type === "submit") afterRender.next = (response) => { if (response.node === early.node) send(early); };
      return;
    }
    if (restoring) {
      const answers = restoring;
      restoring = null;
      const early = queued;
      queued = null;
      const entry = history.state && history.state[HISTORY_KEY];
      if (entry) {
        // A reload, or a return from another page: the same view as before, answers intact.
        fromHistory = true;
        send({ type: "show", view: entry.view, node: entry.node, answers });
        if (early) afterRender.next = (response) => { if (response.node === early.node) send(early); };
        return;
      }
      send({ type: "start", answers });
      // An early answer to the first question is applied only if the restored walk is still there.
      if (early) afterRender.next = (response) => { if (response.node === early.node) send(early); };
      return;
    }
    if (queued) {
      const request = queued;
      queued = null;
      send(request);
      return;
    }
    if (discarded) { say(`The decision aid is ready. ${DISCARDED}`, "error"); return; }
    say(late ? "The decision aid has loaded after all and is ready." : "The decision aid is ready.", late ? "loading" : "announce");
  }

  function afterRender(response) {
    const next = afterRender.next;
    afterRender.next = null;
    if (next) next(response);
  }

  // --- the browser's history: one entry per view ----------------------------------------

  let fromHistory = false; // this render answers a Back or Forward: the entry exists already
  let depth = (history.state && history.state[HISTORY_KEY] && history.state[HISTORY_KEY].depth) || 0;

  function remember(response) {
    const here = history.state && history.state[HISTORY_KEY];
    const entry = { view: response.view, node: response.node };
    if (fromHistory) {
      fromHistory = false;
      if (here) depth = here.depth;
      return;
    }
    if (!here) {
      history.replaceState({ ...(history.state || {}), [HISTORY_KEY]: { ...entry, depth } }, "");
    } else if (here.view !== entry.view || here.node !== entry.node) {
      depth = here.depth + 1;
      history.pushState({ [HISTORY_KEY]: { ...entry, depth } }, "");
    }
  }

  window.addEventListener("popstate", (event) => {
    const entry = event.state && event.state[HISTORY_KEY];
    if (!entry || !ready) return; // an in-page anchor (the error summary's links), or not ready yet
    fromHistory = true;
    send({ type: "show", view: entry.view, node: entry.node });
  });

  function render(response) {
    step.innerHTML = response.html;
    if (response.title) document.title = response.title;
    last = response;
    if (response.view === "result") noteSaved = !document.getElementById(NOTE_TARGET);
    storeAnswers(response.answers);
    remember(response);
    const target = response.focus && document.getElementById(response.focus);
    if (target) {
      if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    }
    if (response.announce) say(response.announce);
  }

  // --- the page's own actions: submit, buttons, copy, download, print ----------------------

  // Actions the page does alone; every other data-action is a request to the engine
  // (PROTOCOL.md). A test checks that every data-action the Python views emit is one or the other.
  const LOCAL_ACTIONS = { copy, download, print };

  function serialise(form, submitter) {
    let data;
    try {
      data = new FormData(form, submitter || undefined);
    } catch {
      data = new FormData(form);
    }
    const values = {};
    for (const [name, value] of data) (values[name] ||= []).push(String(value));
    return values;
  }

  step.addEventListener("submit", (event) => {
    const form = event.target.closest("form.aid-form");
    if (!form) return;
    event.preventDefault();
    send({
      type: "submit",
      node: form.dataset.node,
      values: serialise(form, event.submitter),
      mode: form.dataset.mode || "normal",
    });
  });

  // A case record chosen by the user is read here, in the tab, and handed to the engine, which
  // checks it (office, flow version, shape) and says what is wrong if it cannot be used.
  if (recordInput) {
    recordInput.addEventListener("change", async () => {
      const file = recordInput.files && recordInput.files[0];
      if (!file) return;
      let text;
      try {
        text = await file.text();
      } catch {
        say("The file could not be read. Choose the case record again.", "error");
        return;
      }
      recordInput.value = "";
      send({ type: "start", record: text });
    });
  }

  step.addEventListener("click", (event) => {
    const control = event.target.closest("[data-action]");
    if (!control || !step.contains(control)) return;
    const action = control.dataset.action;
    event.preventDefault();
    if (Object.prototype.hasOwnProperty.call(LOCAL_ACTIONS, action)) return LOCAL_ACTIONS[action](control);
    if (action === "back" && depth > 0 && last && last.view !== "confirm") {
      history.back(); // the previous view is the previous entry: Back and the browser agree
      return;
    }
    if (action === "restart") {
      forget();
      walkEnded = false;
      if (keep) keep.checked = false;
    }
    const request = { type: action };
    if (control.dataset.node) request.node = control.dataset.node;
    send(request);
  });

  function documentFor(control) {
    const pre = document.getElementById(control.dataset.target || "");
    // The document's name is its section's heading (the region around the text adds ", text").
    const label = (pre && pre.closest("section")?.querySelector("h2")?.textContent.trim())
      || control.closest("section")?.querySelector("h2")?.textContent.trim()
      || "The text";
    return { pre, label };
  }

  function feedback(control, text) {
    // Visible next to the buttons, and announced in the live region.
    const group = control.parentElement;
    let note = group.querySelector(":scope > .aid-local-status");
    if (!note) {
      note = document.createElement("p");
      note.className = "aid-local-status";
      group.appendChild(note);
    }
    note.textContent = text;
    say(text);
  }

  async function copy(control) {
    const { pre, label } = documentFor(control);
    if (!pre) return;
    try {
      await navigator.clipboard.writeText(pre.textContent);
      if (pre.id === NOTE_TARGET) { noteSaved = true; endWalk(); }
      feedback(control, `${label} copied. You can paste it into the case file.`);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      feedback(control, `${label} is selected. Press Ctrl+C to copy (Cmd+C on a Mac).`);
    }
  }

  // A copy made by hand (Ctrl+C after the fallback selected the note) counts as saved.
  document.addEventListener("copy", () => {
    const note = document.getElementById(NOTE_TARGET);
    const selection = window.getSelection();
    if (note && selection && selection.rangeCount && note.contains(selection.getRangeAt(0).commonAncestorContainer)) {
      noteSaved = true;
      endWalk();
    }
  });

  function download(control) {
    const { pre, label } = documentFor(control);
    if (!pre) return;
    let blob;
    if (control.dataset.format === "docx") {
      // The Word file is made by the engine (decision_aid/office_files.py) and sent as base64.
      const doc = last && (last.documents || []).find((d) => d.id === pre.id);
      if (!doc || !doc.docx) return;
      const bytes = Uint8Array.from(atob(doc.docx), (ch) => ch.charCodeAt(0));
      blob = new Blob([bytes], { type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    } else {
      blob = new Blob([pre.textContent], { type: `${control.dataset.type || "text/plain"};charset=utf-8` });
    }
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = control.dataset.filename || "decision-aid.txt";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(() => URL.revokeObjectURL(url), 60000);
    if (pre.id === NOTE_TARGET) { noteSaved = true; endWalk(); }
    feedback(control, `${label} downloaded as ${link.download}.`);
  }

  function print(control) {
    // Only the chosen document prints (see @media print in aid.css); Ctrl+P prints them all.
    const pre = document.getElementById(control.dataset.target || "");
    const section = pre && pre.closest(".aid-document");
    if (section) {
      section.classList.add("aid-print-target");
      document.body.classList.add("aid-printing");
    }
    const done = () => {
      document.body.classList.remove("aid-printing");
      if (section) section.classList.remove("aid-print-target");
    };
    window.addEventListener("afterprint", done, { once: true });
    window.print();
  }

  // "None of these" (data-exclusive) and the other boxes of a question exclude each other, as
  // on GOV.UK; the engine still validates the combination.
  step.addEventListener("change", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox" || !box.checked || !box.form) return;
    const exclusive = box.dataset.exclusive === "true";
    for (const other of box.form.querySelectorAll(`input[type=checkbox][name="${CSS.escape(box.name)}"]`)) {
      if (other !== box && (exclusive || other.dataset.exclusive === "true")) other.checked = false;
    }
  });

  // Leaving warns when something would be lost: a record note not yet saved, or a walk in
  // progress when the tab may be closing. A link to another page of the handbook does not warn:
  // the walk is kept in the tab and comes back with the Back button. Practice never warns.
  let leavingByLink = false;
  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    leavingByLink = Boolean(link && link.origin === location.origin && link.pathname !== location.pathname
      && !link.target && !link.hasAttribute("download") && !event.ctrlKey && !event.metaKey && !event.shiftKey);
    // A click's navigation asks "before unload" at once; if none followed, a later close must warn.
    if (leavingByLink) setTimeout(() => { leavingByLink = false; }, 0);
  }, true);

  window.addEventListener("beforeunload", (event) => {
    const unsavedNote = last && last.view === "result" && !noteSaved;
    const midWalk = !practice && !leavingByLink && last && last.view !== "result"
      && last.answers && Object.keys(last.answers).length > 0;
    if (unsavedNote || midWalk) {
      event.preventDefault();
      event.returnValue = ""; // older browsers need a value to ask
    }
  });

  // --- start the engine -----------------------------------------------------------------

  if (root.dataset.state === "failed") return; // aid-boot.js found the browser unable
  if (discarded) say(DISCARDED, "error");
  else if (restoring) say("Loading the decision aid… your saved answers will come back when it is ready.", "loading");
  else if (queued) say("Your answer is saved; the aid is still loading.", "loading");

  // aid-boot.js normally started the worker already, from the page's head.
  const early = boot && boot.worker;
  if (boot) boot.worker = null;
  let worker = null;
  let moduleWorkers = false;
  if (early && early.worker) {
    worker = early.worker;
    moduleWorkers = true;
  } else {
    try {
      worker = new Worker(new URL("./worker.js", import.meta.url), {
        get type() { moduleWorkers = true; return "module"; },
        name: "decision-aid",
      });
    } catch (error) {
      fail("noworker", String(error && error.message || error));
      return;
    }
  }
  if (!moduleWorkers) {
    worker.terminate();
    fail("noworker");
    return;
  }
  engine = new EngineClient(worker, {
    replyTimeoutMs: REPLY_TIMEOUT_MS,
    onSlow: (reason) => fail(reason),
    onProgress: (payload) => {
      const words = STAGES[payload && payload.stage];
      if (!words || ready) return;
      // The stage is added to what the page's state calls for; it never replaces it.
      if (discarded) say(`${DISCARDED} ${words}`, "error");
      else if (restoring) say(`${words} Your saved answers will come back when it is ready.`, "loading");
      else if (queued) say(`${words} Your answer is saved.`, "loading");
      else say(`${words} You can answer the first question now.`, "loading");
    },
  });
  const onError = (event) => {
    event.preventDefault();
    // Settles the start, so the stall watchdog stops and the panel is shown once, for this reason.
    engine.settleStart(false, new EngineError("load", event.message || "the worker script could not be loaded"));
  };
  worker.addEventListener("message", (event) => engine.receive(event));
  worker.addEventListener("error", onError);
  if (early && early.worker) {
    // Hand over: what the worker said before this script ran is handled now, in order.
    worker.removeEventListener("message", early.onMessage);
    worker.removeEventListener("error", early.onError);
    for (const event of early.messages) engine.receive(event);
    for (const event of early.errors) onError(event);
  }
  engine.ready.then(onReady, (error) => fail(error.reason, error.detail));
  engine.init({ office, base }, STALL_MS);
}
