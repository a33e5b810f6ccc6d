/**
 * provider/log.ts: messages reach the engine's Log RPC from inside the dynamic-provider process,
 * fall back to stderr, and never throw. A fake Engine gRPC server stands in for the engine.
 */
import * as path from "path";
import { captureLogs, engineAddress, info, pluginEngineArgument, progress, resetLogConnection, warn } from "../../../provider/log";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const engineGrpc = require("@pulumi/pulumi/proto/engine_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

interface Received {
    severity: number;
    message: string;
    ephemeral: boolean;
}

async function startFakeEngine(): Promise<{ address: string; received: Received[]; stop(): Promise<void> }> {
    const received: Received[] = [];
    const server = new grpc.Server();
    const unimplemented = (_call: unknown, cb: (e: unknown) => void) => cb({ code: grpc.status.UNIMPLEMENTED });
    server.addService(engineGrpc.EngineService, {
        log(
            call: { request: { getSeverity(): number; getMessage(): string; getEphemeral(): boolean } },
            cb: (e: unknown, r?: unknown) => void,
        ) {
            received.push({
                severity: call.request.getSeverity(),
                message: call.request.getMessage(),
                ephemeral: call.request.getEphemeral(),
            });
            cb(null, new emptyPb.Empty());
        },
        getRootResource: unimplemented,
        setRootResource: unimplemented,
        startDebugging: unimplemented,
        requirePulumiVersion: unimplemented,
    });
    const port: number = await new Promise((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
            e ? reject(e) : resolve(p),
        ),
    );
    return {
        address: `127.0.0.1:${port}`,
        received,
        stop: () => new Promise<void>((r) => server.tryShutdown(() => r())),
    };
}

async function until(cond: () => boolean, ms = 5000): Promise<void> {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error("condition not met in time");
        await new Promise((r) => setTimeout(r, 10));
    }
}

describe("engineAddress", () => {
    it.each([
        [["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", "127.0.0.1:4321"], "127.0.0.1:4321"],
        [["node", "C:\\x\\@pulumi\\pulumi\\cmd\\dynamic-provider\\index.js", "localhost:1"], "localhost:1"],
        [["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider", "127.0.0.1:4321"], "127.0.0.1:4321"],
        [["node", "/x/node_modules/.bin/jest", "127.0.0.1:4321"], undefined],
        [["node", "/x/cmd/dynamic-provider/index.js"], undefined],
        [["node", "/x/cmd/dynamic-provider/index.js", "--flag"], undefined],
    ])("%j -> %s", (argv, addr) => {
        expect(engineAddress(argv)).toBe(addr);
    });
});

describe("pluginEngineArgument", () => {
    it.each([
        [["127.0.0.1:4321"], "127.0.0.1:4321"],
        [["--logtostderr", "-v=9", "--tracing", "file:/tmp/t", "127.0.0.1:4321"], "127.0.0.1:4321"],
        [["--logtostderr"], undefined],
        [[], undefined],
    ])("%j -> %s", (args, addr) => {
        expect(pluginEngineArgument(args)).toBe(addr);
    });
});

describe("inside the dynamic-provider process", () => {
    const savedArgv = process.argv;
    const savedEnv = process.env.CLICKHOUSE_LOG_IN_TESTS;
    beforeEach(() => {
        process.env.CLICKHOUSE_LOG_IN_TESTS = "1";
    });
    afterEach(() => {
        process.argv = savedArgv;
        if (savedEnv === undefined) delete process.env.CLICKHOUSE_LOG_IN_TESTS;
        else process.env.CLICKHOUSE_LOG_IN_TESTS = savedEnv;
        resetLogConnection();
        jest.restoreAllMocks();
    });

    it("sends progress as ephemeral INFO and warnings as WARNING to the engine's Log RPC", async () => {
        const engine = await startFakeEngine();
        try {
            process.argv = ["node", "/x/@pulumi/pulumi/cmd/dynamic-provider/index.js", engine.address];
            // As in an e2e test: the provider host inherits JEST_WORKER_ID and must log anyway.
            delete process.env.CLICKHOUSE_LOG_IN_TESTS;
            const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
            progress("clickhouse:Service dev", "provisioning (1m20s elapsed)");
            warn("clickhouse:Service dev: something to know");
            info("clickhouse: done");
            await until(() => engine.received.length === 3);
            const bySeverity = Object.fromEntries(engine.received.map((r) => [r.message, r]));
            expect(bySeverity["clickhouse:Service dev: provisioning (1m20s elapsed)"]).toEqual({
                severity: 1,
                message: "clickhouse:Service dev: provisioning (1m20s elapsed)",
                ephemeral: true,
            });
            expect(bySeverity["clickhouse:Service dev: something to know"]).toMatchObject({ severity: 2, ephemeral: false });
            expect(bySeverity["clickhouse: done"]).toMatchObject({ severity: 1, ephemeral: false });
            expect(stderr).not.toHaveBeenCalled();
        } finally {
            await engine.stop();
        }
    });

    it("falls back to stderr when the engine cannot be reached, and never throws", async () => {
        const engine = await startFakeEngine();
        const address = engine.address;
        await engine.stop();
        process.argv = ["node", "/x/@pulumi/pulumi/cmd/dynamic-provider/index.js", address];
        const lines: string[] = [];
        jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
        expect(() => warn("engine gone")).not.toThrow();
        await until(() => lines.some((l) => l.includes("engine gone")));
        expect(lines.find((l) => l.includes("engine gone"))).toBe("warning: engine gone\n");
    });

    it("writes to stderr outside the provider process", () => {
        process.argv = ["node", "/x/some-script.js"];
        const lines: string[] = [];
        jest.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => (lines.push(String(s)), true));
        progress("clickhouse:Service dev", "running");
        expect(lines).toEqual(["clickhouse:Service dev: running\n"]);
    });

    it("does not throw even when stderr does", () => {
        process.argv = ["node", "/x/some-script.js"];
        jest.spyOn(process.stderr, "write").mockImplementation(() => {
            throw new Error("EPIPE");
        });
        expect(() => warn("x")).not.toThrow();
    });
});

describe("under Jest", () => {
    it("is silent by default, and a capture sees everything", () => {
        delete process.env.CLICKHOUSE_LOG_IN_TESTS;
        const write = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
        warn("not shown");
        expect(write).not.toHaveBeenCalled();
        const cap = captureLogs();
        progress("a", "b");
        warn("c");
        expect(cap.stop().map((e) => [e.level, e.message, e.ephemeral])).toEqual([
            ["info", "a: b", true],
            ["warning", "c", false],
        ]);
        write.mockRestore();
    });
});
