/**
 * Enumerated arguments (region, provider, tier, state, release channel, ClickPipe source words,
 * query endpoint roles) take a plain `string`, such as a value read from the stack
 * configuration, and still refuse what is not a string. `check` refuses words the API does not
 * know (see the check tables); here only the types are at stake.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..");

/** Type-checks `source` as a user's program that imports the package by name (mapped to the sources). */
function typeErrors(source: string): string {
    const dir = path.join(root, ".tmp", `config-types-${process.pid}-${Math.random().toString(16).slice(2, 8)}`);
    fs.mkdirSync(dir, { recursive: true });
    try {
        fs.writeFileSync(path.join(dir, "index.ts"), source);
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    strict: true,
                    noEmit: true,
                    target: "ES2022",
                    module: "commonjs",
                    moduleResolution: "node",
                    esModuleInterop: true,
                    skipLibCheck: true,
                    resolveJsonModule: true,
                    types: ["node"],
                    typeRoots: [path.join(root, "node_modules", "@types")],
                    baseUrl: root,
                    paths: { "pulumi-clickhouse-cloud": ["provider/index.ts"], "@pulumi/pulumi": ["node_modules/@pulumi/pulumi"] },
                },
                files: [path.join(dir, "index.ts")],
            }),
        );
        execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { cwd: root, encoding: "utf8", stdio: "pipe" });
        return "";
    } catch (err) {
        const e = err as { stdout?: string; stderr?: string };
        return `${e.stdout ?? ""}${e.stderr ?? ""}`;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

it("configuration values (plain strings) are accepted where the API has a fixed vocabulary", () => {
    const errors = typeErrors(`
import * as pulumi from "@pulumi/pulumi";
import * as clickhouse from "pulumi-clickhouse-cloud";
const cfg = new pulumi.Config();
const svc = new clickhouse.Service("svc", {
    name: "svc",
    provider: cfg.get("provider") ?? "aws",
    region: cfg.get("region") ?? "eu-central-1",
    tier: cfg.get("tier"),
    state: cfg.get("state"),
    releaseChannel: cfg.get("releaseChannel"),
});
new clickhouse.ServiceQueryEndpoint("qe", { serviceId: svc.id, roles: cfg.requireObject<string[]>("roles"), openApiKeys: [] });
new clickhouse.ClickPipe("pipe", {
    serviceId: svc.id,
    name: "pipe",
    state: cfg.get("pipeState"),
    source: { kafka: { type: cfg.get("kafkaType") ?? "kafka", format: cfg.require("format"), brokers: "b:9092", topics: "t", authentication: cfg.require("auth"), credentials: { username: "u", password: cfg.requireSecret("p") } } },
    destination: { database: "default", table: "t", managedTable: false },
});
`);
    expect(errors).toBe("");
});

it("the words still complete, and a value that is not a string is still refused", () => {
    const errors = typeErrors(`
import * as clickhouse from "pulumi-clickhouse-cloud";
const region: clickhouse.ServiceArgs["region"] = "eu-central-1";
new clickhouse.Service("svc", { name: "svc", provider: "aws", region: 42 });
`);
    expect(errors).toMatch(/index\.ts\(4,\d+\): error TS2322/);
    expect(errors.match(/error TS/g)).toHaveLength(1);
});
