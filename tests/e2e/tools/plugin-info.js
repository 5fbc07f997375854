#!/usr/bin/env node
// plugin-info.js <provider-binary>: prints the version a Pulumi resource provider reports for
// itself (the ResourceProvider.GetPluginInfo gRPC call, the same call the engine makes), e.g. 4.25.0.
//
// Why not `go version -m`: it does not record -ldflags for a -trimpath build, so the version
// stamped with -X cannot be read from the build info. Asking the running binary is the honest
// check: pulumi-kubernetes answers GetPluginInfo with pkg/version.Version (provider.go
// GetPluginInfo), whatever name or version the plugin is installed under.
//
// The provider is started with no engine address: pulumi/pkg resource/provider.MainContext then
// serves in "attach mode" and prints its port on stdout. Plain JS (no ts-node), deps from the
// repo's node_modules (@grpc/grpc-js and the @pulumi/pulumi protos). Exit 1 with a message on error.
"use strict";
const child_process = require("child_process");
const path = require("path");

const repo = path.resolve(__dirname, "..", "..", "..");
const req = (m) => require(require.resolve(m, { paths: [repo] }));

async function main() {
    const bin = process.argv[2];
    if (!bin) throw new Error("usage: plugin-info.js <provider-binary>");
    const grpc = req("@grpc/grpc-js");
    const { ResourceProviderClient } = req("@pulumi/pulumi/proto/provider_grpc_pb.js");
    const { Empty } = req("google-protobuf/google/protobuf/empty_pb.js");

    const child = child_process.spawn(bin, [], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    try {
        const port = await new Promise((resolve, reject) => {
            let out = "";
            const timer = setTimeout(() => reject(new Error(`no port on stdout within 60 s; stderr: ${stderr}`)), 60_000);
            child.stdout.on("data", (d) => {
                out += d;
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code) => reject(new Error(`exited (${code}) before printing a port; stderr: ${stderr}`)));
        });
        const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
        const info = await new Promise((resolve, reject) =>
            client.getPluginInfo(new Empty(), { deadline: Date.now() + 30_000 }, (err, res) => (err ? reject(err) : resolve(res))),
        );
        client.close();
        process.stdout.write(`${info.getVersion()}\n`);
    } finally {
        child.kill("SIGKILL");
    }
}

main().then(
    () => process.exit(0),
    (err) => {
        process.stderr.write(`plugin-info: ${err.message}\n`);
        process.exit(1);
    },
);
