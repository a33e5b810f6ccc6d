/**
 * Property tables: one row per argument or output of a resource, from which its key lists, its
 * diff spec, its secret outputs, its API mapping and the output fields of its class are derived.
 * Adding an argument means adding its row (and its TSDoc in the resource's `args.ts`, and a test);
 * nothing else lists property names by hand. A table is also what a generated Pulumi package
 * schema can be built from.
 */
import type { DiffSpec } from "./compare";

/** How a change of an argument reaches the API. */
export type Change =
    /** The API cannot change it: a change replaces the resource. */
    | "replace"
    /** Changed in place by the resource's update. */
    | "update"
    /** Used when the resource is created; later changes are ignored (never a diff). */
    | "createOnly";

/** One argument or output of a resource. */
export interface Property {
    /** Set for arguments: how a change is applied. Absent for outputs only. */
    change?: Change;
    /** The API object has this field (same name): outputs copy it from the API's answer. */
    api?: boolean;
    /** An argument the API never returns: the outputs keep the value as given. */
    inputOnly?: boolean;
    /** Secret in the state (an output marked secret by the resource class). */
    secret?: boolean;
    /** A list compared as a set: order and duplicates never make a diff. */
    set?: boolean;
    /**
     * What leaving the argument unset means (arguments only): `unmanaged` (the default: whatever
     * the API has is kept, never a diff), `required` (it must be set), or `change` (removing a
     * value that was set is a change, e.g. settings kept in the state only).
     */
    unset?: "unmanaged" | "required" | "change";
    /** One line for generated docs and schema: what it is (the TSDoc in args.ts says more). */
    doc?: string;
}

/** A resource's properties, in the order its docs list them. */
export type PropertyTable = Readonly<Record<string, Property>>;

function keysWhere(table: PropertyTable, pick: (p: Property) => boolean): string[] {
    return Object.entries(table)
        .filter(([, p]) => pick(p))
        .map(([k]) => k);
}

/** Every argument name (unknown-key detection, input reconstruction). */
export function argumentKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.change !== undefined);
}

/** Arguments whose change replaces the resource. */
export function replacingKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.change === "replace");
}

/** Arguments changed in place. */
export function updatingKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.change === "update");
}

/** Arguments the API has no value for: the outputs keep what was given. */
export function inputOnlyKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.inputOnly === true);
}

/** Outputs marked secret by the resource class (`additionalSecretOutputs`). */
export function secretKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.secret === true);
}

/** Lists compared as sets. */
export function setKeys(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.set === true);
}

/** Fields copied from the API object into the outputs. */
export function apiFields(table: PropertyTable): string[] {
    return keysWhere(table, (p) => p.api === true);
}

/** Every output the resource class declares: the API fields, then the input-only arguments. */
export function outputKeys(table: PropertyTable): string[] {
    return [...new Set([...apiFields(table), ...inputOnlyKeys(table)])];
}

/** The diff spec of a table: replacing and in-place arguments, sets, and which may be left unset. */
export function diffSpecOf(table: PropertyTable): DiffSpec {
    return {
        replace: replacingKeys(table),
        update: updatingKeys(table),
        sets: setKeys(table),
        optionalComputed: keysWhere(
            table,
            (p) => (p.change === "replace" || p.change === "update") && (p.unset ?? "unmanaged") === "unmanaged",
        ),
    };
}
