/**
 * A 404 answer read as absence, decided in one place: a `find…` operation answers undefined, a
 * delete step succeeds (the object is gone, which is what delete wants).
 */
import type { ApiClient } from "./client";
import { isNotFound } from "./errors";

/** Runs `call`; undefined when the API answers 404. */
export async function unlessNotFound<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
        return await call();
    } catch (e) {
        if (isNotFound(e)) return undefined;
        throw e;
    }
}

/** Runs a delete step; a 404 means the object is already gone, which is what delete wants. */
export async function ignoreNotFound(step: () => Promise<unknown>): Promise<void> {
    try {
        await step();
    } catch (e) {
        if (!isNotFound(e)) throw e;
    }
}

/**
 * GETs `path`; undefined when the API answers 404. Only for callers that have no operations
 * module yet (ClickPipe); everything else calls a typed `find…` operation.
 */
export function getOrUndefined<T>(client: ApiClient, path: string): Promise<T | undefined> {
    return unlessNotFound(() => client.get<T>(path));
}
