import { ServiceRecord } from "./store";

export const hostOf = (svc: ServiceRecord) => `${svc.hostPrefix}.${svc.region}.${svc.provider}.clickhouse.cloud`;

/** The public `Service` object, exactly the fields the spec lists; secrets (password hashes) never appear. */
export function serviceView(svc: ServiceRecord, availablePrivateEndpointIds: string[] = []): Record<string, unknown> {
    const host = hostOf(svc);
    const endpoints: Record<string, unknown>[] = [
        { protocol: "https", host, port: 8443, username: "default" },
        { protocol: "nativesecure", host, port: 9440, username: "default" },
    ];
    // MySQL is listed only when enabled (api-facts, from the Terraform provider).
    if (svc.mysqlEnabled) endpoints.push({ protocol: "mysql", host, port: 3306, username: `${svc.hostPrefix}_default` });
    const horizontal = svc.autoscalingMode === "horizontal";
    const view: Record<string, unknown> = {
        id: svc.id,
        name: svc.name,
        provider: svc.provider,
        region: svc.region,
        state: svc.state,
        clickhouseVersion: svc.clickhouseVersion,
        endpoints,
    };
    // Services of organizations on the current tiers have no tier (inferred from the Terraform provider, see api-facts).
    if (svc.tier !== undefined) view.tier = svc.tier;
    // Totals are "memory of three workers" and "always absent for horizontal-autoscaling services" (spec).
    if (!horizontal) Object.assign(view, { minTotalMemoryGb: svc.minReplicaMemoryGb * 3, maxTotalMemoryGb: svc.maxReplicaMemoryGb * 3 });
    Object.assign(view, { minReplicaMemoryGb: svc.minReplicaMemoryGb, maxReplicaMemoryGb: svc.maxReplicaMemoryGb });
    if (horizontal)
        Object.assign(view, { minReplicas: svc.minReplicas, maxReplicas: svc.maxReplicas, replicaMemoryGb: svc.minReplicaMemoryGb });
    else view.numReplicas = svc.numReplicas;
    Object.assign(view, {
        autoscalingMode: svc.autoscalingMode,
        idleScaling: svc.idleScaling,
        idleTimeoutMinutes: svc.idleTimeoutMinutes,
        ipAccessList: svc.ipAccessList.map((e) => ({ ...e })),
        createdAt: new Date(svc.createdAt).toISOString(),
    });
    // The spec lists encryptionKey on Service (a KMS key ARN); files of earlier versions kept it with the secrets.
    const encryptionKey = svc.encryptionKey ?? svc.secrets.encryptionKey;
    if (encryptionKey) view.encryptionKey = encryptionKey;
    if (svc.encryptionAssumedRoleIdentifier) view.encryptionAssumedRoleIdentifier = svc.encryptionAssumedRoleIdentifier;
    if (svc.iamRole) view.iamRole = svc.iamRole;
    Object.assign(view, {
        privateEndpointIds: [...svc.privateEndpointIds],
        availablePrivateEndpointIds,
        dataWarehouseId: svc.dataWarehouseId,
        isPrimary: svc.isPrimary,
        isReadonly: svc.isReadonly,
        releaseChannel: svc.releaseChannel,
    });
    if (svc.byocId) view.byocId = svc.byocId;
    view.hasTransparentDataEncryption = svc.hasTransparentDataEncryption;
    if (svc.profile) view.profile = svc.profile;
    if (svc.transparentDataEncryptionKeyId) view.transparentDataEncryptionKeyId = svc.transparentDataEncryptionKeyId;
    // "only available if hasTransparentDataEncryption is true" (spec).
    if (svc.hasTransparentDataEncryption && svc.encryptionRoleId) view.encryptionRoleId = svc.encryptionRoleId;
    if (svc.complianceType) view.complianceType = svc.complianceType;
    view.tags = svc.tags.map((t) => (t.value === undefined ? { key: t.key } : { key: t.key, value: t.value }));
    view.enableCoreDumps = svc.enableCoreDumps;
    view.currentScaling = {
        effectiveAutoscalingMode: svc.autoscalingMode,
        effectiveMinReplicaMemoryGb: svc.minReplicaMemoryGb,
        effectiveMaxReplicaMemoryGb: svc.maxReplicaMemoryGb,
        effectiveMinReplicas: horizontal ? svc.minReplicas : svc.numReplicas,
        effectiveMaxReplicas: horizontal ? svc.maxReplicas : svc.numReplicas,
        effectiveIdleScaling: svc.idleScaling,
        effectiveIdleTimeoutMinutes: Math.round(svc.idleTimeoutMinutes),
    };
    return view;
}
