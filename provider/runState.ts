/**
 * What this provider process has seen during the engine run it serves (the engine starts one
 * dynamic-provider process per `up`, `preview`, `refresh` or `destroy`): which objects the
 * state holds and which ones creates of this run returned. Two rules depend on it:
 *
 * - A Service create that finds an earlier service with its creation tag takes it over only if
 *   the engine has not named that service as a resource of the state in this run. A
 *   replacement whose replacing arguments are unchanged (`replaceOnChanges`) carries the same
 *   tag as the service it replaces, and the engine diffs that service before it creates the
 *   replacement, so the service being replaced is never taken for an interrupted create.
 * - A delete of an object a create of this run returned is skipped (see `runtime.ts`).
 *
 * Nothing here outlives the process, and nothing is written anywhere.
 */
const inState = new Set<string>();
const created = new Set<string>();

function key(kind: string, id: string): string {
    return `${kind}\u0000${id}`;
}

/** The engine passed this id as the id of a resource in the state (diff, read, update, delete). */
export function noteInState(kind: string, id: string | undefined): void {
    if (typeof id === "string" && id !== "") inState.add(key(kind, id));
}

/** True when this run's engine named this id as a resource in the state. */
export function inStateThisRun(kind: string, id: string): boolean {
    return inState.has(key(kind, id));
}

/** A create of this run returned (or recorded, on a partial failure) this id. */
export function noteCreated(kind: string, id: string | undefined): void {
    if (typeof id === "string" && id !== "") created.add(key(kind, id));
}

/** True when a create of this run returned this id. */
export function createdThisRun(kind: string, id: string): boolean {
    return created.has(key(kind, id));
}

/** Forgets everything (tests only: a test process plays several runs). */
export function resetRunState(): void {
    inState.clear();
    created.clear();
}
