/**
 * provider/api/openapi.gen.ts is generated from the official OpenAPI document and committed: this
 * regenerates it and fails on any difference, so neither a hand edit nor a newer document can
 * drift silently. Skipped, with the reason printed, where the document is not beside the
 * repository (shared/reference/, as CI has it).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The generator's dependencies are ES modules, which Jest's CommonJS runtime cannot load: it
// runs in a plain node process, as `npm run gen:api` does.
const script = path.join(__dirname, "..", "..", "..", "scripts", "gen-api-types.js");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const gen = require(script) as { specPath(): string; OUTPUT: string };

const present = fs.existsSync(gen.specPath());
if (!present) console.log(`openapi.gen drift test skipped: the OpenAPI document is not at ${gen.specPath()} (set CLICKHOUSE_OPENAPI_PATH)`);
const itIfSpec = present ? it : it.skip;

itIfSpec(
    "the committed openapi.gen.ts is exactly what the generator makes from the document",
    async () => {
        expect(fs.readFileSync(gen.OUTPUT, "utf8").length).toBeGreaterThan(100_000);
        const check = spawnSync(process.execPath, [script, "--check"], { encoding: "utf8" });
        expect([check.status, check.stderr.trim()]).toEqual([0, ""]);
    },
    60_000,
);

itIfSpec("every schema of the document has its type", async () => {
    const doc = JSON.parse(fs.readFileSync(gen.specPath(), "utf8")) as { components: { schemas: Record<string, unknown> } };
    const committed = fs.readFileSync(gen.OUTPUT, "utf8");
    const missing = Object.keys(doc.components.schemas).filter((name) => !new RegExp(`^\\s+"?${name}"?: `, "m").test(committed));
    expect(missing).toEqual([]);
});
