#!/usr/bin/env node
// Compiles provider/ and emulator/ to dist/ (declarations, and source maps with the sources
// embedded). `--clean` empties dist/ first, so what `npm pack` ships holds no file of a source
// that no longer exists.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
if (process.argv.includes("--clean")) fs.rmSync(path.join(root, "dist"), { recursive: true, force: true });
const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
process.exitCode = result.status ?? 1;
