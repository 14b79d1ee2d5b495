import { checkInputs } from "../provider/dynamic/check";
import { diffInputs } from "../provider/dynamic/diff";
import { definition } from "../provider/registry";
const conn = { host: "127.0.0.1", port: 2222, privateKey: "x".repeat(400), hostKey: "ssh-ed25519 AAAA" };
const owner = "urn:pulumi:dev::bench::pulumi-nodejs:dynamic/netns:Namespace::h1";
const items: Array<[string, Record<string, unknown>]> = [];
for (let i = 0; i < 200; i++) {
  items.push(["Namespace", { name: `pn-h${i}`, connection: conn, owner }]);
  items.push(["VethPair", { name: "eth0", namespace: `pn-h${i}`, peerName: `pn-v${i}`, connection: conn, owner }]);
  items.push(["OvsPort", { bridge: "pn-br", name: `pn-v${i}`, tag: i + 1, connection: conn, owner }]);
  items.push(["Address", { namespace: `pn-h${i}`, device: "eth0", cidr: `10.100.${i}.1/24`, connection: conn, owner }]);
}
for (let round = 0; round < 3; round++) {
  const t = process.hrtime.bigint();
  for (const [k, v] of items) {
    const c = checkInputs(definition(k), v);
    diffInputs(definition(k), c.inputs, c.inputs);
  }
  console.log(`round ${round}: ${Number(process.hrtime.bigint() - t) / 1e6} ms for ${items.length}`);
}
