// Links this package into its own node_modules, so the repository's root program, examples and
// end-to-end programs import "pulumi-clickhouse-cloud" exactly as a user's project does, and
// the serialized provider shim finds the runtime the same way it does for users.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const link = path.join(root, "node_modules", "pulumi-clickhouse-cloud");
try {
    const current = fs.readlinkSync(link);
    if (path.resolve(path.dirname(link), current) === root) process.exit(0);
    fs.unlinkSync(link);
} catch (err) {
    if (err.code === "EINVAL") throw new Error(`${link} exists and is not a link; remove it and run npm install again`, { cause: err });
}
fs.mkdirSync(path.dirname(link), { recursive: true });
fs.symlinkSync("..", link, "dir");
