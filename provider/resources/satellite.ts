/**
 * Re-exports only: what the resources attached to a service share now lives in modules named for
 * what it is (../api/current, ../api/notFound, ./hidden, ./owningService, ./read). Kept for the
 * files that still import from here (Service, ClickPipe, StackOwnership, tests) until they import
 * from those modules; then this file goes.
 */
export { apiClient } from "../api/current";
export { getOrUndefined, ignoreNotFound } from "../api/notFound";
export { hiddenOf, labelOf, resourceName } from "./hidden";
export {
    checkServiceId, describeService, ensureServiceRunning, isDevelopment, requireService, resourceError, serviceWait, STABLE_SERVICE_STATES,
    withServiceAwake,
} from "./owningService";
export { GONE, keepOrder, pickSet } from "./read";
