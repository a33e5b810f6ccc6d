import * as pulumi from "@pulumi/pulumi";
import { secretInputs } from "../../provider/resources/service";

// Found by the reliability suite: a password read from the environment as a plain string was
// stored in plain text among the state's inputs and printed by `preview --diff`.
describe("Service secret arguments", () => {
    it("marks password, hashes and encryption key secret, even when given as plain strings", async () => {
        const out = secretInputs({
            name: "n",
            provider: "aws",
            region: "us-east-1",
            password: "plain-pw",
            passwordHash: "h",
            doubleSha1PasswordHash: "d",
            encryptionKey: "k",
        } as never);
        expect(Object.keys(out).sort()).toEqual(["doubleSha1PasswordHash", "encryptionKey", "password", "passwordHash"]);
        for (const v of Object.values(out)) {
            expect(pulumi.Output.isInstance(v)).toBe(true);
            expect(await (v as unknown as { isSecret: Promise<boolean> }).isSecret).toBe(true);
        }
    });

    it("leaves unset arguments unset", () => {
        expect(secretInputs({ name: "n", provider: "aws", region: "us-east-1" } as never)).toEqual({});
    });
});
