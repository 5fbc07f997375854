/**
 * Live objects → stack config: what `npm run adopt` writes for a running, Helm-installed mesh,
 * and the adoption report (what is adopted, what is left alone, what blocks adoption and how to
 * unblock it, what the first `up` would change). Pure; the stack config it produces is checked
 * against the program's own value functions in `verify.ts`.
 */
import { DEFAULT_TAG, JsonMap } from "../config/model";
import { DEFAULTS } from "../config/defaults";
import { tagServiceName, tagWebhookName } from "../tags/webhooks";
import { compareVersions, mustParseVersion, revisionNameFor, versionProblem } from "../versions/version";
import { AdoptConfig } from "./config";
import { entryOf, helmOwner, HelmListEntry, KubeObject, label, LiveMesh, splitChart } from "./live";
import { liftControlPlane, LiveRevision } from "./controlPlane";
import { defaultsFor, isMap, renderedValue, withoutPath } from "./values";

export type FindingKind =
    /** Adoption cannot proceed: nothing is written. */
    | "blocker"
    /** Running, left as it is, not managed by the stack. */
    | "left-alone"
    /** The first `up` would change this in the cluster (needs --accept-changes). */
    | "change"
    /** Worth knowing; changes nothing that runs. */
    | "note";

export interface Finding {
    readonly kind: FindingKind;
    /** The object, e.g. `release istio-system/istiod-1-28-3`, `namespace bookinfo`. */
    readonly subject: string;
    readonly message: string;
    /** The manual step that unblocks or avoids it. */
    readonly fix?: string;
}

/** One existing object the first `up` imports instead of creating. */
export interface AdoptedObject {
    /** Pulumi type token. */
    readonly type: string;
    /** Import id (`<namespace>/<name>` or `<name>`). */
    readonly id: string;
    /** The program's resource name for it. */
    readonly resource: string;
}

export interface Adoption {
    /** The `istio-mesh:mesh` config that describes what runs (undefined when blocked before it could be built). */
    readonly mesh?: JsonMap;
    readonly findings: readonly Finding[];
    readonly imports: readonly AdoptedObject[];
    /** Existing namespaces the stack labels (NamespacePatch, forced): nothing to import. */
    readonly labelled: readonly string[];
}

const TAG_LABEL = "istio.io/tag";
const REV_LABEL = "istio.io/rev";
const INJECTION_LABEL = "istio-injection";
const BASE_RELEASE = "istio-base";
/** The Mesh component's name in index.ts; children are named `${MESH}-...` (components/mesh/mesh.ts). */
const MESH = "mesh";

interface Revision extends LiveRevision {
    readonly release: HelmListEntry;
}

