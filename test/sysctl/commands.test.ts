// Sysctl's pure parts: the read and the write inside a namespace, and the form values are compared in.
import { strict as assert } from "node:assert";
import { normal, read, write } from "../../provider/sysctl/commands";

describe("Sysctl commands", () => {
  it("reads and writes one key inside the namespace, quietly, the value given as key=value", () => {
    assert.deepEqual(read("qrouter-1", "net.ipv4.ip_forward"), [
      "ip",
      "netns",
      "exec",
      "qrouter-1",
      "sysctl",
      "-n",
      "net.ipv4.ip_forward",
    ]);
    assert.deepEqual(write("qrouter-1", "net.ipv4.ip_local_port_range", "1024 65000"), [
      "ip",
      "netns",
      "exec",
      "qrouter-1",
      "sysctl",
      "-q",
      "-w",
      "net.ipv4.ip_local_port_range=1024 65000",
    ]);
  });

  it("compares values as the kernel prints them: tabs and runs of blanks as one space, no edges", () => {
    assert.equal(normal("32768\t60999\n"), "32768 60999");
    assert.equal(normal("  1  2 \t 3 "), "1 2 3");
    assert.equal(normal("1"), "1");
  });
});
