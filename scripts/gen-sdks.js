#!/usr/bin/env node
// Generates the SDKs of the plugin face (Node.js, Python, Go) from provider/plugin/schema.json with
// tools/pulumi-gen-sdk (the codegen of github.com/pulumi/pulumi/pkg/v3, so no language host is
// needed), into sdk/<language> (gitignored: generated, never committed). The Go SDK is then made a
// buildable module: `go mod tidy` writes its go.sum (it downloads the Pulumi Go SDK the first time).
//
// Needs Go. Usage: node scripts/gen-sdks.js [--out <dir>] [language...]   (default: nodejs python go)
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const LANGUAGES = ["nodejs", "python", "go"];
const SCHEMA = path.join(root, "provider", "plugin", "schema.json");
const TOOL = path.join(root, "tools", "pulumi-gen-sdk");

function run(cmd, args, cwd) {
    const r = spawnSync(cmd, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    if (r.error) throw new Error(`gen-sdks: ${cmd} ${args.join(" ")}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`gen-sdks: ${cmd} ${args.join(" ")} (in ${path.relative(root, cwd) || "."}) exited ${r.status}`);
}

/** Generates `languages` into `out` (each into out/<language>, emptied first). */
function generate({ out = path.join(root, "sdk"), languages = LANGUAGES } = {}) {
    for (const lang of languages) {
        if (!LANGUAGES.includes(lang)) throw new Error(`gen-sdks: unknown language ${lang} (one of ${LANGUAGES.join(", ")})`);
        fs.rmSync(path.join(out, lang), { recursive: true, force: true });
    }
    run("go", ["run", ".", SCHEMA, path.resolve(out), ...languages], TOOL);
    if (languages.includes("go")) run("go", ["mod", "tidy"], path.join(out, "go"));
    return out;
}

if (require.main === module) {
    const args = process.argv.slice(2);
    const at = args.indexOf("--out");
    const out = at >= 0 ? path.resolve(args.splice(at, 2)[1]) : undefined;
    try {
        const dir = generate({ out, languages: args.length ? args : LANGUAGES });
        console.log(`gen-sdks: ${args.length ? args.join(", ") : LANGUAGES.join(", ")} in ${path.relative(process.cwd(), dir) || "."}`);
    } catch (e) {
        console.error(e.message);
        process.exitCode = 1;
    }
}

module.exports = { generate, LANGUAGES };
