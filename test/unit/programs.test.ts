/**
 * The root program and every example compile against the package's public types, so a change
 * to an argument cannot silently break what users copy.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

it("the root program and the examples type-check against the published declarations", () => {
    const programs = ["index.ts", ...fs.readdirSync(path.join(root, "examples")).map((d) => `examples/${d}/index.ts`)].filter((p) =>
        fs.existsSync(path.join(root, p)),
    );
    expect(programs.length).toBeGreaterThanOrEqual(4);
    const dir = path.join(root, ".tmp", `programs-${process.pid}`);
    fs.mkdirSync(dir, { recursive: true });
    const config = path.join(dir, "tsconfig.json");
    fs.writeFileSync(
        config,
        JSON.stringify({
            extends: path.join(root, "tsconfig.json"),
            compilerOptions: { noEmit: true, rootDir: root },
            include: programs.map((p) => path.join(root, p)),
        }),
    );
    try {
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], {
            cwd: root,
            encoding: "utf8",
            stdio: "pipe",
        });
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        throw new Error(`type errors in the programs:\n${e.stdout}${e.stderr}`, { cause: err });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
});
