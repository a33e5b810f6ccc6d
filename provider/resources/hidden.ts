/**
 * The hidden inputs every resource class adds (`__creation`, and `__owner` for Service and
 * ClickPipe) and what is read from them: the name the user gave, the label of progress and wait
 * messages, and the copy kept in the outputs so `read` can hand them back as inputs.
 */
import type { ResourceKind } from "../shim";

/** Hidden input set by every resource class: `<project>/<stack>/<resource name>`. */
export const CREATION_KEY = "__creation";

/**
 * Hidden input of the resources that look for interrupted creates (Service, ClickPipe): the
 * ownership id of the stack instance, an output of its `clickhouse:StackOwnership` resource, so
 * it is in the state before any of them can be created (see docs/ownership.md).
 */
export const OWNER_KEY = "__owner";

/** Kinds that look for their own interrupted creates, and so carry the stack's ownership id. */
export const OWNED_KINDS: readonly ResourceKind[] = ["Service", "ClickPipe"];

/** The resource name the user gave, taken from the hidden `__creation` input (`<project>/<stack>/<name>`). */
export function resourceName(inputs: Record<string, unknown>): string | undefined {
    const creation = inputs[CREATION_KEY];
    if (typeof creation !== "string") return undefined;
    return creation.split("/").slice(2).join("/") || undefined;
}

/** `clickhouse:ClickPipe "events"` when the name is known, else the type alone: the label of progress and wait messages. */
export function labelOf(resource: string, inputs: Record<string, unknown>): string {
    const name = resourceName(inputs);
    return name ? `${resource} "${name}"` : resource;
}

/** Hidden inputs kept in the outputs, so `read` can hand them back as inputs. */
export function hiddenOf(values: Record<string, unknown>): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const k of [CREATION_KEY, OWNER_KEY]) if (values[k] !== undefined) out[k] = values[k];
    return out;
}
