/**
 * Every shell block of README.md and docs/*.md says how it is tested (see test/e2e/docBlocks.ts),
 * and the claims hold: the `project` blocks are run by test/e2e/package.e2e.test.ts, `.ci/run`
 * runs the README's first block, the reliability suite runs the recovery steps, and a block that
 * cannot run says why. A new block without a comment fails here.
 */
import * as fs from "fs";
import * as path from "path";
import { blocksOf, commandsOf, DOC_FILES, repoRoot } from "../e2e/docBlocks";

const all = DOC_FILES.flatMap(blocksOf);
const shell = all.filter((b) => b.lang === "sh");
const where = (b: { file: string; line: number }) => `${b.file}:${b.line}`;

it("every shell block says how it is tested", () => {
    expect(shell.length).toBeGreaterThanOrEqual(10);
    expect(shell.filter((b) => b.kind === undefined).map(where)).toEqual([]);
    expect(shell.filter((b) => !["project", "reliability", "not-run", "ci"].includes(b.kind!)).map(where)).toEqual([]);
});

it("the README starts with exactly the two set-up commands, and .ci/run runs them", () => {
    const readme = fs.readFileSync(path.join(repoRoot, "README.md"), "utf8");
    expect(readme).toMatch(/^# pulumi-clickhouse-cloud\n\n```sh\nnpm ci && npm run demo\nnpm ci && npm test\n```\n/);
    const ci = fs
        .readFileSync(path.join(repoRoot, ".ci", "run"), "utf8")
        .split("\n")
        .map((l) => l.trim());
    for (const block of shell.filter((b) => b.kind === "ci")) {
        for (const command of commandsOf(block).flatMap((c) => c.split("&&").map((x) => x.trim()))) {
            expect({
                block: where(block),
                command,
                inCi: ci.some((l) => l === command || l.startsWith(`${command} `) || l.endsWith(` ${command}`)),
            }).toMatchObject({ inCi: true });
        }
    }
});

it("blocks that are not run give a reason; the reliability suite runs the recovery steps", () => {
    for (const b of shell.filter((x) => x.kind === "not-run" || x.kind === "reliability"))
        expect({ block: where(b), note: b.note.length > 10 }).toEqual({ block: where(b), note: true });
    const reliability = ["cases.ts", "ownership.ts"]
        .map((f) => fs.readFileSync(path.join(repoRoot, "test", "reliability", f), "utf8"))
        .join("\n");
    for (const block of shell.filter((b) => b.kind === "reliability")) {
        for (const command of commandsOf(block)) {
            const words = command
                .replace(/\s+#.*$/, "")
                .split(/\s+/)
                .slice(1); // after "pulumi"
            const quoted = words.map((w) => `"${w}"`);
            expect({ command, run: quoted.every((w) => reliability.includes(w)) }).toEqual({ command, run: true });
        }
    }
});

it("the program block the project tests use is there", () => {
    const programs = all.filter((b) => b.kind === "program");
    expect(programs.map((b) => `${b.file} ${b.note} ${b.lang}`)).toEqual(["README.md index.ts ts"]);
});
