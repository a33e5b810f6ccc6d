/**
 * `clickhouse:Service`: a ClickHouse Cloud service, end to end. One file per job:
 *
 * - `args.ts`: the arguments and outputs, with their TSDoc;
 * - `properties.ts`: the property table (what replaces, what updates, what is secret, what the
 *   API returns) and the vocabulary the checks use;
 * - `check.ts` → `diff.ts` → `create.ts` / `update.ts` (read and update) / `delete.ts`: the CRUD
 *   the engine calls; `converge.ts` brings a service to its arguments, `outputs.ts` maps between
 *   the API object, the outputs and the inputs, `ownership.ts` finds this stack's interrupted
 *   creates (docs/ownership.md), `context.ts` holds what the steps share;
 * - this file: the handlers and the resource class.
 *
 * Things that decide the design (see design.md): `diff` receives the previous *outputs*, so
 * outputs carry the input-shaped values it compares; `read` must keep the password, which the
 * API never returns; a create interrupted after the POST must be resumed through its creation
 * tag instead of leaving a second service behind, and only one this stack provably made; a
 * service the API accepted is never forgotten (partial failure with its id).
 */
import type { CloudProvider, Region, ServiceEndpoint, ServiceState, ServiceTier } from "../../api/types";
import { ClickHouseResource } from "../../shim";
import { fields } from "../records";
import { Timeouts } from "../timeouts";
import { engineHandlers, TypedHandlers } from "../shape";
import * as pulumi from "@pulumi/pulumi";
import { ServiceArgs, ServiceInputs, ServiceIpAccessEntry, ServiceOutputs, ServiceTag } from "./args";
import { checkService } from "./check";
import { createService } from "./create";
import { deleteService } from "./delete";
import { diffService } from "./diff";
import { secretInputs } from "./outputs";
import { API_FIELDS, INPUT_ONLY_KEYS, SECRET_OUTPUTS } from "./properties";
import { readService, updateService } from "./update";

/** The `clickhouse:Service` provider methods, typed by the plain inputs and outputs. */
const handlers: TypedHandlers<ServiceInputs, ServiceOutputs> = {
    check: async (olds, news) => checkService(fields(olds ?? {}), fields(news ?? {})),
    diff: async (id, olds, news) => diffService(id, fields(olds ?? {}), fields(news ?? {})),
    create: async (inputs) => createService(inputs),
    read: async (id, props) => readService(id, props ?? {}),
    update: async (id, olds, news) => updateService(id, olds, news),
    delete: async (id, props) => deleteService(id, props ?? {}),
};

/** What the runtime dispatches to (see {@link engineHandlers}). */
export const serviceHandlers = engineHandlers(handlers);

/**
 * A ClickHouse Cloud service. Creating it waits until the service is running (or stopped, if
 * `state: "stopped"`); deleting it stops it first and waits until it is gone.
 *
 * A create interrupted with its run is resumed by the next `up` of the same stack instance (its
 * `pulumi-creation` tag carries the stack's ownership id and an attempt recorded before the
 * POST); no other service is ever taken without `adoptServiceId` (see docs/ownership.md).
 * `pulumi up --replace` creates a new service, then the old one is deleted.
 *
 * ```ts
 * const svc = new Service("warehouse", {
 *     name: "warehouse", provider: "aws", region: "eu-central-1",
 *     ipAccessList: [{ source: "203.0.113.0/24", description: "office" }],
 *     minReplicaMemoryGb: 8, maxReplicaMemoryGb: 32,
 * });
 * export const host = svc.endpoints.apply((e) => e?.find((x) => x.protocol === "https")?.host);
 * export const password = svc.password; // secret
 * ```
 */
