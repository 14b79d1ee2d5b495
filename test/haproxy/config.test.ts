// The HAProxy config: rendered from inputs only, parsed back so a hand edit reads as the fields it changed.
import { strict as assert } from "node:assert";
import { checkInputs } from "../../provider/dynamic/check";
import { haproxyPaths, parseConfig, renderConfig } from "../../provider/haproxy/config";
import { haproxySchema } from "../../provider/haproxy/schema";
import { definition } from "../../provider/registry";

const inputs = haproxySchema.parse({
  namespace: "qlbaas-1",
  name: "lb",
  vip: "10.50.50.200",
  listeners: [{ port: 80, protocol: "http" }, { port: 443 }],
  members: [
    { name: "web1", address: "10.50.50.11", port: 8080 },
    { name: "web2", address: "10.50.50.12", port: 8080 },
  ],
  balance: "leastconn",
  healthCheck: { intervalMs: 500, timeoutMs: 300, rise: 1, fall: 3 },
});

describe("Haproxy config", () => {
  it("renders one frontend and backend per listener, with its files under the run directory only", () => {
    const text = renderConfig(inputs);
    assert.match(text, /pidfile \/run\/pulumi-netns\/haproxy\/qlbaas-1\.lb\.pid/);
    assert.match(text, /frontend listener-80\n {4}mode http\n {4}bind 10\.50\.50\.200:80/);
    assert.match(
      text,
      /backend pool-443\n {4}mode tcp\n {4}balance leastconn\n {4}server web1 10\.50\.50\.11:8080 check/,
    );
    assert.match(text, /default-server inter 500ms fastinter 500ms downinter 500ms rise 1 fall 3/);
    assert.doesNotMatch(text, /\/etc\//);
  });

  it("writes the whole file: globals, defaults with the health checks, a frontend and a backend per listener", () => {
    assert.equal(
      renderConfig(inputs),
      [
        "# pulumi-netns Haproxy qlbaas-1/lb: generated, changes by hand are reported as drift",
        "global",
        "    pidfile /run/pulumi-netns/haproxy/qlbaas-1.lb.pid",
        "    stats socket /run/pulumi-netns/haproxy/qlbaas-1.lb.sock mode 600 level admin expose-fd listeners",
        "    maxconn 4096",
        "defaults",
        "    timeout connect 5s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout check 300ms",
        "    default-server inter 500ms fastinter 500ms downinter 500ms rise 1 fall 3",
        "frontend listener-80",
        "    mode http",
        "    bind 10.50.50.200:80",
        "    default_backend pool-80",
        "backend pool-80",
        "    mode http",
        "    balance leastconn",
        "    server web1 10.50.50.11:8080 check",
        "    server web2 10.50.50.12:8080 check",
        "frontend listener-443",
        "    mode tcp",
        "    bind 10.50.50.200:443",
        "    default_backend pool-443",
        "backend pool-443",
        "    mode tcp",
        "    balance leastconn",
        "    server web1 10.50.50.11:8080 check",
        "    server web2 10.50.50.12:8080 check",
        "",
      ].join("\n"),
    );
    assert.deepEqual(haproxyPaths(inputs), {
      configPath: "/run/pulumi-netns/haproxy/qlbaas-1.lb.cfg",
      pidFile: "/run/pulumi-netns/haproxy/qlbaas-1.lb.pid",
      socket: "/run/pulumi-netns/haproxy/qlbaas-1.lb.sock",
    });
  });

  it("reads the members and balance of the first backend only, and the check timeout, whatever the spacing", () => {
    const text = renderConfig(inputs)
      .replace(
        "backend pool-443\n    mode tcp\n    balance leastconn",
        "backend pool-443\n    mode tcp\n    balance source",
      )
      .replace(/(backend pool-443[\s\S]*)server web2/, "$1server web9")
      .replace("    server web1 10.50.50.11:8080 check", "    server   web1   10.50.50.11:8080   check")
      .replace("timeout connect 5s", "timeout connect 7s");
    const seen = parseConfig(text);
    assert.equal(seen.balance, "leastconn", "the second backend's balance is not read");
    assert.deepEqual(
      seen.members.map((m) => m.name),
      ["web1", "web2"],
    );
    assert.equal(seen.members[0].address, "10.50.50.11", "blanks of any length between words");
    assert.equal(seen.healthCheck.timeoutMs, 300, "only `timeout check` is the check's");
    assert.deepEqual(parseConfig(""), {
      vip: "",
      listeners: [],
      members: [],
      balance: "roundrobin",
      healthCheck: { intervalMs: 0, timeoutMs: 0, rise: 0, fall: 0 },
    });
  });

  it("parses its own config back to the inputs, and a hand edit to what it says", () => {
    const { vip, listeners, members, balance, healthCheck } = inputs;
    assert.deepEqual(parseConfig(renderConfig(inputs)), { vip, listeners, members, balance, healthCheck });
    const edited = renderConfig(inputs)
      .replace(/ {4}server web2 .*\n/g, "")
      .replace("balance leastconn", "balance first");
    const seen = parseConfig(edited);
    assert.deepEqual(seen.members, [members[0]]);
    assert.equal(seen.balance, "first");
  });

  it("refuses ports 0 and 65536, an algorithm not in the list, names over the limits and newlines, naming the property", () => {
    const bad = (over: Record<string, unknown>) =>
      checkInputs(definition("Haproxy"), {
        namespace: "qlbaas-1",
        name: "lb",
        vip: "10.50.50.200",
        listeners: [{ port: 80 }],
        ...over,
      }).failures.map((f) => `${f.property}: ${f.reason}`);
    assert.match(bad({ listeners: [{ port: 0 }] }).join(), /listeners\.0\.port: must be a port from 1 to 65535/);
    assert.match(
      bad({ members: [{ name: "a", address: "10.0.0.1", port: 65536 }] }).join(),
      /members\.0\.port: must be a port/,
    );
    assert.match(bad({ balance: "random" }).join(), /balance: must be one of roundrobin, leastconn, source, first/);
    assert.match(
      bad({ members: [{ name: "a".repeat(33), address: "10.0.0.1", port: 80 }] }).join(),
      /members\.0\.name: must be 1-32/,
    );
    assert.match(
      bad({ members: [{ name: "a\nb", address: "10.0.0.1", port: 80 }] }).join(),
      /members\.0\.name: must be 1-32/,
    );
    assert.match(
      bad({ members: [{ name: "a", address: "10.0.0.1\n", port: 80 }] }).join(),
      /members\.0\.address: must be an IPv4/,
    );
    for (const outside of ["0.0.0.0", "224.0.0.1", "255.255.255.255", "240.1.2.3"])
      assert.match(
        bad({ members: [{ name: "a", address: outside, port: 80 }] }).join(),
        /members\.0\.address: must be a unicast address/,
        outside,
      );
    assert.match(bad({ vip: "0.0.0.0" }).join(), /vip: must be a unicast address/);
    assert.match(bad({ listeners: [{ port: 80 }, { port: 80 }] }).join(), /listeners\.1\.port: is listed twice/);
    assert.match(bad({ listeners: [] }).join(), /listeners: /);
    assert.match(bad({ healthCheck: { intervalMs: 5 } }).join(), /healthCheck\.intervalMs: /);
    assert.match(
      bad({ listeners: [{ port: 80, extra: "bind *:22" }] }).join(),
      /listeners\.0: Unrecognized key: "extra"/,
    );
  });
});
