/**
 * The object handed to `pulumi.dynamic.Resource` for every resource of this package.
 *
 * Pulumi serializes that object into the state (`__provider`) and later runs the *stored*
 * text for `read` and `delete`. So it must capture nothing but a resource kind: each method
 * loads this package's runtime with `require` at call time. The stored text stays a few hundred
 * bytes, carries no credentials, and always runs the installed version of the package.
 */
import * as pulumi from "@pulumi/pulumi";

/** Names the runtime dispatches on; one per resource file. */
export type ResourceKind =
    | "Service"
    | "ServiceScaling"
    | "BackupConfiguration"
    | "PrivateEndpoint"
    | "ClickPipe"
    | "ServiceQueryEndpoint";

/** Builds the serialized shim for one resource kind. */
function shimFor(kind: ResourceKind): pulumi.dynamic.ResourceProvider {
    // Everything below runs inside the dynamic-provider process, from the text in the state:
    // no imports, no captured values other than `kind`.
    const runtime = () => {
        try {
            return require("pulumi-clickhouse-cloud/runtime");
        } catch (err) {
            const e = err as { code?: string };
            if (e.code !== "MODULE_NOT_FOUND") throw err;
            throw new Error(`pulumi-clickhouse-cloud is not installed where this Pulumi program runs (${process.cwd()}): run "npm install pulumi-clickhouse-cloud".`);
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

/**
 * Inputs every resource class adds to the user's arguments. `__creation` identifies the
 * declaring program and resource (`<project>/<stack>/<name>`), so an interrupted create can be
 * found again instead of being repeated.
 */
function hiddenInputs(name: string): { __creation: string } {
    return { __creation: `${pulumi.getProject()}/${pulumi.getStack()}/${name}` };
}

/**
 * Base of every resource class: one place that pairs the serialized shim with the type token
 * (`pulumi-nodejs:dynamic/clickhouse:<kind>`) and adds the hidden inputs, so the two can never
 * name different kinds.
 */
export abstract class ClickHouseResource extends pulumi.dynamic.Resource {
    protected constructor(kind: ResourceKind, name: string, props: Record<string, unknown>, opts?: pulumi.CustomResourceOptions) {
        super(shimFor(kind), name, { ...props, ...hiddenInputs(name) }, opts, "clickhouse", kind);
    }
}
