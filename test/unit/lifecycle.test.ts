/**
 * provider/lifecycle.ts: when the provider process decides that its engine is gone (and exits),
 * and how it hears the engine's Cancel RPC. The process tree, the streams and the exit are
 * stand-ins here; the reliability suite (test/reliability/lifecycle.ts) does it for real.
 */
import { EventEmitter } from "events";
import * as net from "net";
import * as path from "path";
import {
    brokenLink,
    CANCEL_METHOD,
    engineChain,
    hookCancel,
    installInProviderHost,
    installLifecycle,
    isLauncher,
    Lifecycle,
    loadedGrpcServers,
    parseAddress,
    ProcessInfo,
    refusesConnections,
    unhookCancel,
} from "../../provider/lifecycle";
import { resetLogConnection, warn } from "../../provider/log";

const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const providerGrpc = require("@pulumi/pulumi/proto/provider_grpc_pb");
// eslint-disable-next-line @typescript-eslint/no-require-imports
const emptyPb = require("google-protobuf/google/protobuf/empty_pb");

/** A process tree: pid → its info. */
type Tree = Map<number, ProcessInfo>;
const proc = (ppid: number, name: string, cmdline = name): ProcessInfo => ({ ppid, name, cmdline });

/** The tree the engine makes: pulumi (100) → sh running the shim (200) → node, the provider (300). */
function engineTree(): Tree {
    return new Map([
        [100, proc(50, "pulumi", "pulumi up --yes")],
        [200, proc(100, "sh", "/bin/sh /x/bin/pulumi-resource-pulumi-nodejs 127.0.0.1:4000")],
        [300, proc(200, "node", "node /x/@pulumi/pulumi/cmd/dynamic-provider/index.js 127.0.0.1:4000")],
    ]);
}

const until = async (cond: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!cond()) {
        if (Date.now() > end) throw new Error("condition not met in time");
        await new Promise((r) => setTimeout(r, 10));
    }
};

describe("the chain from the provider up to its engine", () => {
    it("climbs through the shim's shell to the engine, and stops at the first process that is not a launcher", () => {
        const tree = engineTree();
        expect(engineChain({ pid: 300, ppid: 200 }, (pid) => tree.get(pid))).toEqual([
            { pid: 300, ppid: 200 },
            { pid: 200, ppid: 100 },
        ]);
        // Started by the engine directly (a shim that execs node), or no way to read processes.
        tree.set(301, proc(100, "node"));
        expect(engineChain({ pid: 301, ppid: 100 }, (pid) => tree.get(pid))).toEqual([{ pid: 301, ppid: 100 }]);
        expect(engineChain({ pid: 300, ppid: 200 }, () => undefined)).toEqual([{ pid: 300, ppid: 200 }]);
    });

    it.each([
        [proc(1, "sh"), true],
        [proc(1, "bash"), true],
        [proc(1, "dash", "dash -c x"), true],
        [proc(1, "pulumi-resourc", "/x/pulumi-resource-pulumi-nodejs 127.0.0.1:1"), true],
        [proc(1, "pulumi", "pulumi up"), false],
        [proc(1, "node", "node index.js"), false],
    ])("isLauncher(%j) is %s", (info, expected) => expect(isLauncher(info)).toBe(expected));

    it("is broken when this process or a launcher has another parent, or is gone", () => {
        const chain = [
            { pid: 300, ppid: 200 },
            { pid: 200, ppid: 100 },
        ];
        const parents = new Map([
            [300, 200],
            [200, 100],
        ]);
        const now = (pid: number) => parents.get(pid);
        expect(brokenLink(chain, now)).toBeUndefined();
        parents.set(200, 1);
        expect(brokenLink(chain, now)).toBe("the parent of launcher 200 is now 1, no longer 100");
        parents.delete(200);
        expect(brokenLink(chain, now)).toBe("launcher 200 is gone");
        parents.set(300, 1);
        expect(brokenLink(chain, now)).toBe("the parent of this process is now 1, no longer 200");
    });

    it.each([
        ["127.0.0.1:4321", { host: "127.0.0.1", port: 4321 }],
        ["[::1]:4321", { host: "::1", port: 4321 }],
        ["localhost:1", { host: "localhost", port: 1 }],
        ["nonsense", undefined],
    ])("parseAddress(%s)", (address, expected) => expect(parseAddress(address)).toEqual(expected));
});

