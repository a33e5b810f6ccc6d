/** `checkPrivateEndpoint` and `diffPrivateEndpoint` as tables. */
import { UNKNOWN } from "../../provider/resources/unknown";
import { checkPrivateEndpoint, diffPrivateEndpoint } from "../../provider/resources/privateEndpoint";

const SVC = "2b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f";
const base = { serviceId: SVC, endpointId: "vpce-0123456789abcdef0" };
const failuresOf = (args: Record<string, unknown>) => checkPrivateEndpoint({}, { ...base, ...args }).failures;

describe("checkPrivateEndpoint accepts", () => {
    it.each<[string, Record<string, unknown>]>([
        ["aws endpoint", {}],
        ["with description", { description: "prod VPC" }],
        ["gcp connection id", { endpointId: "123456789012" }],
        ["azure resource guid", { endpointId: "8e2a2b0c-1d3f-4a5b-9c6d-7e8f9a0b1c2d" }],
        ["unknowns", { serviceId: UNKNOWN, endpointId: UNKNOWN }],
        ["hidden keys", { __creation: "p/s/n" }],
    ])("%s", (_name, args) => expect(failuresOf(args)).toEqual([]));
});

describe("checkPrivateEndpoint refuses", () => {
    it.each<[string, Record<string, unknown>, string, string[]]>([
        ["missing serviceId", { serviceId: undefined }, "serviceId", ['"serviceId" is required']],
        ["serviceId not a uuid", { serviceId: "prod" }, "serviceId", ['"prod"', "UUID"]],
        ["missing endpointId", { endpointId: undefined }, "endpointId", ['"endpointId" is required']],
        ["empty endpointId", { endpointId: "" }, "endpointId", ['"endpointId" is required']],
        ["endpointId with spaces", { endpointId: "vpce 123" }, "endpointId", ['"vpce 123"', "without spaces"]],
        ["two ids in one", { endpointId: "vpce-1,vpce-2" }, "endpointId", ['"vpce-1,vpce-2"', "commas"]],
        ["endpointId not a string", { endpointId: 42 }, "endpointId", ["must be a string", "42"]],
        ["description not a string", { description: true }, "description", ["must be a string", "true"]],
        ["description too long", { description: "x".repeat(300) }, "description", ["300 characters", "at most 255"]],
        ["unknown key", { vpcId: "vpc-1" }, "vpcId", ['unknown property "vpcId"', "endpointId"]],
    ])("%s", (_name, args, property, words) => {
        const failure = failuresOf(args).find((f) => f.property === property);
        expect(failure).toBeDefined();
        for (const w of words) expect(failure!.reason).toContain(w);
    });
});

describe("diffPrivateEndpoint: every change replaces, deleting first", () => {
    const olds = {
        ...base,
        description: "a",
        cloudProvider: "aws",
        region: "us-east-1",
        endpointServiceId: "com.amazonaws.vpce.x",
        privateDnsHostname: "h",
    };
    it.each<[string, Record<string, unknown>, string[]]>([
        ["same", { ...base, description: "a" }, []],
        ["outputs are not inputs", { ...base, description: "a", region: undefined }, []],
        ["description replaces", { ...base, description: "b" }, ["description"]],
        ["removing description replaces", { ...base }, ["description"]],
        ["endpoint replaces", { ...base, endpointId: "vpce-0000000000000000a", description: "a" }, ["endpointId"]],
        ["service replaces", { ...base, serviceId: "3b1c7a3e-0d5f-4b6a-8e9f-1a2b3c4d5e6f", description: "a" }, ["serviceId"]],
        ["unknown endpoint replaces", { ...base, endpointId: UNKNOWN, description: "a" }, ["endpointId"]],
        ["unknown description replaces", { ...base, description: UNKNOWN }, ["description"]],
        [
            "all three",
            { serviceId: UNKNOWN, endpointId: "vpce-0000000000000000b", description: "c" },
            ["serviceId", "endpointId", "description"],
        ],
        ["hidden key ignored", { ...base, description: "a", __creation: "x/y/z" }, []],
    ])("%s", (_name, news, replaces) => {
        const d = diffPrivateEndpoint("vpce-0123456789abcdef0", olds, news);
        expect(d.replaces.sort()).toEqual(replaces.sort());
        expect(d.changes).toBe(replaces.length > 0);
        expect(d.deleteBeforeReplace === true).toBe(replaces.length > 0);
    });
});
