/**
 * Locale-independent ordering. `localeCompare` follows the machine's locale and ICU build
 * (numeric collation puts "a9" before "a10", others ignore '-'), so anything that shapes
 * resource names, registration order or output must sort with this instead.
 */

/** Orders strings by Unicode code point, the same on every machine. */
export function byCodePoint(a: string, b: string): number {
    if (a === b) {
        return 0;
    }
    const ia = a[Symbol.iterator]();
    const ib = b[Symbol.iterator]();
    for (;;) {
        const ca = ia.next();
        const cb = ib.next();
        if (ca.done || cb.done) {
            return ca.done ? (cb.done ? 0 : -1) : 1;
        }
        const d = (ca.value.codePointAt(0) as number) - (cb.value.codePointAt(0) as number);
        if (d !== 0) {
            return d < 0 ? -1 : 1;
        }
    }
}

/** For `Object.entries(...).sort(byKey)`: entries ordered by key, by code point. */
export function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
    return byCodePoint(a[0], b[0]);
}