export class Service extends ClickHouseResource {
    /** Name of the service. */
    declare readonly name: pulumi.Output<string>;
    /** Cloud provider. */
    declare readonly provider: pulumi.Output<CloudProvider>;
    /** Region. */
    declare readonly region: pulumi.Output<Region>;
    /** Current API state (`running`, `idle`, `stopped`, ...). */
    declare readonly state: pulumi.Output<ServiceState>;
    /** ClickHouse version. */
    declare readonly clickhouseVersion: pulumi.Output<string | undefined>;
    /** Endpoints: `[{protocol, host, port, username}]` for https, nativesecure and (when enabled) mysql. */
    declare readonly endpoints: pulumi.Output<ServiceEndpoint[]>;
    /** Tier on legacy organizations; undefined on the current tiers unless the program gave one. */
    declare readonly tier: pulumi.Output<ServiceTier | undefined>;
    /** Deprecated total memory of three workers, minimum, GiB. */
    declare readonly minTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Deprecated total memory of three workers, maximum, GiB. */
    declare readonly maxTotalMemoryGb: pulumi.Output<number | undefined>;
    /** Minimum memory per replica, GiB. */
    declare readonly minReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Maximum memory per replica, GiB. */
    declare readonly maxReplicaMemoryGb: pulumi.Output<number | undefined>;
    /** Number of replicas (vertical autoscaling). */
    declare readonly numReplicas: pulumi.Output<number | undefined>;
    /** Minimum replicas (horizontal autoscaling). */
    declare readonly minReplicas: pulumi.Output<number | undefined>;
    /** Maximum replicas (horizontal autoscaling). */
    declare readonly maxReplicas: pulumi.Output<number | undefined>;
    /** `vertical` or `horizontal`. */
    declare readonly autoscalingMode: pulumi.Output<"vertical" | "horizontal">;
    /** Fixed memory per replica in horizontal autoscaling, GiB. */
    declare readonly replicaMemoryGb: pulumi.Output<number | undefined>;
    /** Whether idle scaling is on. */
    declare readonly idleScaling: pulumi.Output<boolean | undefined>;
    /** Idle timeout, minutes. */
    declare readonly idleTimeoutMinutes: pulumi.Output<number | undefined>;
    /** Allowed addresses. */
    declare readonly ipAccessList: pulumi.Output<ServiceIpAccessEntry[]>;
    /** Creation time, ISO-8601. */
    declare readonly createdAt: pulumi.Output<string | undefined>;
    /** Customer disk encryption key (secret). */
    declare readonly encryptionKey: pulumi.Output<string | undefined>;
    /** Role used for disk encryption. */
    declare readonly encryptionAssumedRoleIdentifier: pulumi.Output<string | undefined>;
    /** IAM role for S3 access. */
    declare readonly iamRole: pulumi.Output<string | undefined>;
    /** Attached private endpoint ids. */
    declare readonly privateEndpointIds: pulumi.Output<string[]>;
    /** Private endpoint ids that could be attached. */
    declare readonly availablePrivateEndpointIds: pulumi.Output<string[] | undefined>;
    /** Data warehouse of the service. */
    declare readonly dataWarehouseId: pulumi.Output<string | undefined>;
    /** Whether this is its warehouse's primary service. */
    declare readonly isPrimary: pulumi.Output<boolean | undefined>;
    /** Whether the service is read-only. */
    declare readonly isReadonly: pulumi.Output<boolean | undefined>;
    /** Release channel. */
    declare readonly releaseChannel: pulumi.Output<string | undefined>;
    /** BYOC region id. */
    declare readonly byocId: pulumi.Output<string | undefined>;
    /** Whether Transparent Data Encryption is on. */
    declare readonly hasTransparentDataEncryption: pulumi.Output<boolean | undefined>;
    /** Instance profile (ENTERPRISE). */
    declare readonly profile: pulumi.Output<string | undefined>;
    /** TDE key id. */
    declare readonly transparentDataEncryptionKeyId: pulumi.Output<string | undefined>;
    /** IAM role id used for encryption. */
    declare readonly encryptionRoleId: pulumi.Output<string | undefined>;
    /** Compliance type (`hipaa`, `pci`). */
    declare readonly complianceType: pulumi.Output<string | undefined>;
    /** Tags (without the provider's `pulumi-creation` tag). */
    declare readonly tags: pulumi.Output<ServiceTag[]>;
    /** Whether core dumps are collected. */
    declare readonly enableCoreDumps: pulumi.Output<boolean | undefined>;
    /** Autoscaling schedule, when configured. */
    declare readonly scalingSchedule: pulumi.Output<unknown>;
    /** Scaling currently in effect. */
    declare readonly currentScaling: pulumi.Output<unknown>;
    /** Password of the `default` user (secret): the given one or the generated one; unknown with `passwordHash`. */
    declare readonly password: pulumi.Output<string | undefined>;
    /** The `passwordHash` argument (secret). */
    declare readonly passwordHash: pulumi.Output<string | undefined>;
    /** The `doubleSha1PasswordHash` argument (secret). */
    declare readonly doubleSha1PasswordHash: pulumi.Output<string | undefined>;
    /** Backup the service was restored from. */
    declare readonly backupId: pulumi.Output<string | undefined>;
    /** Organization of the service. */
    declare readonly organizationId: pulumi.Output<string>;
    /** Time limits in force. */
    declare readonly timeouts: pulumi.Output<Timeouts | undefined>;
    /** The service id this resource adopted, if any. */
    declare readonly adoptServiceId: pulumi.Output<string | undefined>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.CustomResourceOptions) {
        const outputs: Record<string, undefined> = {};
        for (const key of [...API_FIELDS, ...INPUT_ONLY_KEYS]) outputs[key] = undefined;
        super(
            "Service",
            name,
            { ...outputs, ...args, ...secretInputs(args) },
            { ...opts, additionalSecretOutputs: [...(opts?.additionalSecretOutputs ?? []), ...SECRET_OUTPUTS] },
        );
    }
}

export {
    ServiceArgs,
    ServiceDesiredState,
    ServiceEndpointSetting,
    ServiceInputs,
    ServiceIpAccessEntry,
    ServiceOutputs,
    ServiceTag,
} from "./args";
export { mysqlDoubleSha1Hash, sha256PasswordHash } from "../../api/catalog";
export { checkService } from "./check";
export { deleteService } from "./delete";
export { diffService, serviceRunState } from "./diff";
export { secretInputs } from "./outputs";
export { creationMarkOf, isLiveService, serviceCreationTag } from "./ownership";
export { SERVICE_CREATION_TAG_KEY, SERVICE_REGIONS } from "./properties";
