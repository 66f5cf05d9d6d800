// Run the decision aid inside the pinned Pyodide runtime under Node, as `python -m decision_aid`
// would run it in CPython.
//
//   node tools/pyodide_run.mjs [--package DIR] [--file LOCAL=VIRTUAL ...] -- ARGS...
//   node tools/pyodide_run.mjs [--package DIR] [--file ...] --eval CODE
//
// --stdlib ZIP boots with that standard library instead of Pyodide's own (the site's trimmed,
// compiled one: tests/test_pyodide_bytecode.py).
//
// The browser runs the package in Pyodide, not CPython, so this is the cheapest honest check that
// the same code behaves the same there. Only Pyodide's core is loaded (no packages, no micropip),
// so it works offline from node_modules/pyodide alone.
//
// Stdout carries only what Python writes (plus, with --eval, the repr of the final expression's
// value), so callers can compare it byte-for-byte with CPython's output. Diagnostics go to
// stderr; PYODIDE_RUN_VERBOSE=1 adds the interpreter version and the boot time there.
// The exit code is Python's: main()'s return value or SystemExit's code; an escaping exception
// prints its traceback on stderr and exits 1; a usage error of this script exits 2.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..");
const PYODIDE_MJS = path.join(REPO, "node_modules", "pyodide", "pyodide.mjs");
// Pyodide's working directory, which is sys.path[0] (''): a package placed here imports exactly as
// it does under `python -m` run from the repository root.
const VIRTUAL_HOME = "/home/pyodide";
const PACKAGE_NAME = "decision_aid";
const VERBOSE = Boolean(process.env.PYODIDE_RUN_VERBOSE);

const USAGE =
  "usage: node tools/pyodide_run.mjs [--package DIR] [--file LOCAL=VIRTUAL ...] [--stdlib ZIP] " +
  "(-- ARGS... | --eval CODE)";

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { packageDir: path.join(REPO, PACKAGE_NAME), files: [], evalCode: null, args: [], stdlib: null };
  let sawSeparator = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new UsageError(`${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--") {
      opts.args = argv.slice(i + 1);
      sawSeparator = true;
      break;
    } else if (arg === "--package") {
      opts.packageDir = path.resolve(value());
    } else if (arg === "--file") {
      const spec = value();
      const eq = spec.indexOf("=");
      // Without "=", the file keeps its (relative) path, so `--file examples/x.json` just works.
      const local = eq < 0 ? spec : spec.slice(0, eq);
      const virtual = eq < 0 ? spec : spec.slice(eq + 1);
      if (!local || !virtual) throw new UsageError(`bad --file ${JSON.stringify(spec)}`);
      opts.files.push({
        local: path.resolve(local),
        virtual: path.posix.resolve(VIRTUAL_HOME, virtual),
      });
    } else if (arg === "--eval") {
      opts.evalCode = value();
    } else if (arg === "--stdlib") {
      opts.stdlib = path.resolve(value());
    } else if (arg === "-h" || arg === "--help") {
      process.stdout.write(USAGE + "\n");
      process.exit(0);
    } else {
      throw new UsageError(
        `unexpected argument ${JSON.stringify(arg)} (put the package's arguments after --)`,
      );
    }
  }
  if (opts.evalCode !== null && opts.args.length > 0) {
    throw new UsageError("--eval takes no package arguments");
  }
  if (opts.evalCode === null && !sawSeparator) {
    throw new UsageError("missing -- before the package's arguments");
  }
  if (!fs.statSync(opts.packageDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`package directory not found: ${opts.packageDir}`);
  }
  // It is imported as decision_aid whatever its name, so another name is almost surely its parent
  // directory given by mistake, which would otherwise be copied wholesale into memory.
  if (path.basename(opts.packageDir) !== PACKAGE_NAME) {
    throw new UsageError(
      `--package must be a directory named ${PACKAGE_NAME}, not ${opts.packageDir}`,
    );
  }
  if (opts.stdlib && !fs.statSync(opts.stdlib, { throwIfNoEntry: false })?.isFile()) {
    throw new UsageError(`--stdlib not found: ${opts.stdlib}`);
  }
  for (const { local } of opts.files) {
    if (!fs.statSync(local, { throwIfNoEntry: false })?.isFile()) {
      throw new UsageError(`--file not found: ${local}`);
    }
  }
  return opts;
}

// Python's stdio is byte-oriented; Pyodide's "batched" handler splits on newlines and drops them
// (a trailing partial line becomes indistinguishable from a full one), so a byte-exact comparison
// needs the buffer-level `write` handler instead. It is still batched: Python's TextIOWrapper hands
// over whole buffers, not single characters.
function forwardTo(stream) {
  return {
    isatty: false,
    // The buffer is a view into the WebAssembly heap that Pyodide reuses, so copy before queueing.
    write: (buffer) => {
      stream.write(Buffer.from(buffer));
      return buffer.length;
    },
  };
}

