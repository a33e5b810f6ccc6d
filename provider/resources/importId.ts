/**
 * `pulumi import` by id (the plugin face; the dynamic face cannot be imported, pulumi/pulumi#16175):
 * the engine reads with the import id and no properties, and records the inputs the read returns.
 * What each kind's import id is, how it is split, and the mark an imported object's outputs carry
 * until an update records the program's values for what the API never returns (the Service's
 * password, a ClickPipe's credentials). Pure functions only.
 */
import { PROVIDER_KEY } from "./partialFailure";
import { fields } from "./records";

/**
 * Output mark of an object brought in by `pulumi import`: its write-only values (the Service's
 * password and hashes, a ClickPipe's credentials and destination roles) were never recorded, so
 * `diff` does not count the program's values for them as changes; the first update records them.
 */
export const IMPORTED_KEY = "__imported";

/** The import id of each kind, as the schema and docs/import.md document it. */
export const IMPORT_ID_FORMATS = {
    Service: "the service id",
    ServiceScaling: "the service id (one per service)",
    BackupConfiguration: "the service id (one per service)",
    ServiceQueryEndpoint: "the service id (one per service); `<serviceId>:<endpointId>` is accepted too",
    PrivateEndpoint: "`<serviceId>:<endpointId>` (the endpoint id in your cloud account)",
    ClickPipe: "`<serviceId>:<clickPipeId>`",
} as const;

/** True for the read of an import: no recorded properties (the engine may still pass the provider reference). */
export function isImportRead(props: unknown): boolean {
    return Object.keys(fields((props ?? {}) as object)).every((k) => k === PROVIDER_KEY);
}

/**
 * Splits an import id `<serviceId>:<objectId>`; a bare id is the service id (`objectId` then
 * undefined). Service and object ids hold no `:` (UUIDs, `vpce-...`), so the first one splits.
 */
export function splitImportId(id: string): { serviceId: string; objectId?: string } {
    const at = id.indexOf(":");
    if (at < 0) return { serviceId: id };
    return { serviceId: id.slice(0, at), objectId: id.slice(at + 1) || undefined };
}

/** The import id of `resource` split for a kind that needs both parts; an error says which format is expected. */
export function requireCompoundId(resource: string, id: string, format: string): { serviceId: string; objectId: string } {
    const { serviceId, objectId } = splitImportId(id);
    if (!serviceId || !objectId) throw new Error(`${resource}: import id "${id}" is not ${format}.`);
    return { serviceId, objectId };
}
