// Loaded with --require by test/engine/entry.test.ts: prints the module that cmd/run loads as the program.
const Module = require("node:module");
const path = require("node:path");
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (parent && /[\\/]cmd[\\/]run[\\/]run\.js$/.test(parent.filename) && path.isAbsolute(request))
    process.stderr.write(`pulumi-netns-entry: ${Module._resolveFilename(request, parent)}\n`);
  return load.call(this, request, parent, ...rest);
};
