/**
 * `clickhouse:ServiceQueryEndpoint`: the (experimental) HTTP query API of one service, which
 * runs SQL for the listed API keys with the listed console roles. Create and update use the
 * upsert `POST /services/{id}/serviceQueryEndpoint`; read GETs it (404: gone); delete DELETEs it.
 */
import * as pulumi from "@pulumi/pulumi";
import { apiClient } from "../api/current";
import { deleteQueryEndpoint, findQueryEndpoint, upsertQueryEndpoint } from "../api/endpoints";
import { ignoreNotFound } from "../api/notFound";
import type { ServiceQueryAPIEndpoint } from "../api/types";
import { ClickHouseResource } from "../shim";
import { DiffResult, diffBySpec } from "./compare";
import { compact } from "./records";
import { show } from "./validation";
import { hiddenOf } from "./hidden";
import { OwnedCheckResult, ownedInputsValidator, requireService } from "./owningService";
import { argumentKeys, diffSpecOf } from "./properties";
import { GONE, keepOrder } from "./read";
import { isImportRead, splitImportId } from "./importId";
import { ArgsOf, engineHandlers, outputPlaceholders, TableOf } from "./shape";

const RESOURCE = "clickhouse:ServiceQueryEndpoint";

/** Console roles the query endpoint can run with. */
export const QUERY_ENDPOINT_ROLES = ["sql_console_read_only", "sql_console_admin"] as const;
/** A console role a query endpoint runs with. */
export type QueryEndpointRole = (typeof QUERY_ENDPOINT_ROLES)[number];

/** Plain inputs of {@link ServiceQueryEndpoint}. */
export type ServiceQueryEndpointInputs = {
    /** Id of the service (one query endpoint per service). Changing this replaces the resource. */
    serviceId: string;
    /**
     * Roles the queries run with: `sql_console_read_only` and/or `sql_console_admin`. Order does
     * not matter. Updated in place.
     */
    roles: QueryEndpointRole[];
    /** Ids of the API keys allowed to call the endpoint (not their secrets). Order does not matter. Updated in place. */
    openApiKeys: string[];
    /**
     * Origins allowed to call the endpoint from a browser, as one comma-separated list of
     * domains, e.g. `"app.example.com,admin.example.com"`. Updated in place; removing it allows
     * no browser origin again (the API's default).
     * @default none (no browser origin allowed)
     */
    allowedOrigins?: string;
};

/** Arguments of {@link ServiceQueryEndpoint}: {@link ServiceQueryEndpointInputs}, each a `pulumi.Input`. */
export type ServiceQueryEndpointArgs = ArgsOf<ServiceQueryEndpointInputs>;

/** Outputs: the endpoint as the API reports it. */
export type ServiceQueryEndpointOutputs = ServiceQueryEndpointInputs & {
    /** Id of the query endpoint. */
    endpointId?: string;
};

/** `serviceId` replaces; the rest is the API's and updates in place, the two lists compared as sets. */
const PROPERTIES = {
    serviceId: { change: "replace", inputOnly: true, unset: "required", doc: "Id of the service." },
    // The API's `id`: the output has its own name because `id` is the resource's.
    endpointId: { api: true, doc: "Id of the query endpoint." },
    roles: { change: "update", api: true, set: true, unset: "required", doc: "Roles the queries run with." },
    openApiKeys: { change: "update", api: true, set: true, unset: "required", doc: "API key ids allowed to call the endpoint." },
    allowedOrigins: { change: "update", api: true, unset: "change", doc: "Allowed browser origins, comma-separated." },
} as const satisfies TableOf<ServiceQueryEndpointOutputs>;

/** Validates the inputs; no API call. */
export function checkServiceQueryEndpoint(_olds: Record<string, unknown>, news: Record<string, unknown>): OwnedCheckResult {
    const v = ownedInputsValidator(RESOURCE, news, argumentKeys(PROPERTIES));
    for (const list of ["roles", "openApiKeys"] as const) {
        if (!v.required(list, list === "roles" ? `a list of ${QUERY_ENDPOINT_ROLES.join(", ")}` : "a list of API key ids")) continue;
        const value = news[list];
        if (Array.isArray(value) && value.length === 0)
            v.warn(list, `"${list}" is empty; list at least one ${list === "roles" ? "role" : "API key id"}.`);
        if (Array.isArray(value) && new Set(value.map(String)).size !== value.length)
            v.warn(list, `"${list}" has duplicates: ${show(value)}.`);
    }
    v.array("roles", (path, role) => {
        if (typeof role !== "string" || !QUERY_ENDPOINT_ROLES.some((accepted) => accepted === role)) {
            v.fail(path, `"${path}" is ${show(role)}; accepted roles: ${QUERY_ENDPOINT_ROLES.join(", ")}.`);
        }
    });
    v.array("openApiKeys", (path, key) => {
        if (typeof key === "string" && key.includes(":")) {
            // Looks like "<key id>:<key secret>": never echo the part after the colon.
            v.fail(
                path,
                `"${path}" looks like a key id and its secret joined by ":"; list only the API key id (${show(key.split(":")[0])}), never the secret.`,
            );
        } else if (typeof key !== "string") {
            v.fail(path, `"${path}" is ${show(key)}; expected an API key id (a string).`);
        } else if (!/^[A-Za-z0-9_-]{1,128}$/.test(key)) {
            v.warn(path, `"${path}" is ${show(key)}; expected an API key id (letters, digits, "-" or "_"), not a key secret or a list.`);
        }
    });
    v.string("allowedOrigins");
    if (typeof news.allowedOrigins === "string" && news.allowedOrigins !== "") {
        for (const origin of news.allowedOrigins.split(",")) {
            if (!/^\S+$/.test(origin.trim()) || origin.trim() !== origin) {
                v.warn(
                    "allowedOrigins",
                    `"allowedOrigins" is ${show(news.allowedOrigins)}; expected domains separated by single commas without spaces, e.g. "app.example.com,admin.example.com".`,
                );
                break;
            }
        }
    }
    return { inputs: news, failures: v.failures };
}

