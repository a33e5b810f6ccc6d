/**
 * The `Service` resource class under Pulumi's mocks: the type token users see in URNs, the
 * hidden creation input, every output registered, and a serialized provider that is the thin
 * shim (small, no credentials, no captured module state).
 */
import * as pulumi from "@pulumi/pulumi";

const registered: pulumi.runtime.MockResourceArgs[] = [];

pulumi.runtime.setMocks(
    {
        newResource: (args) => {
            registered.push(args);
            return { id: "svc-id", state: { ...args.inputs, state: "running", password: "generated" } };
        },
        call: (args) => args.inputs,
    },
    "proj",
    "dev",
    false,
);

import { Service } from "../../provider/resources/service";

describe("Service resource class", () => {
    let svc: Service;
    beforeAll(async () => {
        process.env.CLICKHOUSE_TOKEN_SECRET = "must-not-be-captured-secret";
        svc = new Service("warehouse", {
            name: "warehouse",
            provider: "aws",
            region: "eu-central-1",
            password: pulumi.secret("Pw-123456789"),
        });
        await new Promise<void>((resolve) => svc.urn.apply(() => resolve()));
    });

    it("registers as pulumi-nodejs:dynamic/clickhouse:Service with the hidden creation input", () => {
        const r = registered.find((x) => x.name === "warehouse")!;
        expect(r.type).toBe("pulumi-nodejs:dynamic/clickhouse:Service");
        expect(r.inputs.__creation).toBe("proj/dev/warehouse");
        expect(r.inputs.name).toBe("warehouse");
    });

    it("serializes only the shim: small and free of credentials", () => {
        const r = registered.find((x) => x.name === "warehouse")!;
        const text = String(r.inputs.__provider);
        expect(text).toContain("pulumi-clickhouse-cloud");
        expect(text).toContain("Service");
        expect(text.length).toBeLessThan(6000);
        expect(text).not.toContain("must-not-be-captured-secret");
        expect(text).not.toContain("Pw-123456789");
    });

    it("exposes the engine's outputs on the instance (fields are declared, not re-initialized after super)", async () => {
        const value = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));
        expect(await value(svc.state)).toBe("running");
        expect(await value(svc.name)).toBe("warehouse");
        expect(svc.password).toBeDefined();
    });
});
