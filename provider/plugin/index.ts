#!/usr/bin/env node
/**
 * `pulumi-resource-clickhouse-cloud`: the plugin face's executable. The engine starts it with its
 * address; `main` serves the provider over gRPC and prints the port.
 *
 * The SDK's provider server answers `Configure` without handing the configuration to the
 * provider, and refuses `CheckConfig`, so the service it registers is wrapped here: `configure`
 * first passes the variables and the provider's inputs to {@link configure}, then answers as the
 * SDK does; `checkConfig` answers with {@link checkProviderConfig} (the inputs as given, plus the
 * stack's ownership id) and `diffConfig` with {@link diffProviderConfig} (never a replacement).
 */
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { pluginEngineArgument, useEngineForLogs } from "../log";
import { checkProviderConfig, ClickHouseCloudProvider, configure, diffProviderConfig } from "./provider";

type Handler = (call: { request: ConfigureRequest & CheckRequest }, callback: (...a: unknown[]) => void) => void;
interface JsStruct {
    toJavaScript(): Record<string, unknown>;
}
interface ConfigureRequest {
    getVariablesMap(): { entries(): Iterable<[string, string]> };
    getArgs(): JsStruct | undefined;
}
interface CheckRequest {
    getOlds(): JsStruct | undefined;
    getNews(): JsStruct | undefined;
}

/** A module the SDK itself loads, resolved from it, so it is the same instance. */
function fromSdk(id: string): unknown {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve(id, { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));
}

/** Wraps `checkConfig`, `diffConfig` and `configure` of the provider service the SDK's `main` registers on its gRPC server. */
function passConfiguration(): void {
    const grpc = fromSdk("@grpc/grpc-js") as { Server: { prototype: { addService: (s: unknown, i: Record<string, Handler>) => unknown } } };
    const proto = fromSdk("@pulumi/pulumi/proto/provider_pb") as {
        CheckResponse: new () => { setInputs(s: unknown): void };
        DiffResponse: { new (): { setChanges(c: number): void; setDiffsList(k: string[]): void }; DiffChanges: Record<string, number> };
    };
    const struct = fromSdk("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: unknown): unknown } };
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, implementation: Record<string, Handler>) {
        if (typeof implementation.checkConfig === "function") {
            implementation.checkConfig = (call, callback) => {
                try {
                    const resp = new proto.CheckResponse();
                    const inputs = checkProviderConfig(call.request.getOlds()?.toJavaScript(), call.request.getNews()?.toJavaScript());
                    resp.setInputs(struct.Struct.fromJavaScript(inputs));
                    return callback(undefined, resp);
                } catch (e) {
                    return callback(e);
                }
            };
        }
        if (typeof implementation.diffConfig === "function") {
            implementation.diffConfig = (call, callback) => {
                try {
                    const changed = diffProviderConfig(call.request.getOlds()?.toJavaScript(), call.request.getNews()?.toJavaScript());
                    const resp = new proto.DiffResponse();
                    resp.setChanges(proto.DiffResponse.DiffChanges[changed.length ? "DIFF_SOME" : "DIFF_NONE"]);
                    resp.setDiffsList(changed);
                    return callback(undefined, resp);
                } catch (e) {
                    return callback(e);
                }
            };
        }
        const original = implementation.configure;
        if (typeof original === "function") {
            implementation.configure = (call, callback) => {
                try {
                    configure(Object.fromEntries(call.request.getVariablesMap().entries()), call.request.getArgs()?.toJavaScript() ?? {});
                } catch (e) {
                    return callback(e);
                }
                return original.call(implementation, call, callback);
            };
        }
        return addService.call(this, service, implementation);
    };
}

// By the package's own name (package.json exports it): the same path from the sources and from dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { version } = require("pulumi-clickhouse-cloud/package.json") as { version: string };
passConfiguration();
// Warnings and progress of the shared handlers go to the engine, as from the dynamic-provider host.
useEngineForLogs(pluginEngineArgument(process.argv.slice(2)));
main(new ClickHouseCloudProvider(version), process.argv.slice(2)).catch((e) => {
    console.error(e);
    process.exit(1);
});
