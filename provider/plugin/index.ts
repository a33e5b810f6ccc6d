#!/usr/bin/env node
/**
 * `pulumi-resource-clickhouse-cloud`: the plugin face's executable. The engine starts it with its
 * address; `main` serves the provider over gRPC and prints the port.
 *
 * The SDK's provider server answers `Configure` without handing the configuration to the
 * provider, so the service it registers is wrapped here: `configure` first passes the variables and
 * the provider's inputs to {@link configure}, then answers as the SDK does.
 */
import * as path from "path";
import { main } from "@pulumi/pulumi/provider";
import { pluginEngineArgument, useEngineForLogs } from "../log";
import { ClickHouseCloudProvider, configure } from "./provider";

type Handler = (call: { request: ConfigureRequest }, callback: (...a: unknown[]) => void) => void;
interface ConfigureRequest {
    getVariablesMap(): { entries(): Iterable<[string, string]> };
    getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** Wraps the `configure` of the provider service the SDK's `main` registers on its gRPC server. */
function passConfiguration(): void {
    // The gRPC module the SDK uses (resolved from it, so it is the same instance).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const grpc = require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi"))] }));
    const addService = grpc.Server.prototype.addService;
    grpc.Server.prototype.addService = function (service: unknown, implementation: Record<string, Handler>) {
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
