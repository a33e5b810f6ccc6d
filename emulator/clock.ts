/**
 * The emulator's virtual clock: wall time plus an offset that `advance(seconds)` grows. Every lifecycle
 * transition is computed lazily from timestamps on this clock, so advancing it moves every object at once.
 */
export class Clock {
    constructor(public offsetMs = 0) {}
    now(): number {
        return Date.now() + this.offsetMs;
    }
    advance(seconds: number): void {
        this.offsetMs += Math.max(0, seconds) * 1000;
    }
}