/** `serviceId` replaces; `roles` and `openApiKeys` (compared as sets) and `allowedOrigins` update in place. */
export function diffServiceQueryEndpoint(_id: string, olds: Record<string, unknown>, news: Record<string, unknown>): DiffResult {
    return diffBySpec(olds, news, diffSpecOf(PROPERTIES));
}

/** The outputs for the endpoint the API reports; lists keep the order of `previous` when they hold the same items. */
function outputsOf(
    endpoint: ServiceQueryAPIEndpoint,
    previous: Partial<ServiceQueryEndpointOutputs> & { serviceId: string },
): ServiceQueryEndpointOutputs {
    return compact({
        serviceId: previous.serviceId,
        endpointId: endpoint.id,
        // Absent only if the API left the list out; compact then drops it, as the state always had it.
        roles: keepOrder(endpoint.roles, previous.roles) as QueryEndpointRole[],
        openApiKeys: keepOrder(endpoint.openApiKeys, previous.openApiKeys) as string[],
        // An empty string and "no origins" are the same setting.
        allowedOrigins: endpoint.allowedOrigins === "" && previous.allowedOrigins === undefined ? undefined : endpoint.allowedOrigins,
        ...hiddenOf(previous),
    });
}

/** Checks the service and sends the upsert. Shared by create and update. */
async function upsert(inputs: ServiceQueryEndpointInputs): Promise<{ id: string; outs: ServiceQueryEndpointOutputs }> {
    const client = apiClient();
    const serviceId = inputs.serviceId;
    await requireService(client, RESOURCE, serviceId, { recent: true });
    const body = compact({ roles: inputs.roles, openApiKeys: inputs.openApiKeys, allowedOrigins: inputs.allowedOrigins });
    const endpoint = await upsertQueryEndpoint(client, serviceId, body, {
        // The upsert is idempotent: after an uncertain failure, sending it again is safe.
        reconcile: async () => undefined,
    });
    return { id: endpoint.id ?? serviceId, outs: outputsOf(endpoint, inputs) };
}

/** The CRUD of `clickhouse:ServiceQueryEndpoint` as the runtime dispatches it. */
export const serviceQueryEndpointHandlers = engineHandlers<ServiceQueryEndpointInputs, ServiceQueryEndpointOutputs>({
    check: async (olds, news) => ({ inputs: news, failures: checkServiceQueryEndpoint(olds, news).failures }),
    diff: async (id, olds, news) => diffServiceQueryEndpoint(id, olds, news),
    create: async (inputs) => upsert(inputs),
    update: async (_id, _olds, news) => ({ outs: (await upsert(news)).outs }),
    read: async (id, recorded) => {
        // `pulumi import <serviceId>` (or `<serviceId>:<endpointId>`): a service has at most one endpoint.
        const props = isImportRead(recorded) ? { serviceId: splitImportId(id).serviceId } : recorded;
        if (props?.serviceId === undefined) return GONE;
        const endpoint = await findQueryEndpoint(apiClient(), props.serviceId);
        if (!endpoint) return GONE;
        const outs = outputsOf(endpoint, props);
        const inputs = compact({
            serviceId: outs.serviceId,
            roles: outs.roles,
            openApiKeys: outs.openApiKeys,
            allowedOrigins: outs.allowedOrigins,
            ...hiddenOf(props),
        });
        return { id: endpoint.id ?? id, props: outs, inputs };
    },
    delete: async (_id, props) => {
        const serviceId = props?.serviceId;
        if (serviceId === undefined) return;
        await ignoreNotFound(() => deleteQueryEndpoint(apiClient(), serviceId));
    },
});

/**
 * The query API endpoint of a ClickHouse Cloud service (experimental in the API): lets the
 * listed API keys run SQL over HTTP with the listed console roles. A service has at most one;
 * creating this resource on a service that already has one takes it over (the API's POST is
 * an upsert).
 */
export class ServiceQueryEndpoint extends ClickHouseResource {
    /** Id of the service. */
    declare readonly serviceId: pulumi.Output<string>;
    /** Id of the query endpoint, as the API reports it. */
    declare readonly endpointId: pulumi.Output<string>;
    /** Roles the queries run with. */
    declare readonly roles: pulumi.Output<QueryEndpointRole[]>;
    /** API key ids allowed to call the endpoint. */
    declare readonly openApiKeys: pulumi.Output<string[]>;
    /** Allowed browser origins, comma-separated. */
    declare readonly allowedOrigins: pulumi.Output<string | undefined>;

    constructor(name: string, args: ServiceQueryEndpointArgs, opts?: pulumi.CustomResourceOptions) {
        super("ServiceQueryEndpoint", name, { ...outputPlaceholders(PROPERTIES), ...args }, opts);
    }
}
