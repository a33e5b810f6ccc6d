#!/usr/bin/env node
// The package.json that `npm pack` and `npm publish` ship has no "scripts".
//
// Why: the repository needs its "prepare" script (it builds dist/ and links the package into its
// own node_modules on `npm ci`, and it is how a git-URL install builds), but in an installed
// package every lifecycle script is a liability: npm lists it among the install scripts a user
// has to approve (allowScripts) and refuses the install under --strict-allow-scripts, though it
// never runs. The other scripts (test, demo, bench) refer to files that are not shipped.
//
//   strip                prepack: keep package.json aside in .tmp/, write it without "scripts"
//   restore-after-pack   postpack: put it back, except during `npm publish`, which reads the
//                        manifest once more after postpack to send it to the registry
//   restore              postpublish, or by hand after an interrupted pack: put it back
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const manifest = path.join(root, "package.json");
const kept = path.join(root, ".tmp", "package.json.before-pack");

function restore() {
    if (!fs.existsSync(kept)) return;
    fs.copyFileSync(kept, manifest);
    fs.rmSync(kept);
}

const command = process.argv[2];
if (command === "strip") {
    restore(); // an earlier pack that never reached postpack
    const text = fs.readFileSync(manifest, "utf8");
    fs.mkdirSync(path.dirname(kept), { recursive: true });
    fs.writeFileSync(kept, text);
    const pkg = JSON.parse(text);
    delete pkg.scripts;
    fs.writeFileSync(manifest, JSON.stringify(pkg, null, 2) + "\n");
} else if (command === "restore-after-pack") {
    if (process.env.npm_command !== "publish") restore();
} else if (command === "restore") {
    restore();
} else {
    console.error("usage: node scripts/pack-manifest.js strip|restore-after-pack|restore");
    process.exitCode = 2;
}
