/**
 * A ClickPipe's `state` argument on removal. Never set, it is not managed: a pipe stopped in the
 * console stays stopped. Set by an earlier run and then removed from the program, it goes back
 * to the API's default, `Running`, as a person who deletes the line expects. The outputs record
 * the state the program asked for (`__desiredState`) so that `diff`, which only sees the outputs
 * of the previous run, can tell the two apart.
 */

const MARK = "__desiredState";

/** `news` with `state: "Running"` when the previous run asked for a state and this one asks for none. */
export function withRemovedState(olds: Record<string, unknown>, news: Record<string, unknown>): Record<string, unknown> {
    const before = olds[MARK];
    const now = news.state;
    if (typeof before !== "string" || (now !== undefined && now !== null)) return news;
    return { ...news, state: "Running" };
}

/**
 * Adds the state `written` asks for (the program's arguments, or the previous outputs on
 * `read`) to the outputs of a create, update or read, and to the properties of a partial failure.
 */
export async function withDesiredStateMark<R extends { outs?: Record<string, unknown>; props?: Record<string, unknown> }>(
    result: Promise<R>,
    written: Record<string, unknown>,
    from: "state" | typeof MARK = "state",
): Promise<R> {
    const desired = written[from];
    const mark = typeof desired === "string" ? { [MARK]: desired } : {};
    try {
        const r = await result;
        if (r.outs) return { ...r, outs: { ...r.outs, ...mark } };
        if (r.props && Object.keys(r.props).length > 0) return { ...r, props: { ...r.props, ...mark } };
        return r;
    } catch (e) {
        const properties = (e as { properties?: unknown })?.properties;
        if (properties !== null && typeof properties === "object") Object.assign(properties, mark);
        throw e;
    }
}
