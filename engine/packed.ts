// A project outside the repo with the packed package installed, as a user would have it.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const REPO = join(__dirname, "..");

/** Packs the repo (its prepare script builds it), installs the tarball and @pulumi/pulumi in `dir`; returns the tarball's name. */
export function installPacked(dir: string, project: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync("npm", ["pack", "--silent", "--pack-destination", dir], { cwd: REPO })
    .toString()
    .trim()
    .split("\n")
    .pop()!;
  const pulumiVersion = JSON.parse(
    readFileSync(join(REPO, "node_modules/@pulumi/pulumi/package.json"), "utf8"),
  ).version;
  const typescriptVersion = JSON.parse(
    readFileSync(join(REPO, "node_modules/typescript/package.json"), "utf8"),
  ).version;
  writeFileSync(join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: project,
      private: true,
      main: Object.keys(files)[0],
      dependencies: { "pulumi-netns": `file:./${tarball}`, "@pulumi/pulumi": pulumiVersion },
      // As `pulumi new typescript` has it. Without a TypeScript of its own, Pulumi type-checks a program with the
      // TypeScript 3.8 it vendors, which cannot read the zod 4 types our connection type is made from.
      devDependencies: { typescript: typescriptVersion },
    }),
  );
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return tarball;
}
