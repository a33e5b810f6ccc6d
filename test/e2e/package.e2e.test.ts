/**
 * The package as a user gets it: `npm pack` of this repository (in a copy, so the repository's
 * own dist/ is never rebuilt under the other tests), installed from the tarball into a fresh
 * Pulumi TypeScript project outside the repository with the newest @pulumi/pulumi (the one this
 * repository tests with) on the Node.js that runs the tests. Then README.md and docs/*.md are
 * followed literally: every `doc-test: project` block, line by line, in a shell (see
 * docSession.ts); the emulator comes from the package's own `npx clickhouse-cloud-emulator`.
 * Between the files, the harness only creates or removes a stack, as a reader's project has.
 */
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { blocksOf, commandsOf, DocBlock, repoRoot } from "./docBlocks";
import { DocSession } from "./docSession";
import { pulumiCliOrSkip } from "./harness";

const cli = pulumiCliOrSkip("package e2e");
const describeCli = cli && process.env.CLICKHOUSE_LIVE !== "1" ? describe : describe.skip;

const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const sdkVersion: string = JSON.parse(
    fs.readFileSync(path.join(repoRoot, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8"),
).version;
const tarballName = `${pkg.name}-${pkg.version}.tgz`;
const REPO_URL = "https://github.com/pulumi-clickhouse-cloud/pulumi-clickhouse-cloud";

jest.setTimeout(20 * 60_000);

/** The environment of a fresh shell: no npm lifecycle variables, no CLICKHOUSE_*, the Pulumi CLI on PATH, a local backend. */
function userEnv(project: string): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
        if (/^(npm_|INIT_CWD$|CLICKHOUSE_|PULUMI_|JEST_WORKER_ID$|NODE_ENV$)/.test(k)) continue;
        env[k] = v;
    }
    fs.mkdirSync(path.join(project, ".pulumi-state"), { recursive: true }); // the reader's `pulumi login file://…`
    return {
        ...env,
        PATH: [path.dirname(process.execPath), cli!, env.PATH ?? ""].join(path.delimiter),
        PULUMI_BACKEND_URL: `file://${path.join(project, ".pulumi-state")}`,
        PULUMI_CONFIG_PASSPHRASE: "a passphrase of the reader",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
    };
}

/** Copies the repository's working files (tracked and untracked, not ignored) to `dir`, with its node_modules linked. */
function copyRepository(dir: string): void {
    const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: repoRoot, encoding: "utf8" })
        .split("\0")
        .filter(Boolean);
    for (const f of files) {
        const from = path.join(repoRoot, f);
        if (!fs.existsSync(from)) continue; // deleted, not yet committed
        fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
        fs.copyFileSync(from, path.join(dir, f));
    }
    fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
}