/** Maps a running mesh to stack config; `findings` says everything it could not (or would change). */
export function adoptMesh(live: LiveMesh): Adoption {
    const findings: Finding[] = [];
    const imports: AdoptedObject[] = [];
    const block = (subject: string, message: string, fix: string) => findings.push({ kind: "blocker", subject, message, fix });
    const leave = (subject: string, message: string, fix?: string) => findings.push({ kind: "left-alone", subject, message, fix });
    const note = (subject: string, message: string) => findings.push({ kind: "note", subject, message });
    const ns = live.namespace;
    const valuesOf = (r: HelmListEntry): JsonMap => {
        const v = entryOf(live.values, `${r.namespace}/${r.name}`);
        return isMap(v) ? v : {};
    };

    // --- Helm releases, by chart --------------------------------------------------------------
    const istio = live.releases.filter((r) => ["base", "istiod", "gateway", "cni", "ztunnel", "istio-cni"].includes(splitChart(r.chart).name));
    for (const r of istio) {
        if (r.status !== "deployed") {
            block(`release ${r.namespace}/${r.name}`, `is ${r.status}, not deployed`, r.status.startsWith("pending-install") ? `helm uninstall ${r.name} -n ${r.namespace}, or finish it, then run adopt again` : `helm rollback ${r.name} -n ${r.namespace}, then run adopt again`);
        }
        const { version } = splitChart(r.chart);
        const vp = versionProblem(version);
        if (vp !== undefined) {
            block(`release ${r.namespace}/${r.name}`, `chart ${r.chart}: ${vp}`, "upgrade it with Helm to Istio 1.22–1.30 (or run a supported canary beside it and remove it), then run adopt again");
        }
    }
    const supported = (r: HelmListEntry) => r.status === "deployed" && versionProblem(splitChart(r.chart).version) === undefined;
    for (const r of istio.filter((r) => ["cni", "istio-cni", "ztunnel"].includes(splitChart(r.chart).name))) {
        block(`release ${r.namespace}/${r.name}`, `chart ${splitChart(r.chart).name} is not managed by this program (CNI and ambient are not supported yet)`, "adopt is all or nothing: keep this cluster on Helm until CNI support lands");
    }

    // Control planes: one istiod release per revision, named istiod-<revision> in the control-plane namespace.
    const revisions: Revision[] = [];
    for (const r of istio.filter((x) => splitChart(x.chart).name === "istiod")) {
        const values = valuesOf(r);
        const version = splitChart(r.chart).version;
        const revision = typeof values.revision === "string" ? values.revision : "";
        const subject = `release ${r.namespace}/${r.name}`;
        if (revision === "") {
            block(subject, "istiod installed without a revision: the program manages revisioned control planes only (release istiod-<revision>, revision=<revision>)", "install a revisioned control plane beside it (helm install istiod-<rev> istio/istiod --set revision=<rev>), move tags and namespaces to it, `helm uninstall` this one, then run adopt again");
        } else if (r.name !== `istiod-${revision}`) {
            block(subject, `revision "${revision}" is installed as release "${r.name}"; the program names it "istiod-${revision}" (a Helm release cannot be renamed)`, `install istiod-${revision}-style release names through a canary (a new revision), or keep this mesh on Helm`);
        } else if (r.namespace !== ns) {
            block(subject, `is in namespace ${r.namespace}, not the control-plane namespace ${ns}`, `run adopt with --namespace ${r.namespace}`);
        } else if (supported(r)) {
            revisions.push({ name: revision, version, release: r, values, defaults: defaultsFor(entryOf(live.computed, `${r.namespace}/${r.name}`), "istiod", version) });
        }
    }
    revisions.sort((a, b) => a.name.localeCompare(b.name));
    const revisionNames = new Set(revisions.map((r) => r.name));

    // istiod Deployments no Helm release owns: an istioctl (or operator) install.
    const withoutHelm = new Set<string>();
    for (const d of live.deployments) {
        if (label(d, "app") !== "istiod" || helmOwner(d) !== undefined) {
            continue;
        }
        const rev = label(d, REV_LABEL) ?? "default";
        withoutHelm.add(rev);
        block(
            `deployment ${ns}/${d.metadata.name}`,
            `control plane "${rev}" was installed without Helm (istioctl install or the operator): the program cannot adopt it, and its base objects (CRDs, istiod-default-validator) are owned by that install, not by a Helm release`,
            "migrate to Helm first as Istio documents it: install a Helm-managed revision beside it (helm install istio-base istio/base --take-ownership; helm install istiod-<rev> istio/istiod --set revision=<rev>), move tags and namespaces to it, `istioctl uninstall --revision " + rev + "`, then run adopt",
        );
    }
    if (istio.length === 0 && live.deployments.every((d) => label(d, "app") !== "istiod")) {
        block(`namespace ${ns}`, "no Istio Helm release and no istiod found", "check --context/--namespace; for a new mesh, write the stack file by hand (see the README) instead of adopting");
    }

    // Base: release istio-base in the control-plane namespace.
    const bases = istio.filter((r) => splitChart(r.chart).name === "base");
    const base = bases.find((r) => r.name === BASE_RELEASE && r.namespace === ns);
    for (const r of bases.filter((x) => x !== base)) {
        block(`release ${r.namespace}/${r.name}`, `the base chart is installed as "${r.namespace}/${r.name}"; the program manages it as "${ns}/${BASE_RELEASE}" (a Helm release cannot be renamed)`, "keep this mesh on Helm, or reinstall base under the name istio-base (CRDs stay: they are marked helm.sh/resource-policy: keep)");
    }
    if (base === undefined && bases.length === 0 && revisions.length > 0) {
        block(`release ${ns}/${BASE_RELEASE}`, "no base chart release: the CRDs were installed some other way", `helm install ${BASE_RELEASE} istio/base -n ${ns} --version <newest revision's version> --take-ownership, then run adopt`);
    }
    const newest = revisions.map((r) => mustParseVersion(r.version)).sort(compareVersions).at(-1);
    if (base !== undefined && newest !== undefined && supported(base)) {
        const bv = mustParseVersion(splitChart(base.chart).version);
        if (compareVersions(bv, newest) > 0) {
            block(`release ${ns}/${BASE_RELEASE}`, `base is at ${bv.text}, newer than every istiod (${newest.text}); the stack installs base at the newest revision's version and would downgrade the CRDs`, `install a ${bv.text} revision beside the others (helm install istiod-${revisionNameFor(bv.text)} ...) or upgrade one, then run adopt`);
        } else if (compareVersions(bv, newest) < 0) {
            findings.push({ kind: "change", subject: `release ${ns}/${BASE_RELEASE}`, message: `the first up upgrades base from ${bv.text} to ${newest.text} (the stack keeps base at the newest revision's version)` });
        }
    }

    // --- Tags: MutatingWebhookConfigurations labelled istio.io/tag -----------------------------
    const tags: Record<string, string> = {};
    let defaultRevision: string | undefined;
    const tagWebhooks = live.mutatingWebhookConfigurations.filter((m) => label(m, TAG_LABEL) !== undefined);
    for (const m of tagWebhooks) {
        const tag = label(m, TAG_LABEL) ?? "";
        const target = label(m, REV_LABEL) ?? "";
        const subject = `tag ${tag} (mutatingwebhookconfiguration ${m.metadata.name})`;
        const owner = helmOwner(m);
        if (owner !== undefined) {
            block(subject, `is rendered by Helm release ${owner} (revisionTags); the stack makes every tag its own resource and sets revisionTags: []`, `istioctl tag set ${tag} --revision ${target} --overwrite after removing "${tag}" from that release's revisionTags (helm upgrade --reuse-values --set revisionTags=null), then run adopt`);
            continue;
        }
        if (m.metadata.name !== tagWebhookName(tag, ns)) {
            block(subject, `the program names this tag's webhook "${tagWebhookName(tag, ns)}"`, `istioctl tag remove ${tag}; istioctl tag set ${tag} --revision ${target}, then run adopt`);
            continue;
        }
        if (withoutHelm.has(target)) {
            block(subject, `points at control plane "${target}", installed without Helm (see its deployment)`, "adopt it after that control plane is migrated to Helm");
            continue;
        }
        if (!revisionNames.has(target)) {
            block(subject, `points at revision "${target}", which is not installed (no istiod-${target} release): pods it selects get no sidecar today`, `istioctl tag set ${tag} --revision <one of: ${[...revisionNames].join(", ") || "none"}> --overwrite, or istioctl tag remove ${tag}; then run adopt`);
            continue;
        }
        if (revisionNames.has(tag)) {
            block(subject, `a tag may not share its name with a revision`, `istioctl tag remove ${tag}, then run adopt`);
            continue;
        }
        if (tag === DEFAULT_TAG) {
            defaultRevision = target;
        } else {
            tags[tag] = target;
        }
    }
    if (defaultRevision === undefined && revisions.length > 0) {
        const baseDefault = base === undefined ? undefined : valuesOf(base).defaultRevision;
        if (typeof baseDefault === "string" && revisionNames.has(baseDefault)) {
            defaultRevision = baseDefault;
            findings.push({ kind: "change", subject: `tag ${DEFAULT_TAG}`, message: `there is no default tag; the first up creates it for ${baseDefault} (base's defaultRevision): istio-injection=enabled namespaces and sidecar.istio.io/inject=true pods get injected by ${baseDefault}` });
        } else if (revisions.length === 1) {
            defaultRevision = revisions[0].name;
            findings.push({ kind: "change", subject: `tag ${DEFAULT_TAG}`, message: `there is no default tag; the first up creates it for ${revisions[0].name}, the only revision (istio-injection=enabled namespaces get injected by it)` });
        } else {
            block(`tag ${DEFAULT_TAG}`, "no default tag and base names no installed revision: the stack needs a default revision", `istioctl tag set default --revision <one of ${[...revisionNames].join(", ")}>, then run adopt`);
        }
    }
    const refs = new Set([...revisionNames, ...Object.keys(tags), DEFAULT_TAG]);

    // --- Namespaces -----------------------------------------------------------------------------
    const namespaces: Record<string, string> = {};
    for (const n of live.namespaces) {
        const name = n.metadata.name;
        const rev = label(n, REV_LABEL);
        const injection = label(n, INJECTION_LABEL);
        if (rev === undefined && injection === undefined) {
            continue;
        }
        const subject = `namespace ${name}`;
        if (name === ns) {
            leave(subject, "the control-plane namespace is never injected by the stack; its labels stay as they are");
            continue;
        }
        if (rev !== undefined && injection !== undefined) {
            block(subject, `has both istio-injection=${injection} and istio.io/rev=${rev}; istio-injection wins today (${injection === "enabled" ? "the default revision injects it" : "nothing injects it"}), and the stack would remove istio-injection on its first up, switching it to "${rev}"`, `decide which one is meant: kubectl label namespace ${name} istio-injection- (follow "${rev}") or kubectl label namespace ${name} istio.io/rev- (keep istio-injection); then run adopt`);
            continue;
        }
        if (rev === undefined) {
            leave(subject, injection === "enabled" ? "uses istio-injection=enabled: it keeps working through the default tag the stack manages, but its label is not the stack's" : `istio-injection=${injection}: not in the mesh`, injection === "enabled" ? `to manage it: kubectl label namespace ${name} istio.io/rev=default istio-injection- (same revision, no restart needed), then run adopt again` : undefined);
            continue;
        }
        if (!refs.has(rev)) {
            block(subject, `istio.io/rev=${rev} names no installed revision or tag: its pods get no sidecar today`, `kubectl label namespace ${name} istio.io/rev=<tag or revision> --overwrite (then restart its workloads), or kubectl label namespace ${name} istio.io/rev-; then run adopt`);
            continue;
        }
        namespaces[name] = rev;
    }

    // --- Gateways: releases of the gateway chart --------------------------------------------------
    const gateways: Record<string, JsonMap> = {};
    for (const r of istio.filter((x) => splitChart(x.chart).name === "gateway" && supported(x))) {
        const values = valuesOf(r);
        const subject = `release ${r.namespace}/${r.name}`;
        if (Object.hasOwn(gateways, r.name)) {
            block(subject, `a second gateway release named ${r.name}: stack gateways are keyed by release name`, "keep one of them on Helm (uninstall the other from Helm's records is not possible without deleting it): adopt is all or nothing");
            continue;
        }
        const rev = typeof values.revision === "string" && values.revision !== "" ? values.revision : DEFAULT_TAG;
        if (!refs.has(rev)) {
            block(subject, `follows "${rev}", which names no installed revision or tag`, `helm upgrade ${r.name} istio/gateway -n ${r.namespace} --reuse-values --set revision=<tag or revision>, then run adopt`);
            continue;
        }
        const v = splitChart(r.chart).version;
        const d = defaultsFor(entryOf(live.computed, `${r.namespace}/${r.name}`), "gateway", v);
        const svc = renderedValue(values, d, ["service", "type"]);
        const gw: JsonMap = {
            namespace: r.namespace,
            revision: rev,
            service: { type: svc },
            autoscaling: {
                enabled: renderedValue(values, d, ["autoscaling", "enabled"]),
                minReplicas: renderedValue(values, d, ["autoscaling", "minReplicas"]),
                maxReplicas: renderedValue(values, d, ["autoscaling", "maxReplicas"]),
            },
            // Not restarted by tag moves until the user opts in: the annotation that rolls the pods
            // would itself roll them on the first up.
            restart: false,
        };
        if (typeof values.replicaCount === "number") {
            gw.replicas = values.replicaCount;
        }
        if (isMap(values.labels) && Object.keys(values.labels).length > 0) {
            gw.labels = values.labels;
        }
        let rest = values;
        for (const p of [["revision"], ["replicaCount"], ["autoscaling", "enabled"], ["autoscaling", "minReplicas"], ["autoscaling", "maxReplicas"], ["service", "type"], ["labels"]]) {
            rest = withoutPath(rest, p);
        }
        if (Object.keys(rest).length > 0) {
            gw.values = rest;
        }
        gateways[r.name] = gw;
        note(subject, "restart: false: tag moves will not roll this gateway until you set restart: true (that change rolls its pods once)");
    }

    // --- Control plane settings: shared by all revisions; a revision that differs keeps its own values.
    const { controlPlane, hub, revisions: revisionList } = liftControlPlane(revisions, ns);

    // --- What the first up imports -----------------------------------------------------------
    if (base !== undefined && supported(base)) {
        imports.push({ type: "kubernetes:helm.sh/v3:Release", id: `${ns}/${BASE_RELEASE}`, resource: `${MESH}-base-release` });
    }
    for (const r of revisions) {
        imports.push({ type: "kubernetes:helm.sh/v3:Release", id: `${ns}/${r.release.name}`, resource: `${MESH}-rev-${r.name}-istiod` });
    }
    const allTags = { ...tags, ...(defaultRevision === undefined ? {} : { [DEFAULT_TAG]: defaultRevision }) };
    for (const [tag, target] of Object.entries(allTags).sort(([a], [b]) => a.localeCompare(b))) {
        const webhook = tagWebhookName(tag, ns);
        if (tagWebhooks.some((m) => m.metadata.name === webhook)) {
            imports.push({ type: "kubernetes:admissionregistration.k8s.io/v1:MutatingWebhookConfiguration", id: webhook, resource: `${MESH}-tag-${tag}-webhook` });
        }
        const version = revisions.find((r) => r.name === target)?.version ?? "";
        const wantsService = mustParseVersion(version).minor >= 28;
        const service = live.services.find((s) => s.metadata.name === tagServiceName(tag));
        if (wantsService && service !== undefined) {
            imports.push({ type: "kubernetes:core/v1:Service", id: `${ns}/${service.metadata.name}`, resource: `${MESH}-tag-${tag}-service` });
        } else if (wantsService) {
            findings.push({ kind: "change", subject: `tag ${tag}`, message: `the first up creates Service ${ns}/${tagServiceName(tag)} (istiod 1.28+ renders one per tag; nothing calls it until the tag's webhook does)` });
        } else if (service !== undefined) {
            leave(`service ${ns}/${service.metadata.name}`, `the stack manages tag Services only for 1.28+ revisions; this one stays as it is`);
        }
    }
    for (const [name, gw] of Object.entries(gateways)) {
        imports.push({ type: "kubernetes:helm.sh/v3:Release", id: `${gw.namespace}/${name}`, resource: `${MESH}-gw-${name}-release` });
    }
    for (const r of live.releases.filter((x) => !istio.includes(x))) {
        if (r.namespace === ns) {
            leave(`release ${r.namespace}/${r.name}`, `chart ${r.chart} is not an Istio chart the stack manages`);
        }
    }
    const releaseCount = imports.filter((i) => i.type.endsWith(":Release")).length;
    if (releaseCount > 0) {
        note(
            "helm releases",
            `the first up runs one \`helm upgrade\` per adopted release (${releaseCount}): the provider's import reads chart, version and values but not the settings only Pulumi has (repository, timeout, history limit, resetValues), so it records them; same chart version, and values that render as today (checked above), so no object the release renders changes; Helm records a new release revision`,
        );
    }
    if (imports.length > 0) {
        note("ownership", "tag webhooks and Services are applied with pulumi.com/patchForce: the first up takes over the fields istioctl owned and adds the label app.kubernetes.io/managed-by=istio-mesh; namespaces keep their labels (the stack applies istio.io/rev under field manager istio-mesh-rev, forced)");
    }

    const adopt: AdoptConfig = {
        releases: imports.filter((i) => i.type.endsWith(":Release")).map((i) => i.id).sort(),
        mutatingWebhookConfigurations: imports.filter((i) => i.type.endsWith(":MutatingWebhookConfiguration")).map((i) => i.id).sort(),
        services: imports.filter((i) => i.type.endsWith(":Service")).map((i) => i.id).sort(),
        namespaces: Object.keys(namespaces).sort(),
    };
    const mesh: JsonMap | undefined =
        revisions.length === 0
            ? undefined
            : {
                  ...(ns === DEFAULTS.namespace ? {} : { namespace: ns }),
                  ...(hub === undefined || hub === DEFAULTS.hub ? {} : { hub }),
                  revisions: revisionList,
                  ...(Object.keys(tags).length > 0 ? { tags } : {}),
                  ...(defaultRevision === undefined ? {} : { defaultRevision }),
                  ...(Object.keys(namespaces).length > 0 ? { namespaces: Object.fromEntries(Object.entries(namespaces).sort(([a], [b]) => a.localeCompare(b))) } : {}),
                  ...(Object.keys(gateways).length > 0 ? { gateways } : {}),
                  controlPlane,
                  adopt: { ...adopt },
              };
    return { mesh, findings, imports, labelled: adopt.namespaces };
}
