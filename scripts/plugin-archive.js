#!/usr/bin/env node
// Builds the plugin face's archive for `pulumi plugin install resource clickhouse-cloud <version>
// --file <archive>`: the executable `pulumi-resource-clickhouse-cloud` at the root (a shell
// wrapper that runs Node.js on the bundled plugin), the package's dist/provider and a
// node_modules with its runtime dependencies and @pulumi/pulumi (the dev dependency's version),
// so the installed plugin needs nothing but `node` on PATH (Node.js 22 or newer).
//
// Why: a registry-less install (issue 15). Uses the built dist/ (npm run build); dependencies
// come through npm (its cache first), without install scripts and without bin links (the archive
// holds no symlinks).
//
// Usage: node scripts/plugin-archive.js [<output.tar.gz>]   (prints the archive's path)
const { execFileSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");
const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
const out = path.resolve(process.argv[2] ?? path.join(root, ".tmp", `pulumi-resource-clickhouse-cloud-v${manifest.version}.tar.gz`));
const plugin = path.join(root, "dist", "provider", "plugin", "index.js");
if (!fs.existsSync(plugin)) {
    console.error(`plugin-archive: ${path.relative(root, plugin)} is missing; run \`npm run build\` first`);
    process.exit(1);
}

const stage = fs.mkdtempSync(path.join(os.tmpdir(), "pcc-plugin-"));
try {
    fs.cpSync(path.join(root, "dist", "provider"), path.join(stage, "dist", "provider"), { recursive: true });
    // The package's own manifest (the plugin reads its version by the package's name), with the SDK as a dependency.
    const { scripts: _s, devDependencies, peerDependencies: _p, ...kept } = manifest;
    const staged = { ...kept, dependencies: { ...manifest.dependencies, "@pulumi/pulumi": devDependencies["@pulumi/pulumi"] } };
    fs.writeFileSync(path.join(stage, "package.json"), JSON.stringify(staged, null, 2) + "\n");
    execFileSync(
        "npm",
        ["install", "--omit=dev", "--ignore-scripts", "--no-bin-links", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock"],
        { cwd: stage, stdio: ["ignore", "ignore", "inherit"] },
    );
    fs.writeFileSync(
        path.join(stage, "pulumi-resource-clickhouse-cloud"),
        '#!/bin/sh\n# The plugin face of pulumi-clickhouse-cloud: needs Node.js 22 or newer on PATH.\nexec node "$(dirname "$0")/dist/provider/plugin/index.js" "$@"\n',
        { mode: 0o755 },
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    execFileSync("tar", ["-czf", out, "-C", stage, "."]);
    console.log(out);
} finally {
    fs.rmSync(stage, { recursive: true, force: true });
}
