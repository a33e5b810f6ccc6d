/**
 * What gives every resource file the same shape, beside its property table (./properties.ts):
 * public arguments derived from the plain inputs, typed key lists and the class's output
 * placeholders derived from the table, and the one place where the engine's records meet a
 * resource's typed handlers.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Handlers } from "./handlers";
import { apiFields, outputKeys, Property, PropertyTable } from "./properties";
import type { Gone } from "./read";

/**
 * An enumerated string type that also takes any string, so a configuration value fits (`check`
 * validates it) while editors still complete the known words.
 */
type Open<V> = V extends string ? (string extends V ? V : V | (string & {})) : V;

/**
 * An argument with a fixed vocabulary: one of the API's words, or any string. Editors still
 * offer the words, a value read from the stack configuration (a plain `string`) is accepted, and
 * `check` refuses a word the API does not know, naming the accepted ones.
 */
export type OpenEnum<T extends string> = T | (string & {});

/** One argument as a program gives it: a value, a promise or an output; a list may hold outputs too; enumerated words accept a plain string. */
export type InputOf<T> = [T] extends [readonly (infer E)[]] ? pulumi.Input<pulumi.Input<Open<E>>[]> : pulumi.Input<Open<T>>;

/**
 * The public arguments of a resource, derived from its plain inputs: every field becomes an
 * {@link InputOf}, keeping its TSDoc and whether it is optional.
 */
export type ArgsOf<T> = { [K in keyof T]: InputOf<NonNullable<T[K]>> };

/** A property table that has exactly one row per field of the outputs `O` (which include the arguments). */
export type TableOf<O> = { readonly [K in keyof O]-?: Property };

/** The keys of the rows of `T` copied from the API's object (`api: true`). */
export type ApiKey<T> = { [K in keyof T]: T[K] extends { readonly api: true } ? K : never }[keyof T];

/** {@link apiFields} typed by the table's own keys. */
export function apiKeys<T extends PropertyTable>(table: T): ApiKey<T>[] {
    // apiFields keeps exactly the rows whose `api` is true: the keys ApiKey<T> names.
    return apiFields(table) as ApiKey<T>[];
}

/**
 * The properties a resource class registers as `undefined` before the user's arguments, so each
 * output of the table (see {@link outputKeys}) is an output of the class even when not given.
 */
export function outputPlaceholders(table: PropertyTable): Record<string, undefined> {
    return Object.fromEntries(outputKeys(table).map((k) => [k, undefined]));
}

/**
 * A resource's CRUD on its plain inputs `I` and outputs `O`: {@link Handlers}, with create and
 * update always answering the full outputs (a missing field would shrink the state) and read
 * answering the inputs to record, or {@link Gone} for an object that no longer exists.
 */
export type TypedHandlers<I, O> = Omit<Handlers<I, O>, "create" | "update" | "read"> & {
    create: (inputs: I) => Promise<{ id: string; outs: O }>;
    update: (id: string, olds: O, news: I) => Promise<{ outs: O }>;
    // `inputs` may be missing only for a state written before the provider recorded which arguments were set.
    read: (id: string, props?: O) => Promise<{ id: string; props: O; inputs?: I } | Gone>;
};

/** A resource's CRUD as the runtime dispatches it (and tests call it): the engine's records in, typed answers out. */
export interface EngineHandlers<I, O> {
    check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult<I>>;
    diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: Record<string, unknown>): Promise<{ id: string; outs: O }>;
    read(id: string, props?: Record<string, unknown>): Promise<{ id: string; props?: O; inputs?: I }>;
    update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<{ outs: O }>;
    delete(id: string, props: Record<string, unknown>): Promise<void>;
}

/** Exposes typed handlers to the engine, which records what they answer and hands it back. */
export function engineHandlers<I, O>(handlers: TypedHandlers<I, O>): EngineHandlers<I, O> {
    // The engine hands back what check returned (I) and what we answered (O); GONE's empty id means gone, its props are never read.
    return handlers as unknown as EngineHandlers<I, O>;
}
