/** The metrics operation: Prometheus metrics of the organization or of one service. */
import type { ApiClient } from "./client";
import { organizationPath, servicePath } from "./paths";

/**
 * `GET /prometheus` (the organization) or `GET /services/{id}/prometheus`, in the text exposition
 * format; `filteredMetrics` asks for the smaller list.
 */
export function getPrometheusMetrics(client: ApiClient, opts: { serviceId?: string; filteredMetrics?: boolean } = {}): Promise<string> {
    const path = opts.serviceId ? servicePath(opts.serviceId, "prometheus") : organizationPath("prometheus");
    const query = opts.filteredMetrics === undefined ? undefined : { filtered_metrics: String(opts.filteredMetrics) };
    return client.getText(path, { query });
}
