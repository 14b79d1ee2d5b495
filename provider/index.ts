// Public exports of pulumi-netns.
export { connectionSchema } from "./connection";
export type { Connection, ConnectionInput, ProxyConnection } from "./connection";
export { Namespace } from "./namespace/resource";
export type { NamespaceArgs } from "./namespace/resource";
export { VethPair } from "./veth/resource";
export type { VethPairArgs } from "./veth/resource";
export { OvsBridge } from "./ovs-bridge/resource";
export type { OvsBridgeArgs } from "./ovs-bridge/resource";
export { OvsPort } from "./ovs-port/resource";
export type { OvsPortArgs } from "./ovs-port/resource";
export { Address } from "./address/resource";
export type { AddressArgs } from "./address/resource";
export { Route } from "./route/resource";
export type { RouteArgs } from "./route/resource";
export { DhcpServer } from "./dhcp-server/resource";
export type { DhcpServerArgs, StaticHost, ExtraOption } from "./dhcp-server/resource";
export { DhcpClient } from "./dhcp-client/resource";
export type { DhcpClientArgs } from "./dhcp-client/resource";
