/**
 * The OCPP version a station speaks is a fact the domain keeps (REST shows it),
 * so its name lives in the kernel. Wire types stay in the version adapters.
 */
export type OcppVersion = '1.6' | '2.0.1' | '2.1';

export const OCPP_VERSIONS: readonly OcppVersion[] = ['1.6', '2.0.1', '2.1'];
