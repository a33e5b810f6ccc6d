/** What the provider, its shared rate budget and the emulator's data-file lock ask of other processes. */

/** True unless `pid` certainly does not exist on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
    if (!Number.isInteger(pid) || pid <= 0) return false;
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}
