/**
 * The provider text stored in `__provider`, run the way the dynamic-provider host runs it: as a
 * CommonJS module whose `handler()` gives the provider. Every method loads the package's runtime
 * at call time and forwards to the handlers of the text's kind; a missing package is named.
 */
import * as vm from "vm";
import { PLUGIN_KINDS } from "../../provider/plugin/tokens";
import { ResourceKind, shimText } from "../../provider/shim";

/** Every kind a state can hold: the six resources and the dynamic face's ownership record. */
const KINDS: ResourceKind[] = [...PLUGIN_KINDS, "StackOwnership"];

type Provider = Record<string, (...args: unknown[]) => Promise<unknown>>;

/** Loads `text` as the host does, with `requireImpl` standing in for the module's `require`. */
function load(text: string, requireImpl: (id: string) => unknown): Provider {
    const module = { exports: {} as { handler?: () => Provider } };
    vm.runInThisContext(`(function (exports, require, module, process) {${text}\n})`)(module.exports, requireImpl, module, process);
    return module.exports.handler!();
}

describe("shimText", () => {
    it.each(KINDS)("%s: forwards every method to the runtime's handlers of its kind, loading the runtime at call time", async (kind) => {
        const calls: unknown[][] = [];
        const required: string[] = [];
        const runtime = {
            configure: async (req: unknown) => calls.push(["configure", req]),
            handlers: (k: string) =>
                new Proxy(
                    {},
                    {
                        get:
                            (_t, method: string) =>
                            async (...args: unknown[]) => {
                                calls.push([k, method, ...args]);
                                return `${k}.${method}`;
                            },
                    },
                ),
        };
        const provider = load(shimText(kind), (id) => {
            required.push(id);
            return runtime;
        });
        // Nothing is loaded until a method runs.
        expect(required).toEqual([]);
        expect(Object.keys(provider).sort()).toEqual(["check", "configure", "create", "delete", "diff", "read", "update"]);
        await provider.configure({ config: 1 });
        expect(await provider.check({ a: 1 }, { a: 2 })).toBe(`${kind}.check`);
        expect(await provider.diff("id-1", { a: 1 }, { a: 2 })).toBe(`${kind}.diff`);
        expect(await provider.create({ a: 2 })).toBe(`${kind}.create`);
        expect(await provider.read("id-1", { a: 2 })).toBe(`${kind}.read`);
        expect(await provider.update("id-1", { a: 1 }, { a: 2 })).toBe(`${kind}.update`);
        expect(await provider.delete("id-1", { a: 2 })).toBe(`${kind}.delete`);
        expect(calls).toEqual([
            ["configure", { config: 1 }],
            [kind, "check", { a: 1 }, { a: 2 }],
            [kind, "diff", "id-1", { a: 1 }, { a: 2 }],
            [kind, "create", { a: 2 }],
            [kind, "read", "id-1", { a: 2 }],
            [kind, "update", "id-1", { a: 1 }, { a: 2 }],
            [kind, "delete", "id-1", { a: 2 }],
        ]);
        expect(new Set(required)).toEqual(new Set(["pulumi-clickhouse-cloud/runtime"]));
    });

    it("names the missing package and where the program runs; other load errors pass through", async () => {
        const missing = load(shimText("Service"), () => {
            throw Object.assign(new Error("Cannot find module 'pulumi-clickhouse-cloud/runtime'"), { code: "MODULE_NOT_FOUND" });
        });
        await expect(missing.check({}, {})).rejects.toThrow(
            `pulumi-clickhouse-cloud is not installed where this Pulumi program runs (${process.cwd()}): run "npm install pulumi-clickhouse-cloud".`,
        );
        const broken = load(shimText("Service"), () => {
            throw new SyntaxError("Unexpected token");
        });
        await expect(broken.check({}, {})).rejects.toThrow(SyntaxError);
    });

    it("is small, and has no value in it but the kind", () => {
        for (const kind of KINDS) {
            const text = shimText(kind);
            expect(text.length).toBeLessThan(1500);
            expect(text.replace(JSON.stringify(kind), '"K"')).toBe(shimText("Service").replace('"Service"', '"K"'));
        }
    });
});
