/**
 * The object handed to `pulumi.dynamic.Resource` for every resource of this package.
 *
 * Pulumi serializes that object into the state (`__provider`) and later runs the *stored*
 * text for `read` and `delete`. So it must capture nothing but a resource kind: each method
 * loads this package's runtime with `require` at call time. The stored text stays a few hundred
 * bytes, carries no credentials, and always runs the installed version of the package.
 */
import * as pulumi from "@pulumi/pulumi";
import { preflight } from "./preflight";

/** Names the runtime dispatches on; one per resource file. */
export type ResourceKind =
    "Service" | "ServiceScaling" | "BackupConfiguration" | "PrivateEndpoint" | "ClickPipe" | "ServiceQueryEndpoint" | "StackOwnership";

/**
 * One shim object per resource kind, shared by every resource of that kind. The SDK caches a
 * provider's serialized text by object identity, so sharing the object serializes each kind once
 * per program instead of once per resource: serializing walks the closure through the V8
 * inspector, tens of milliseconds each, and a program of 100 services paid it 100 times before
 * its first create could start.
 */
const shims = new Map<ResourceKind, pulumi.dynamic.ResourceProvider>();

/** The shim of one resource kind: the same object for every resource of that kind (exported for tests). */
export function shimFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    let shim = shims.get(kind);
    if (!shim) {
        shim = buildShim(kind);
        shims.set(kind, shim);
    }
    return shim;
}

/** Builds the serialized shim for one resource kind. */
function buildShim(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // Everything below runs inside the dynamic-provider process, from the text in the state:
    // no imports, no captured values other than `kind`.
    const runtime = () => {
        try {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- resolved where the program runs
            return require("pulumi-clickhouse-cloud/runtime");
        } catch (err) {
            const e = err as { code?: string };
            if (e.code !== "MODULE_NOT_FOUND") throw err;
            throw new Error(
                `pulumi-clickhouse-cloud is not installed where this Pulumi program runs (${process.cwd()}): run "npm install pulumi-clickhouse-cloud".`,
                { cause: err },
            );
        }
    };
    return {
        configure: async (req) => runtime().configure(req),
        check: async (olds, news) => runtime().handlers(kind).check(olds, news),
        diff: async (id, olds, news) => runtime().handlers(kind).diff(id, olds, news),
        create: async (inputs) => runtime().handlers(kind).create(inputs),
        read: async (id, props) => runtime().handlers(kind).read(id, props),
        update: async (id, olds, news) => runtime().handlers(kind).update(id, olds, news),
        delete: async (id, props) => runtime().handlers(kind).delete(id, props),
    };
}

/** Kinds that look for their own interrupted creates, and so carry the stack's ownership id. */
const OWNED_KINDS: readonly ResourceKind[] = ["Service", "ClickPipe"];

/**
 * Inputs every resource class adds to the user's arguments. `__creation` identifies the
 * declaring program and resource (`<project>/<stack>/<name>`); `__owner` (Service, ClickPipe)
 * is the stack instance's ownership id, an output of its {@link StackOwnership} resource, so the
 * engine records that id before it creates any object that carries it.
 */
function hiddenInputs(kind: ResourceKind, name: string): Record<string, unknown> {
    const hidden: Record<string, unknown> = { __creation: `${pulumi.getProject()}/${pulumi.getStack()}/${name}` };
    // The first resource of a preview waits for the credential check (see preflight.ts); it resolves to nothing.
    const checked = preflight(currentRun());
    if (checked) hidden.__preflight = checked;
    if (OWNED_KINDS.includes(kind)) hidden.__owner = stackOwnerId();
    return hidden;
}

/**
 * Base of every resource class: one place that pairs the serialized shim with the type token
 * (`pulumi-nodejs:dynamic/clickhouse:<kind>`) and adds the hidden inputs, so the two can never
 * name different kinds.
 */
export abstract class ClickHouseResource extends pulumi.dynamic.Resource {
    protected constructor(kind: ResourceKind, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
        super(shimFor(kind), name, { ...props, ...hiddenInputs(kind, name) }, opts, "clickhouse", kind);
    }
}

/** The resource name of a stack's ownership record: one per stack, made by the first Service or ClickPipe. */
export const STACK_OWNERSHIP_NAME = "clickhouse-stack-ownership";

/**
 * The stack instance's ownership record: a random id made when the resource is created, kept in
 * the state, and put (with a per-create attempt id) into the creation mark of every service and
 * ClickPipe of the stack. It makes no API call to create; deleting it (the end of a `destroy`)
 * removes what interrupted creates of the stack left and names anything else still marked with
 * it. Programs never construct it: the first Service or ClickPipe of a program does.
 */
class StackOwnership extends ClickHouseResource {
    /** The ownership id: 16 hex digits. */
    declare readonly ownerId: pulumi.Output<string>;
    constructor() {
        super("StackOwnership", STACK_OWNERSHIP_NAME, { ownerId: undefined });
    }
}

const OWNERSHIP = Symbol.for("pulumi-clickhouse-cloud.stackOwnership");

/**
 * The ownership id of the stack being deployed, registering its record on first use. Kept per
 * engine run (the SDK's per-run store, so an Automation API process running several stacks gets
 * one each) and on `globalThis`, so two copies of this package in one program share it.
 */
function stackOwnerId(): pulumi.Output<string> {
    const g = globalThis as unknown as Record<symbol, WeakMap<object, StackOwnership> | undefined>;
    const byRun = (g[OWNERSHIP] ??= new WeakMap<object, StackOwnership>());
    const run = currentRun();
    let record = byRun.get(run);
    if (!record) {
        record = new StackOwnership();
        byRun.set(run, record);
    }
    return record.ownerId;
}

/** An object that lives as long as one engine run of the program. */
function currentRun(): object {
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const state = require("@pulumi/pulumi/runtime/state");
        const store = typeof state.getStore === "function" ? state.getStore() : undefined;
        if (store && typeof store === "object") return store;
    } catch {
        // Older SDK layout: one run per process.
    }
    return globalThis;
}