function copyTree(FS, localDir, virtualDir) {
  FS.mkdirTree(virtualDir);
  for (const entry of fs.readdirSync(localDir, { withFileTypes: true })) {
    // CPython's bytecode is useless to Pyodide, and stale bytecode could even mislead it.
    if (entry.name === "__pycache__") continue;
    const local = path.join(localDir, entry.name);
    const virtual = path.posix.join(virtualDir, entry.name);
    if (entry.isDirectory()) {
      copyTree(FS, local, virtual);
    } else if (entry.isFile()) {
      FS.writeFile(virtual, fs.readFileSync(local));
    }
  }
}

// Runs inside Pyodide. Everything that could go wrong on the Python side is turned into an exit
// code here, so JavaScript only ever sees an int (or a bug in this wrapper).
const PY_RUNNER = String.raw`
def _pyodide_run(package_dir, argv, eval_code):
    import sys, traceback

    def exit_code(code):
        # The same mapping CPython applies to SystemExit.code at interpreter exit.
        if code is None:
            return 0
        if isinstance(code, int):
            return code
        print(code, file=sys.stderr)
        return 1

    if "" not in sys.path and package_dir.rpartition("/")[0] not in sys.path:
        sys.path.insert(0, package_dir.rpartition("/")[0])
    # The files were written after the import system scanned the directory at boot. Each path
    # entry's finder forgets its listing (importlib.invalidate_caches() would also import
    # importlib.metadata, which the browser's trimmed library leaves out).
    for finder in list(sys.path_importer_cache.values()):
        if finder is not None and hasattr(finder, "invalidate_caches"):
            finder.invalidate_caches()
    sys.argv = [package_dir + "/__main__.py", *argv]
    try:
        if eval_code is None:
            from decision_aid.cli import main
            code = exit_code(main(list(argv)))
        else:
            from pyodide.code import eval_code as run
            result = run(eval_code, {"__name__": "__main__"})
            if result is not None:
                print(repr(result))
            code = 0
    except SystemExit as exc:
        code = exit_code(exc.code)
    except BaseException as exc:
        # Start the traceback below this wrapper, where CPython's would start, unless the wrapper's
        # own frame is all there is (e.g. the import failed).
        tb = exc.__traceback__
        traceback.print_exception(type(exc), exc, tb.tb_next or tb)
        code = 1
    finally:
        # The interpreter is never finalised, so nothing else would flush these.
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
    return code
`;

function drain(stream) {
  return new Promise((resolve) => stream.write("", resolve));
}

async function finish(code) {
  // process.exit() does not wait for queued writes, which would truncate output piped to a test.
  await Promise.all([drain(process.stdout), drain(process.stderr)]);
  process.exit(code);
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${USAGE}\npyodide_run: error: ${err.message}\n`);
    return 2;
  }
  if (!fs.existsSync(PYODIDE_MJS)) {
    process.stderr.write(`pyodide_run: ${PYODIDE_MJS} is missing; run \`npm ci\` in ${REPO}\n`);
    return 1;
  }

  const started = performance.now();
  const { loadPyodide } = await import(pathToFileURL(PYODIDE_MJS).href);
  // Route even boot-time output away from stdout, which must stay Python's alone.
  const pyodide = await loadPyodide({
    stdout: (line) => process.stderr.write(line + "\n"),
    stderr: (line) => process.stderr.write(line + "\n"),
    ...(opts.stdlib ? { stdLibURL: opts.stdlib } : {}),
  });
  pyodide.setStdout(forwardTo(process.stdout));
  pyodide.setStderr(forwardTo(process.stderr));
  if (VERBOSE) {
    const version = pyodide.runPython("import sys; sys.version");
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    process.stderr.write(
      `pyodide_run: Pyodide ${pyodide.version}, Python ${version}, booted in ${seconds} s\n`,
    );
  }

  const packageTarget = path.posix.join(VIRTUAL_HOME, PACKAGE_NAME);
  copyTree(pyodide.FS, opts.packageDir, packageTarget);
  for (const { local, virtual } of opts.files) {
    pyodide.FS.mkdirTree(path.posix.dirname(virtual));
    pyodide.FS.writeFile(virtual, fs.readFileSync(local));
  }

  pyodide.runPython(PY_RUNNER);
  const run = pyodide.globals.get("_pyodide_run");
  const argv = pyodide.toPy(opts.args);
  try {
    // JS undefined, not null, becomes Python None; a huge Python int would arrive as a BigInt.
    return Number(run(packageTarget, argv, opts.evalCode ?? undefined));
  } finally {
    argv.destroy();
    run.destroy();
  }
}

let code;
try {
  code = await main();
} catch (err) {
  // A PythonError's message already is the formatted traceback.
  process.stderr.write(`${err?.message ?? err}\n`);
  code = 1;
}
await finish(code);
