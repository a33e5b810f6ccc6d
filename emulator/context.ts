import { Core } from "./core";

/** What a route handler gets: the core, path parameters (already checked as UUIDs), query and parsed body. */
export interface Ctx {
    core: Core;
    orgId: string;
    params: Record<string, string>;
    query: URLSearchParams;
    body: unknown;
    /** The API key id the request authenticated with. */
    caller?: string;
}

/**
 * A handler answers a JSON `result` (omitted for DELETE), or text (Prometheus; `contentType`
 * names it when it is not the Prometheus exposition format); `status` when it is not 200.
 */
export type HandlerResult = { result?: unknown; text?: string; status?: number; contentType?: string };
export type Handler = (ctx: Ctx) => HandlerResult;