describe("installLifecycle: exits when the engine is gone", () => {
    let lc: Lifecycle | undefined;
    afterEach(() => {
        lc?.uninstall();
        lc = undefined;
    });

    function install(tree: Tree, extra: { streams?: Array<{ name: string; stream: EventEmitter }>; engine?: string } = {}) {
        const exits: string[] = [];
        const self = { pid: 300, ppid: () => tree.get(300)?.ppid ?? 1 };
        lc = installLifecycle({
            engine: extra.engine ?? "127.0.0.1:1",
            exit: (reason) => exits.push(reason),
            intervalMs: 20,
            self,
            read: (pid) => tree.get(pid),
            streams: extra.streams ?? [],
            grpcServers: [],
            onCancel: () => undefined,
        });
        return exits;
    }

    it("when the engine dies and the shim's shell is handed to init, within one interval", async () => {
        const tree = engineTree();
        const exits = install(tree);
        expect(lc!.chain).toEqual([
            { pid: 300, ppid: 200 },
            { pid: 200, ppid: 100 },
        ]);
        await new Promise((r) => setTimeout(r, 100));
        expect(exits).toEqual([]);
        tree.delete(100);
        tree.set(200, { ...tree.get(200)!, ppid: 1 });
        await until(() => exits.length > 0);
        expect(exits).toEqual(["the engine is gone (the parent of launcher 200 is now 1, no longer 100)"]);
        // Once only, and the watch stops.
        await new Promise((r) => setTimeout(r, 100));
        expect(exits.length).toBe(1);
    });

    it("when this process's own parent changes", async () => {
        const tree = engineTree();
        const exits = install(tree);
        tree.set(300, { ...tree.get(300)!, ppid: 1 });
        await until(() => exits.length > 0);
        expect(exits).toEqual(["the engine is gone (the parent of this process is now 1, no longer 200)"]);
    });

    it("on an error of stdout or stderr (EPIPE: nobody reads the engine's pipes)", () => {
        const stderr = new EventEmitter();
        const stdout = new EventEmitter();
        const exits = install(engineTree(), {
            streams: [
                { name: "stdout", stream: stdout },
                { name: "stderr", stream: stderr },
            ],
        });
        stderr.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        stderr.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        expect(exits).toEqual(["the engine is gone (stderr: EPIPE)"]);
        // Later errors are still caught (never an uncaught exception the SDK reports on stderr again).
        expect([stdout.listenerCount("error"), stderr.listenerCount("error")]).toEqual([1, 1]);
        lc!.uninstall();
        expect(stderr.listenerCount("error") + stdout.listenerCount("error")).toBe(0);
    });

    it("when a log line's RPC fails UNAVAILABLE and the engine's address refuses connections", async () => {
        const closed = await new Promise<number>((resolve) => {
            const srv = net.createServer().listen(0, "127.0.0.1", () => {
                const port = (srv.address() as net.AddressInfo).port;
                srv.close(() => resolve(port));
            });
        });
        const engine = `127.0.0.1:${closed}`;
        const savedArgv = process.argv;
        const savedEnv = process.env.CLICKHOUSE_LOG_IN_TESTS;
        const stderr = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
        try {
            process.argv = ["node", "/x/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js", engine];
            process.env.CLICKHOUSE_LOG_IN_TESTS = "1";
            const exits = install(engineTree(), { engine });
            warn("a line the engine cannot take");
            await until(() => exits.length > 0, 10_000);
            expect(exits).toEqual([`the engine is gone (the engine's address ${engine} refuses connections)`]);
        } finally {
            process.argv = savedArgv;
            if (savedEnv === undefined) delete process.env.CLICKHOUSE_LOG_IN_TESTS;
            else process.env.CLICKHOUSE_LOG_IN_TESTS = savedEnv;
            resetLogConnection();
            stderr.mockRestore();
        }
    });

    it("never keeps the process alive, and does nothing after uninstall", async () => {
        const timeouts = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
        const before = timeouts();
        const tree = engineTree();
        const exits = install(tree);
        expect(timeouts()).toBe(before);
        lc!.uninstall();
        tree.set(300, { ...tree.get(300)!, ppid: 1 });
        await new Promise((r) => setTimeout(r, 100));
        expect(exits).toEqual([]);
    });

    it("refusesConnections tells a closed port from a listening one", async () => {
        const srv = net.createServer((s) => s.destroy());
        await new Promise<void>((r) => srv.listen(0, "127.0.0.1", () => r()));
        const port = (srv.address() as net.AddressInfo).port;
        expect(await refusesConnections(`127.0.0.1:${port}`)).toBe(false);
        await new Promise<void>((r) => srv.close(() => r()));
        expect(await refusesConnections(`127.0.0.1:${port}`)).toBe(true);
    });

    it("is installed only inside the dynamic-provider host", () => {
        expect(installInProviderHost(["node", "/x/node_modules/.bin/jest"])).toBeUndefined();
        expect(installInProviderHost()).toBeUndefined();
    });
});

