/** The vendor-extensions capability, as other capabilities and the composition root see it. */
export { vendorExtensionsModule, type VendorExtensionsDeps, type VendorExtensionsModule } from './vendor-module.ts';
export { VendorDataTransferService, type InboundContext } from './vendor-data-transfer-service.ts';
export { VendorProfileService } from './vendor-profile-service.ts';
export { SqlVendorProfileRepository } from './vendor-profile-repository-sql.ts';
export { SqlVendorDataRepository } from './vendor-data-repository-sql.ts';
export { checkProfile } from './vendor-profile-check.ts';
export type { VendorProfile } from './vendor-profile.ts';
export { matchInbound, type StationIdentity } from './vendor-match.ts';
/** Pure: what a 2.x message's customData becomes under a tenant's profiles (for any capability handling such a message). */
export { normaliseCustomData, type CustomDataResult } from './vendor-custom-data.ts';
