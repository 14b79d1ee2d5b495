// Route commands (pure: inputs to argv, stdout to state).
import { ip } from "../shell/netns";
import { RouteInputs, routeFamily } from "./schema";

const fam = (r: RouteInputs) => (routeFamily(r) === 6 ? "-6" : "-4");

function spec(r: RouteInputs): string[] {
  return [
    r.destination,
    ...(r.via ? ["via", r.via] : []),
    ...(r.device ? ["dev", r.device] : []),
    ...(r.metric !== undefined ? ["metric", String(r.metric)] : []),
  ];
}

export const add = (r: RouteInputs) => ip(r.namespace, fam(r), "route", "add", ...spec(r));
export const replace = (r: RouteInputs) => ip(r.namespace, fam(r), "route", "replace", ...spec(r));
export const del = (r: RouteInputs) =>
  ip(
    r.namespace,
    fam(r),
    "route",
    "del",
    r.destination,
    ...(r.metric !== undefined ? ["metric", String(r.metric)] : []),
  );
export const show = (r: RouteInputs) => ip(r.namespace, fam(r), "-json", "route", "show", "exact", r.destination);

interface JsonRoute {
  dst: string;
  gateway?: string;
  dev?: string;
  metric?: number;
}

/** The route these inputs name (same destination and metric) in `ip -json route show exact` output. */
export function findRoute(stdout: string, r: RouteInputs): { via?: string; device?: string } | undefined {
  const routes = stdout.trim() ? (JSON.parse(stdout) as JsonRoute[]) : [];
  const match = routes.find((x) => r.metric === undefined || (x.metric ?? 0) === r.metric);
  return match && { via: match.gateway, device: match.dev };
}
