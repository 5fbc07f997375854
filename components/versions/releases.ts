/**
 * The Istio releases that exist: for each supported minor, the newest released patch (Istio
 * publishes every patch from .0 up, none skipped). A version past it has not been released,
 * and `helm install` would fail to find its charts only once the change is already running.
 *
 * Source: the release announcements in github.com/istio/istio.io,
 * content/en/news/releases/1.NN.x/announcing-1.NN.P/ (1.NN.0 is announcing-1.NN/), read
 * 2026-12-01. To update it when Istio ships a patch: raise that minor's number here (and, for
 * a new minor, see NEWEST_SUPPORTED_MINOR in version.ts and the chart fixtures under tests/).
 */
export const NEWEST_PATCH: Readonly<Record<number, number>> = {
    22: 8,
    23: 6,
    24: 6,
    25: 5,
    26: 8,
    27: 9,
    28: 10,
    29: 8,
    30: 5,
};

/** Why 1.MINOR.PATCH is not a released Istio version (for a supported minor), or undefined. */
export function unreleasedProblem(text: string, minor: number, patch: number): string | undefined {
    const newest = NEWEST_PATCH[minor];
    if (newest === undefined || patch <= newest) return undefined;
    return `Istio ${text} has not been released: 1.${minor} patches are 1.${minor}.0 to 1.${minor}.${newest} (the newest known here; components/versions/releases.ts lists them and says how to add a newer one)`;
}