describe("the engine's Cancel RPC", () => {
    const original = grpc.Server.prototype._retrieveHandler;
    afterEach(() => {
        grpc.Server.prototype._retrieveHandler = original;
    });

    it("the grpc-js copy @pulumi/pulumi uses still looks handlers up with _retrieveHandler (else Ctrl-C is not seen)", () => {
        expect(typeof original).toBe("function");
    });

    it("a Cancel call to the provider's gRPC server calls the listener; other calls do not", async () => {
        const calls: string[] = [];
        const listener = () => calls.push("cancel");
        const hook = hookCancel([grpc.Server], listener);
        expect(hook).toEqual({ hooked: 1, problems: [] });
        // Hooking twice (a second copy of this package) wraps once; both listeners hear the call.
        const second = () => calls.push("second");
        expect(hookCancel([grpc.Server], second).hooked).toBe(1);
        const server = new grpc.Server();
        const answered: string[] = [];
        server.addService(providerGrpc.ResourceProviderService, {
            cancel: (_call: unknown, cb: (e: unknown, r: unknown) => void) => {
                answered.push("cancel");
                cb(null, new emptyPb.Empty());
            },
            getPluginInfo: (_call: unknown, cb: (e: unknown, r: unknown) => void) => {
                answered.push("getPluginInfo");
                cb({ code: grpc.status.UNIMPLEMENTED }, null);
            },
        });
        const port: number = await new Promise((resolve, reject) =>
            server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (e: Error | null, p: number) =>
                e ? reject(e) : resolve(p),
            ),
        );
        const client = new providerGrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        try {
            await new Promise<void>((resolve) => client.getPluginInfo(new emptyPb.Empty(), () => resolve()));
            expect(calls).toEqual([]);
            await new Promise<void>((resolve, reject) => client.cancel(new emptyPb.Empty(), (e: unknown) => (e ? reject(e) : resolve())));
            expect(calls).toEqual(["cancel", "second"]);
            expect(answered).toEqual(["getPluginInfo", "cancel"]);
            expect(CANCEL_METHOD).toBe("/pulumirpc.ResourceProvider/Cancel");
        } finally {
            unhookCancel(listener);
            unhookCancel(second);
            client.close();
            await new Promise<void>((r) => server.tryShutdown(() => r()));
        }
    });

    it("reports internals it does not know instead of failing", () => {
        const listener = () => undefined;
        expect(hookCancel([{ prototype: {} }], listener)).toEqual({
            hooked: 0,
            problems: ["grpc-js Server has no _retrieveHandler method"],
        });
        expect(hookCancel([], listener)).toEqual({ hooked: 0, problems: ["no loaded copy of @grpc/grpc-js found"] });
        unhookCancel(listener);
    });

    it("finds the Server classes of the grpc-js copies in a module cache", () => {
        const Server = function Server() {} as unknown as { prototype: Record<string, unknown> };
        const cache = {
            "/p/node_modules/@grpc/grpc-js/build/src/index.js": { exports: { Server } },
            "/p/node_modules/@grpc/grpc-js/build/src/server.js": { exports: { Server } },
            "/p/node_modules/other/index.js": { exports: { Server: function Other() {} } },
        } as unknown as NodeJS.Dict<NodeModule>;
        expect(loadedGrpcServers(cache)).toEqual([Server]);
    });
});
