/**
 * The shell blocks of README.md and docs/*.md, with how each is tested. Every ```sh block carries
 * an HTML comment just above it (invisible on the rendered page):
 *
 *   <!-- doc-test: project -->              run literally, line by line, in a fresh user project
 *                                           (test/e2e/package.e2e.test.ts)
 *   <!-- doc-test: reliability <why> -->    run by the reliability suite (checked to be there)
 *   <!-- doc-test: not-run <why> -->        cannot run here; the reason is required
 *   <!-- doc-test: program <file> -->       a TypeScript block written to <file> of the project
 *
 * The README's first block (`npm ci && npm run demo`, `npm ci && npm test`) has no comment, so
 * the README starts with exactly those two commands: `.ci/run` runs them.
 */
import * as fs from "fs";
import * as path from "path";

export const repoRoot = path.resolve(__dirname, "..", "..");

export type DocTestKind = "project" | "reliability" | "not-run" | "program" | "ci";

export interface DocBlock {
    /** Path relative to the repository, e.g. `docs/emulator.md`. */
    file: string;
    /** 1-based line of the opening fence. */
    line: number;
    lang: string;
    kind: DocTestKind | undefined;
    /** The rest of the comment: a reason, or the file name of a program. */
    note: string;
    /** The block's lines, as written. */
    lines: string[];
}

/** The documentation files whose commands a user types, in the order a reader meets them. */
export const DOC_FILES = [
    "README.md",
    ...fs
        .readdirSync(path.join(repoRoot, "docs"))
        .filter((f) => f.endsWith(".md"))
        .sort()
        .map((f) => `docs/${f}`),
];

/** Every fenced block of `file` with its doc-test comment, if any. */
export function blocksOf(file: string): DocBlock[] {
    const text = fs.readFileSync(path.join(repoRoot, file), "utf8").split("\n");
    const blocks: DocBlock[] = [];
    let pending: { kind: DocTestKind; note: string } | undefined;
    for (let i = 0; i < text.length; i++) {
        const comment = /^<!-- doc-test: (\S+)\s*(.*?)\s*-->$/.exec(text[i]);
        if (comment) {
            pending = { kind: comment[1] as DocTestKind, note: comment[2] };
            continue;
        }
        const fence = /^```(\S*)\s*$/.exec(text[i]);
        if (!fence) {
            if (text[i].trim() !== "") pending = undefined;
            continue;
        }
        const start = i;
        const lines: string[] = [];
        for (i++; i < text.length && !/^```\s*$/.test(text[i]); i++) lines.push(text[i]);
        blocks.push({ file, line: start + 1, lang: fence[1], kind: pending?.kind, note: pending?.note ?? "", lines });
        pending = undefined;
    }
    if (file === "README.md") {
        const first = blocks.find((b) => b.lang === "sh");
        if (first && first.kind === undefined) first.kind = "ci";
    }
    return blocks;
}

/** The commands of a shell block: its non-empty lines that are not only a comment. */
export function commandsOf(block: DocBlock): string[] {
    return block.lines.filter((l) => l.trim() !== "" && !/^\s*#/.test(l));
}