describeCli("the packed package in a fresh project, following the docs literally", () => {
    const work = fs.mkdtempSync(path.join(os.tmpdir(), "pcc-package-"));
    const project = path.join(work, "my-clickhouse");
    let packed: { files: { path: string }[] };
    let tarball: string;

    beforeAll(() => {
        const staging = path.join(work, "repository");
        copyRepository(staging);
        const out = execFileSync("npm", ["pack", "--json", "--pack-destination", work], {
            cwd: staging,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
        });
        packed = JSON.parse(out.slice(out.indexOf("[")))[0];
        tarball = path.join(work, tarballName);
        expect(fs.existsSync(tarball)).toBe(true);
        // The copy's package.json is back as it was (the packed one has no scripts).
        expect(fs.readFileSync(path.join(staging, "package.json"), "utf8")).toBe(
            fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"),
        );
    });

    afterAll(() => {
        if (process.env.KEEP_E2E !== "1") fs.rmSync(work, { recursive: true, force: true });
    });

    it("holds dist/ with declarations, README, LICENSE, CHANGELOG and nothing else; a manifest you could publish", () => {
        const files = packed.files.map((f) => f.path).sort();
        expect(files.filter((f) => !f.startsWith("dist/"))).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
        expect(files.filter((f) => f.startsWith("dist/") && !/^dist\/(provider|emulator)\//.test(f))).toEqual([]);
        const js = files.filter((f) => f.endsWith(".js"));
        expect(js.length).toBeGreaterThan(40);
        for (const f of js) expect(files).toContain(f.replace(/\.js$/, ".d.ts"));
        expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);

        const extract = (f: string) =>
            execFileSync("tar", ["-xzOf", tarball, `package/${f}`], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
        // Source maps carry their sources: the .ts files they name are not shipped.
        for (const f of files.filter((x) => x.endsWith(".map"))) {
            const map = JSON.parse(extract(f));
            expect({
                f,
                embedded:
                    Array.isArray(map.sourcesContent) && map.sourcesContent.every((s: unknown) => typeof s === "string" && s.length > 0),
            }).toEqual({ f, embedded: true });
        }
        const manifest = JSON.parse(extract("package.json"));
        expect(manifest.scripts).toBeUndefined();
        expect(manifest.dependencies?.["@pulumi/pulumi"]).toBeUndefined();
        expect(manifest.peerDependencies).toEqual({ "@pulumi/pulumi": ">=3.216.0 <4" });
        expect(manifest.engines).toEqual({ node: ">=22" });
        expect(manifest.license).toBe("Apache-2.0");
        expect(manifest.repository).toEqual({ type: "git", url: `git+${REPO_URL}.git` });
        expect(manifest.homepage).toBe(`${REPO_URL}#readme`);
        expect(manifest.bugs).toEqual({ url: `${REPO_URL}/issues` });
        expect(manifest.keywords).toEqual(expect.arrayContaining(["pulumi", "clickhouse"]));
        expect(manifest.bin).toEqual({
            "pulumi-clickhouse-cloud": "dist/provider/cli.js",
            "clickhouse-cloud-emulator": "dist/emulator/cli.js",
            // The plugin face's executable (any Pulumi language, `pulumi import`): see docs/import.md.
            "pulumi-resource-clickhouse-cloud": "dist/provider/plugin/index.js",
        });
        expect(extract("LICENSE")).toMatch(/Apache License\s+Version 2\.0/);

        // The README's links lead somewhere: files in the package, or files of the repository.
        const links = [...extract("README.md").matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)].map((m) => m[1]);
        for (const link of links) {
            if (link.startsWith(`${REPO_URL}/`)) {
                const rel = link.slice(REPO_URL.length + 1).replace(/^(blob|tree)\/main\//, "");
                expect({ link, exists: fs.existsSync(path.join(repoRoot, rel)) }).toEqual({ link, exists: true });
            } else if (!/^https?:/.test(link)) {
                expect({ link, inPackage: files.includes(link) }).toEqual({ link, inPackage: true });
            }
        }
    });

    /** The blocks of `file` the project runs, in order, with the program blocks written first. */
    const projectBlocks = (file: string): DocBlock[] => blocksOf(file).filter((b) => b.kind === "project");

    async function follow(
        session: DocSession,
        file: string,
        extra: (line: string) => Promise<Record<string, string>> = async () => ({}),
    ): Promise<void> {
        for (const block of projectBlocks(file)) {
            for (const line of commandsOf(block)) await session.type(line, await extra(line));
        }
    }

    /** The ids of the services in the emulator the session's exports point at. */
    async function servicesOf(session: DocSession): Promise<string[]> {
        // The printed API URL ends in /v1; the control API is at the emulator's root.
        const url = (await session.variable("CLICKHOUSE_API_URL")).replace(/\/v1$/, "");
        const objects = (await (await fetch(`${url}/_emulator/objects`)).json()) as { services: { id: string }[] };
        return objects.services.map((s) => s.id);
    }

    it("README.md: install from the tarball, deploy to the emulator, configure, preview, outputs, destroy", async () => {
        fs.mkdirSync(project, { recursive: true });
        // What `pulumi new typescript` leaves: a package.json with the SDK and TypeScript, a tsconfig, Pulumi.yaml.
        fs.writeFileSync(
            path.join(project, "package.json"),
            JSON.stringify(
                {
                    name: "my-clickhouse",
                    version: "0.0.0",
                    private: true,
                    main: "index.ts",
                    dependencies: { "@pulumi/pulumi": sdkVersion },
                    devDependencies: { "@types/node": "^22.20.7", typescript: pkg.devDependencies.typescript },
                },
                null,
                2,
            ),
        );
        fs.writeFileSync(
            path.join(project, "tsconfig.json"),
            JSON.stringify(
                {
                    compilerOptions: {
                        strict: true,
                        outDir: "bin",
                        target: "es2020",
                        module: "commonjs",
                        moduleResolution: "node",
                        sourceMap: true,
                        experimentalDecorators: true,
                        pretty: true,
                        noFallthroughCasesInSwitch: true,
                        noImplicitReturns: true,
                        forceConsistentCasingInFileNames: true,
                    },
                    files: ["index.ts"],
                },
                null,
                2,
            ),
        );
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            "name: my-clickhouse\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\ndescription: A ClickHouse Cloud service\n",
        );
        const env = userEnv(project);
        const setup = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline"], { cwd: project, env, encoding: "utf8" });
        expect({ status: setup.status, stderr: setup.status === 0 ? "" : setup.stderr }).toEqual({ status: 0, stderr: "" });
        fs.copyFileSync(tarball, path.join(project, tarballName));
        for (const b of blocksOf("README.md").filter((x) => x.kind === "program"))
            fs.writeFileSync(path.join(project, b.note), b.lines.join("\n") + "\n");

        const session = new DocSession(project, env);
        try {
            const blocks = projectBlocks("README.md");
            const [install, ...rest] = blocks;
            const installed = await session.type(commandsOf(install)[0]);
            // No install-time script of this package, no second SDK nested under it.
            expect(installed.stdout + installed.stderr).not.toMatch(
                /pulumi-clickhouse-cloud@[^ ]+ \((prepare|preinstall|install|postinstall)/,
            );
            expect(fs.existsSync(path.join(project, "node_modules", "pulumi-clickhouse-cloud", "node_modules", "@pulumi"))).toBe(false);
            // The plugin face's executable is installed with the package, ready for PATH.
            const plugin = path.join(project, "node_modules", ".bin", "pulumi-resource-clickhouse-cloud");
            expect(fs.realpathSync(plugin)).toBe(
                fs.realpathSync(path.join(project, "node_modules", "pulumi-clickhouse-cloud", "dist", "provider", "plugin", "index.js")),
            );
            expect(fs.statSync(plugin).mode & 0o111).not.toBe(0);
            expect(
                JSON.parse(fs.readFileSync(path.join(project, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version,
            ).toBe(sdkVersion);

            for (const block of rest) for (const line of commandsOf(block)) await session.type(line);

            // The key id went in as a secret, and the provider read it (the `up` after it succeeded).
            expect(fs.readFileSync(path.join(project, "Pulumi.dev.yaml"), "utf8")).toMatch(/clickhouse:tokenKey:\n\s+secure: /);
            const text = session.transcript.join("\n");
            expect(text).toMatch(/\$ pulumi preview --expect-no-changes[\s\S]*?\n\s+\d+ unchanged/);
            expect(fs.readFileSync(path.join(project, "up-events.json"), "utf8")).not.toContain('"severity":"debug"');
            expect((await servicesOf(session)).length).toBe(1);

            // The end of the reader's session: destroy (an emulator forgets everything when it stops).
            await session.type("pulumi destroy --yes");
            expect(await servicesOf(session)).toEqual([]);
            await session.type("pulumi stack rm dev --yes");
        } finally {
            await session.close();
            fs.writeFileSync(path.join(work, "README.transcript.txt"), session.transcript.join("\n"));
        }
    });

    it("docs/ownership.md: the orphans commands against a deployed stack", async () => {
        const session = new DocSession(project, userEnv(project));
        try {
            // A reader with a deployed stack and the emulator running (the README's loop).
            await session.type("npx clickhouse-cloud-emulator --port 0 --exports-file emulator.env");
            await session.type('eval "$(cat emulator.env)"');
            await session.type("pulumi stack init dev");
            await session.type("pulumi up --yes");
            await session.type("pulumi stack export --file export.json");
            await follow(session, "docs/ownership.md");
            expect(session.transcript.join("\n")).toMatch(/No orphans/);
            await session.type("pulumi destroy --yes");
            await session.type("pulumi stack rm dev --yes");
        } finally {
            await session.close();
            fs.writeFileSync(path.join(work, "ownership.transcript.txt"), session.transcript.join("\n"));
        }
    });

    it("docs/emulator.md: the three-line loop, options, a program, the control API", async () => {
        const session = new DocSession(project, userEnv(project));
        try {
            await session.type("pulumi stack init dev"); // the reader's project has a stack
            await follow(session, "docs/emulator.md", async (line): Promise<Record<string, string>> =>
                line.includes("<id>") ? { "<id>": (await servicesOf(session))[0] } : {},
            );
            const text = session.transcript.join("\n");
            expect(text).toMatch(
                /\$ npx clickhouse-cloud-emulator --port 0 --duration-provisioning 60[^\n]*\(second terminal\)\n# ClickHouse Cloud API emulator listening/,
            );
            expect(text).toMatch(/\$ curl -s \$E\/objects[^\n]*\n\{"services":\[\{"id":"[0-9a-f-]{36}","name":"warehouse"/);
            await session.type("pulumi stack select dev");
            await session.type("pulumi destroy --yes");
            await session.type("pulumi stack rm dev --yes");
        } finally {
            await session.close();
            fs.writeFileSync(path.join(work, "emulator.transcript.txt"), session.transcript.join("\n"));
        }
    });
});
