/**
 * The secret marking of a pipe's credentials by the resource class, so neither the inputs nor the
 * outputs in the state hold them in plain text.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ClickPipeSourceArgs, DeepInput } from "./args";
import { CLICKPIPE_SOURCE_KINDS, SECRET_SOURCE_FIELDS, SECRET_SOURCE_PARTS } from "./properties";
import { isObject } from "./values";

function isPlainInput(value: unknown): value is Record<string, unknown> {
    return isObject(value) && !pulumi.Output.isInstance(value) && typeof value.then !== "function";
}

/**
 * Marks the credentials inside `source` secret, so neither the inputs nor the outputs in the
 * state hold them in plain text even when the program passes plain strings. When the source
 * (or one kind of it) is itself an Output, the whole of it is marked secret.
 */
export function secretSource(source: DeepInput<ClickPipeSourceArgs> | undefined): pulumi.Input<unknown> | undefined {
    if (source === undefined) return undefined;
    if (!isPlainInput(source)) return pulumi.secret(source);
    const out: Record<string, unknown> = { ...source };
    for (const kind of CLICKPIPE_SOURCE_KINDS) {
        const value = out[kind];
        if (value === undefined || value === null) continue;
        if (!isPlainInput(value)) {
            out[kind] = pulumi.secret(value);
            continue;
        }
        const copy: Record<string, unknown> = { ...value };
        for (const field of SECRET_SOURCE_FIELDS) {
            if (copy[field] !== undefined && copy[field] !== null) copy[field] = pulumi.secret(copy[field]);
        }
        for (const part of SECRET_SOURCE_PARTS) {
            const [field, key] = part.split(".");
            const parent = copy[field];
            if (parent === undefined || parent === null) continue;
            copy[field] = isPlainInput(parent)
                ? { ...parent, ...(parent[key] !== undefined ? { [key]: pulumi.secret(parent[key]) } : {}) }
                : pulumi.secret(parent);
        }
        out[kind] = copy;
    }
    return out;
}
