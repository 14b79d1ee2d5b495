import * as pulumi from "@pulumi/pulumi";
import { makeProvider } from "../provider/dynamic/provider";
(async () => {
  const p = makeProvider("Namespace");
  const s = await pulumi.runtime.serializeFunction(() => p, { isFactoryFunction: true, allowSecrets: false } as any);
  console.log(s.text.length);
  console.log(s.text);
})();
