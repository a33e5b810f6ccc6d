/**
 * The provider text every resource of this package stores in its `__provider` input.
 *
 * The dynamic-provider host runs the *stored* text: it loads it as a CommonJS module and calls
 * its `handler()` for the provider object (the same for `read` and `delete`, which run the text
 * of the recorded outputs). So the text must capture nothing but a resource kind: each method
 * loads this package's runtime with `require` at call time. It stays a few hundred bytes,
 * carries no credentials, and always runs the installed version of the package.
 *
 * The text is written out here rather than made by `pulumi.dynamic.Resource`, which serializes
 * the provider object's closures through the V8 inspector and TypeScript's parser: about 20 ms
 * of the program's time per kind, spent before the first resource of a program can register
 * (and so before the engine starts the provider process). The host treats both the same way:
 * it never compares the text, and this package's diff ignores it, so states written by the
 * serialized shims of earlier versions keep working and show no change.
 */
import * as pulumi from "@pulumi/pulumi";
import { preflight } from "./preflight";
import { OWNED_KINDS } from "./resources/hidden";

/** Names the runtime dispatches on; one per resource file. */
export type ResourceKind =
    "Service" | "ServiceScaling" | "BackupConfiguration" | "PrivateEndpoint" | "ClickPipe" | "ServiceQueryEndpoint" | "StackOwnership";

/** The methods of a dynamic provider, each forwarded to the runtime's handlers of the kind. */
const METHODS: ReadonlyArray<[name: string, params: string]> = [
    ["check", "olds, news"],
    ["diff", "id, olds, news"],
    ["create", "inputs"],
    ["read", "id, props"],
    ["update", "id, olds, news"],
    ["delete", "id, props"],
];

/** The stored provider text of one resource kind: the same string for every resource of that kind. */
export function shimText(kind: ResourceKind): string {
    const methods = METHODS.map(([name, params]) => `    ${name}: async (${params}) => runtime().handlers(kind).${name}(${params}),`);
    return [
        `"use strict";`,
        `// pulumi-clickhouse-cloud: loads the package installed where the Pulumi program runs.`,
        `const kind = ${JSON.stringify(kind)};`,
        `function runtime() {`,
        `    try {`,
        `        return require("pulumi-clickhouse-cloud/runtime");`,
        `    } catch (err) {`,
        `        if (!err || err.code !== "MODULE_NOT_FOUND") throw err;`,
        "        throw new Error(`pulumi-clickhouse-cloud is not installed where this Pulumi program runs (${process.cwd()}): " +
            'run "npm install pulumi-clickhouse-cloud".`, { cause: err });',
        `    }`,
        `}`,
        `const provider = {`,
        `    configure: async (req) => runtime().configure(req),`,
        ...methods,
        `};`,
        `exports.handler = () => provider;`,
        ``,
    ].join("\n");
}

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
 * Base of every resource class: one place that pairs the provider text with the type token
 * (`pulumi-nodejs:dynamic/clickhouse:<kind>`, the token `pulumi.dynamic.Resource` would give)
 * and adds the hidden inputs, so the two can never name different kinds.
 */
export abstract class ClickHouseResource extends pulumi.CustomResource {
    protected constructor(kind: ResourceKind, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
        if ("__provider" in props) throw new Error(`${kind} "${name}": the __provider input is reserved`);
        super(
            `pulumi-nodejs:dynamic/clickhouse:${kind}`,
            name,
            { ...props, ...hiddenInputs(kind, name), __provider: shimText(kind) },
            opts,
        );
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
