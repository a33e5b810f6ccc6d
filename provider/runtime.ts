/**
 * What the serialized shims call inside the dynamic-provider process: `configure` with the
 * stack configuration, and the handlers of each resource kind. Resource files are loaded on
 * first use so a program that uses one resource does not load the others.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "./config";
import type { Handlers } from "./resources/common";
import type { ResourceKind } from "./shim";

const loaders: Record<ResourceKind, () => Handlers> = {
    Service: () => require("./resources/service").serviceHandlers,
    ServiceScaling: () => require("./resources/serviceScaling").serviceScalingHandlers,
    BackupConfiguration: () => require("./resources/backupConfiguration").backupConfigurationHandlers,
    PrivateEndpoint: () => require("./resources/privateEndpoint").privateEndpointHandlers,
    ClickPipe: () => require("./resources/clickPipe").clickPipeHandlers,
    ServiceQueryEndpoint: () => require("./resources/serviceQueryEndpoint").serviceQueryEndpointHandlers,
};

/** Receives the stack configuration (secrets decrypted) once per provider process. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    setStackConfig(req.config);
}

/** The CRUD handlers of one resource kind. */
export function handlers(kind: ResourceKind): Handlers {
    const load = loaders[kind];
    if (!load) throw new Error(`pulumi-clickhouse-cloud: unknown resource kind "${kind}"; this state may come from a newer version of the package.`);
    return load();
}
