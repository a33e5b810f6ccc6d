/**
 * What the stored provider texts (see shim.ts) call inside the dynamic-provider process: `configure` with the
 * stack configuration, and the handlers of each resource kind. Resource files are loaded on
 * first use so a program that uses one resource does not load the others.
 */
import type * as pulumi from "@pulumi/pulumi";
import { setStackConfig } from "./config";
import { installInProviderHost } from "./lifecycle";
import { warn } from "./log";
import { createdThisRun, noteCreated, noteInState } from "./runState";
import type { Handlers } from "./resources/handlers";
import type { ResourceKind } from "./shim";

// Inside the dynamic-provider host (only there): exit when the engine is gone, end waits when it
// cancels. The runtime is loaded on the host's first RPC, before any operation starts.
installInProviderHost();

// Each resource module loads on first use only, so a program with one kind does not load the rest.
/* eslint-disable @typescript-eslint/no-require-imports */
const loaders: Record<ResourceKind, () => Handlers> = {
    Service: () => require("./resources/service").serviceHandlers,
    ServiceScaling: () => require("./resources/serviceScaling").serviceScalingHandlers,
    BackupConfiguration: () => require("./resources/backupConfiguration").backupConfigurationHandlers,
    PrivateEndpoint: () => require("./resources/privateEndpoint").privateEndpointHandlers,
    ClickPipe: () => require("./resources/clickPipe").clickPipeHandlers,
    ServiceQueryEndpoint: () => require("./resources/serviceQueryEndpoint").serviceQueryEndpointHandlers,
    StackOwnership: () => require("./resources/stackOwnership").stackOwnershipHandlers,
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** Receives the stack configuration (secrets decrypted) once per provider process. */
export async function configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    setStackConfig(req.config);
}

const guardedHandlers = new Map<ResourceKind, Handlers>();

/** Kinds of which a service has exactly one: the object is the service's, whatever its id. */
const ONE_PER_SERVICE: readonly ResourceKind[] = ["ServiceScaling", "BackupConfiguration", "ServiceQueryEndpoint"];

/** What identifies the object behind a resource: its service for one-per-service kinds, else its id. */
function objectOf(kind: ResourceKind, id: string | undefined, props: Record<string, unknown> | undefined): string | undefined {
    if (ONE_PER_SERVICE.includes(kind) && typeof props?.serviceId === "string" && props.serviceId !== "")
        return `service:${props.serviceId}`;
    return id;
}

/** The CRUD handlers of one resource kind. */
export function handlers(kind: ResourceKind): Handlers {
    const cached = guardedHandlers.get(kind);
    if (cached) return cached;
    const load = loaders[kind];
    if (!load)
        throw new Error(
            `pulumi-clickhouse-cloud: unknown resource kind "${kind}"; this state may come from a newer version of the package.`,
        );
    const h = guardDeletes(kind, load());
    guardedHandlers.set(kind, h);
    return h;
}

/**
 * Wraps the handlers of one kind so that the run state ({@link noteInState}, {@link noteCreated})
 * is kept, and so that a delete of an object a create of this run returned is skipped: the old
 * resource and the new one are then the same object (a create-before-delete replacement of a
 * per-service singleton such as the scaling, backup configuration or query endpoint, of a
 * PrivateEndpoint with the same endpoint id, or a create that took over an existing object),
 * and deleting it would remove what the new resource manages.
 */
export function guardDeletes(kind: ResourceKind, h: Handlers): Handlers {
    return {
        ...h,
        diff: async (id, olds, news) => {
            noteInState(kind, id);
            return h.diff(id, olds, news);
        },
        read: async (id, props) => {
            noteInState(kind, id);
            return h.read(id, props);
        },
        update: async (id, olds, news) => {
            noteInState(kind, id);
            return h.update(id, olds, news);
        },
        create: async (inputs) => {
            try {
                const result = await h.create(inputs);
                noteCreated(kind, objectOf(kind, result.id, result.outs ?? inputs));
                return result;
            } catch (e) {
                // A partial failure records the object under the new resource all the same.
                const id = (e as { id?: unknown })?.id;
                if (typeof id === "string")
                    noteCreated(kind, objectOf(kind, id, (e as { properties?: Record<string, unknown> }).properties ?? inputs));
                throw e;
            }
        },
        delete: async (id, props) => {
            noteInState(kind, id);
            const object = objectOf(kind, id, props);
            if (object !== undefined && createdThisRun(kind, object)) {
                warn(
                    `clickhouse:${kind} ${id}: not deleted: a create earlier in this run returned this same object for the resource that replaces ` +
                        `this one, so deleting it would remove what the new resource manages.`,
                );
                return;
            }
            return h.delete(id, props);
        },
    };
}
