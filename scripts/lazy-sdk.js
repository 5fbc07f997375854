/**
 * `node -r ./scripts/lazy-sdk.js`: defers the parts of the Pulumi SDK that an offline plan
 * never runs until something first uses them. `@pulumi/pulumi` loads, eagerly and on every
 * start, its Automation API, provider and dynamic-provider servers, and, for closure
 * serialization, all of TypeScript (9 MB of JavaScript) and npm's Arborist (with pacote,
 * sigstore, tuf ...): 1,139 modules where a plan needs 620, and about 0.9 s of the 3.6 s a
 * 1,000-namespace `npm run plan` took. The program under mocks registers resources and reads
 * config; it never serializes a function or drives a workspace.
 *
 * Each deferred module is a stand-in that loads the real one on first access to anything but
 * `__esModule` and forwards every operation to it, so a plan that does need one (a future SDK,
 * or code we do not expect) still gets the real module, only later. Only `npm run plan` and
 * `npm run bench` preload this; `pulumi up`, preview and the tests load the SDK as it is.
 */
"use strict";
const Module = require("module");

/** [who requires (path suffix), what it requires]: the only loads deferred. */
const DEFERRED = [
    [/[\\/]@pulumi[\\/]pulumi[\\/]index\.js$/, /^\.\/(automation|provider|dynamic)$/],
    [/[\\/]@pulumi[\\/]pulumi[\\/]typescript-shim\.js$/, /^typescript$/],
];

const load = Module._load;
Module._load = function (request, parent, isMain) {
    const from = parent?.filename ?? "";
    if (!DEFERRED.some(([who, what]) => who.test(from) && what.test(request))) {
        return load.apply(this, arguments);
    }
    const args = arguments;
    let real;
    const module = () => (real ??= load.apply(this, args));
    // `__esModule: true` keeps TypeScript's __importStar from copying (and so loading) the
    // module at require time; every other property is the real module's.
    return new Proxy(
        {},
        {
            get: (_, key) => (key === "__esModule" ? true : module()[key]),
            has: (_, key) => key in module(),
            ownKeys: () => Reflect.ownKeys(module()),
            getOwnPropertyDescriptor: (_, key) => {
                const d = Object.getOwnPropertyDescriptor(module(), key);
                return d === undefined ? undefined : { ...d, configurable: true };
            },
            set: (_, key, value) => Reflect.set(module(), key, value),
        },
    );
};
