/**
 * The client of the configuration in force, for code that is handed none: the resources' handlers
 * (stack configuration, else environment) and the read functions (their `opts.config`).
 */
import { currentConfig, ProviderConfig } from "../config";
import { ApiClient, getClient } from "./client";

/** The shared client for `config`, or for the configuration in force (stack config, else environment). */
export function apiClient(config?: ProviderConfig): ApiClient {
    return getClient(config ?? currentConfig());
}
