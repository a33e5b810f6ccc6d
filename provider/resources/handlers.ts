/**
 * The typed CRUD contract of one resource kind, {@link Handlers}, as the runtime dispatches it,
 * with a compile-time proof that it is the SDK's dynamic `ResourceProvider` contract.
 */
import type * as pulumi from "@pulumi/pulumi";

/**
 * The CRUD of one resource kind, as the runtime dispatches it: the SDK's
 * {@link pulumi.dynamic.ResourceProvider} contract with every method present (and `outs` always
 * returned), typed by the kind's plain inputs `I` (what `check` returns and `create`/`update`
 * receive) and outputs `O` (what the engine records and `diff`/`read`/`delete` receive). The
 * contracts, in words:
 * - `check` validates without calling the API and returns the inputs to record;
 * - `diff` compares recorded outputs with new inputs, and never calls the API;
 * - `create` either creates the object and returns its id and full outputs, or, when the API
 *   accepted it but what followed failed, throws a `ResourceInitError` (./partialFailure.ts) carrying the id;
 * - `update` returns the full outputs (a missing field would shrink the state to `__provider`);
 * - `read` returns the current outputs and inputs, or an empty id when the object is gone;
 * - `delete` succeeds when the object is gone, whoever removed it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Handlers<I = any, O = any> {
    check(olds: I, news: I): Promise<pulumi.dynamic.CheckResult<I>>;
    diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    read(id: string, props?: O): Promise<pulumi.dynamic.ReadResult<O>>;
    update(id: string, olds: O, news: I): Promise<{ outs: O }>;
    delete(id: string, props: O): Promise<void>;
}

/** Compile-time proof that {@link Handlers} is the SDK's contract: a compile error here means they drifted apart. */
export type HandlersAreResourceProviders<I, O> =
    Handlers<I, O> extends Required<Pick<pulumi.dynamic.ResourceProvider<I, O>, "check" | "diff" | "create" | "read" | "update" | "delete">>
        ? true
        : never;
const handlersAreResourceProviders: HandlersAreResourceProviders<Record<string, unknown>, Record<string, unknown>> = true;
void handlersAreResourceProviders;
