// The browser's Python as bytecode, made at build time by Pyodide itself (bytecode_in_pyodide.py):
//
//   node build_scripts/bytecode_in_pyodide.mjs PACKAGE_ZIP OUT_LIBRARY OUT_ENGINE
//
// PACKAGE_ZIP is the site's decision_aid.zip, unpacked exactly as the aid's worker unpacks it.
// Called by build_scripts/sitebuild/bytecode.py, which caches the results. Exit 0, or 1 with the
// reason on stderr (Python's traceback if the engine failed).

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PYODIDE = path.join(HERE, "..", "node_modules", "pyodide");
const HOME = "/home/pyodide"; // as worker.js: Pyodide's working directory, first on sys.path

// What Python prints (the bridge prints a traceback for each bad request it is sent): shown only
// if the run fails.
const said = [];

async function main([packageZip, outZip, outEngine]) {
  if (!outEngine) throw new Error("usage: node build_scripts/bytecode_in_pyodide.mjs PACKAGE_ZIP OUT_LIBRARY OUT_ENGINE");
  const { loadPyodide } = await import(pathToFileURL(path.join(PYODIDE, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({
    args: ["-X", "no_debug_ranges"], // the compiled library carries no column tables
    _makeSnapshot: true, // as the worker on a first visit
    env: { PYTHONHASHSEED: "0" }, // the same bytes from the same inputs, whatever the run
    stdout: (line) => said.push(line),
    stderr: (line) => said.push(line),
  });
  // As worker.js boots: unpack the engine, import it, copy the memory.
  const packageBytes = new Uint8Array(fs.readFileSync(packageZip));
  pyodide.unpackArchive(packageBytes, "zip", { extractDir: HOME });
  pyodide.runPython("from decision_aid import web as _aid_web\n");
  pyodide.makeMemorySnapshot();
  pyodide.FS.writeFile("/tmp/stock.zip", new Uint8Array(fs.readFileSync(path.join(PYODIDE, "python_stdlib.zip"))));
  pyodide.globals.set("STOCK_ZIP", "/tmp/stock.zip");
  pyodide.FS.writeFile("/tmp/engine.zip", packageBytes);
  pyodide.globals.set("ENGINE_ZIP", "/tmp/engine.zip");
  pyodide.globals.set("OUT_ZIP", "/tmp/out.zip");
  pyodide.globals.set("OUT_ENGINE", "/tmp/out-engine.zip");
  pyodide.runPython(fs.readFileSync(path.join(HERE, "bytecode_in_pyodide.py"), "utf8"), { filename: "bytecode_in_pyodide.py" });
  fs.writeFileSync(outZip, pyodide.FS.readFile("/tmp/out.zip"));
  fs.writeFileSync(outEngine, pyodide.FS.readFile("/tmp/out-engine.zip"));
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  // A PythonError's message is the traceback; never print Pyodide's minified source.
  process.stderr.write(said.slice(-40).join("\n") + "\n");
  process.stderr.write(`bytecode_in_pyodide: ${String(error?.message ?? error).slice(-4000)}\n`);
  process.exitCode = 1;
}
