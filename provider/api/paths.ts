/**
 * Paths of the API under `/v1/organizations/{organizationId}`, built in one place: every segment
 * is encoded, so an id can never change which resource a request names (`..`, `/`, `?`). Only the
 * operations modules (services.ts, clickpipes.ts, …) call these; resources never build a path.
 */

/** One path segment, encoded. */
export function segment(value: string): string {
    return encodeURIComponent(value);
}

/** `/services`, `/services/{id}`, `/services/{id}/{sub...}`. */
export function servicePath(id?: string, ...sub: string[]): string {
    if (id === undefined) return "/services";
    return ["/services", segment(id), ...sub.map(segment)].join("/");
}

/** `/services/{serviceId}/clickpipes[/{pipeId}[/{sub}]]`. */
export function clickPipePath(serviceId: string, pipeId?: string, sub?: string): string {
    const base = servicePath(serviceId, "clickpipes");
    if (pipeId === undefined) return base;
    return sub === undefined ? `${base}/${segment(pipeId)}` : `${base}/${segment(pipeId)}/${segment(sub)}`;
}

/** `/{sub...}` directly under the organization (e.g. `/prometheus`); `""` for the organization itself. */
export function organizationPath(...sub: string[]): string {
    return sub.length === 0 ? "" : "/" + sub.map(segment).join("/");
}
