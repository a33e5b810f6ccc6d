import type { Service, ServiceEndpoint } from "../provider/api/types";
import { ServiceRecord } from "./store";

export const hostOf = (svc: ServiceRecord) => `${svc.hostPrefix}.${svc.region}.${svc.provider}.clickhouse.cloud`;

/** The public `Service` object, exactly the fields the spec lists; secrets (password hashes) never appear. */
export function serviceView(
    svc: ServiceRecord,
    availablePrivateEndpointIds: string[] = [],
    real?: { https: number; tcpSecure: number },
): Service {
    const host = hostOf(svc);
    // With a real server, its TLS ports on loopback (./realServers.ts).
    const endpoints: ServiceEndpoint[] = real
        ? [
              { protocol: "https", host: "127.0.0.1", port: real.https, username: "default" },
              { protocol: "nativesecure", host: "127.0.0.1", port: real.tcpSecure, username: "default" },
          ]
        : [
              { protocol: "https", host, port: 8443, username: "default" },
              { protocol: "nativesecure", host, port: 9440, username: "default" },
          ];
    // MySQL is listed only when enabled (api-facts, from the Terraform provider).
    if (svc.mysqlEnabled) endpoints.push({ protocol: "mysql", host, port: 3306, username: `${svc.hostPrefix}_default` });
    const horizontal = svc.autoscalingMode === "horizontal";
    // The spec lists encryptionKey on Service (a KMS key ARN); files of earlier versions kept it with the secrets.
    const encryptionKey = svc.encryptionKey ?? svc.secrets.encryptionKey;
    // Fields in the order the API answers them; an optional one is left out when the record has none.
    return {
        id: svc.id,
        name: svc.name,
        provider: svc.provider,
        region: svc.region,
        state: svc.state,
        clickhouseVersion: svc.clickhouseVersion,
        endpoints,
        // Services of organizations on the current tiers have no tier (inferred from the Terraform provider, see api-facts).
        ...(svc.tier !== undefined ? { tier: svc.tier } : {}),
        // Totals are "memory of three workers" and "always absent for horizontal-autoscaling services" (spec).
        ...(horizontal ? {} : { minTotalMemoryGb: svc.minReplicaMemoryGb * 3, maxTotalMemoryGb: svc.maxReplicaMemoryGb * 3 }),
        minReplicaMemoryGb: svc.minReplicaMemoryGb,
        maxReplicaMemoryGb: svc.maxReplicaMemoryGb,
        ...(horizontal
            ? { minReplicas: svc.minReplicas, maxReplicas: svc.maxReplicas, replicaMemoryGb: svc.minReplicaMemoryGb }
            : { numReplicas: svc.numReplicas }),
        autoscalingMode: svc.autoscalingMode,
        idleScaling: svc.idleScaling,
        idleTimeoutMinutes: svc.idleTimeoutMinutes,
        ipAccessList: svc.ipAccessList.map((e) => ({ ...e })),
        createdAt: new Date(svc.createdAt).toISOString(),
        ...(encryptionKey ? { encryptionKey } : {}),
        ...(svc.encryptionAssumedRoleIdentifier ? { encryptionAssumedRoleIdentifier: svc.encryptionAssumedRoleIdentifier } : {}),
        ...(svc.iamRole ? { iamRole: svc.iamRole } : {}),
        privateEndpointIds: [...svc.privateEndpointIds],
        availablePrivateEndpointIds,
        dataWarehouseId: svc.dataWarehouseId,
        isPrimary: svc.isPrimary,
        isReadonly: svc.isReadonly,
        releaseChannel: svc.releaseChannel,
        ...(svc.byocId ? { byocId: svc.byocId } : {}),
        hasTransparentDataEncryption: svc.hasTransparentDataEncryption,
        ...(svc.profile ? { profile: svc.profile } : {}),
        ...(svc.transparentDataEncryptionKeyId ? { transparentDataEncryptionKeyId: svc.transparentDataEncryptionKeyId } : {}),
        // "only available if hasTransparentDataEncryption is true" (spec).
        ...(svc.hasTransparentDataEncryption && svc.encryptionRoleId ? { encryptionRoleId: svc.encryptionRoleId } : {}),
        ...(svc.complianceType ? { complianceType: svc.complianceType } : {}),
        tags: svc.tags.map((t) => (t.value === undefined ? { key: t.key } : { key: t.key, value: t.value })),
        enableCoreDumps: svc.enableCoreDumps,
        currentScaling: {
            effectiveAutoscalingMode: svc.autoscalingMode,
            effectiveMinReplicaMemoryGb: svc.minReplicaMemoryGb,
            effectiveMaxReplicaMemoryGb: svc.maxReplicaMemoryGb,
            effectiveMinReplicas: horizontal ? svc.minReplicas : svc.numReplicas,
            effectiveMaxReplicas: horizontal ? svc.maxReplicas : svc.numReplicas,
            effectiveIdleScaling: svc.idleScaling,
            effectiveIdleTimeoutMinutes: Math.round(svc.idleTimeoutMinutes),
        },
    };
}
