/**
 * The fidelity table of docs/emulator.md names, for each behaviour, the test that pins it: every
 * test it names must exist, so the table cannot drift from the suite unnoticed.
 */
import * as fs from "fs";
import * as path from "path";

const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/emulator.md"), "utf8");
const section = doc.slice(doc.indexOf("## Fidelity"), doc.indexOf("## Control API"));
const rows = section.split("\n").filter((l) => /^\| \d+ \|/.test(l));

test("the fidelity table has a row per behaviour, each with a source and at least one test", () => {
    expect(rows.length).toBeGreaterThanOrEqual(50);
    for (const row of rows) {
        const cells = row.split(" | ");
        expect({ row: cells[0], source: cells[3]?.trim().length > 0, pins: /`[\w./-]+\.test\.ts` "/.test(cells[4] ?? "") }).toEqual({
            row: cells[0],
            source: true,
            pins: true,
        });
    }
    console.log(`fidelity table: ${rows.length} rows`);
});

test.each(rows.flatMap((row) => [...row.matchAll(/`([\w./-]+\.test\.ts)` "([^"]+)"/g)].map((m) => [m[1], m[2]] as [string, string])))(
    "%s has a test named %j",
    (file, fragment) => {
        const text = fs.readFileSync(path.resolve(__dirname, "..", file), "utf8");
        expect(text.includes(fragment)).toBe(true);
    },
);
