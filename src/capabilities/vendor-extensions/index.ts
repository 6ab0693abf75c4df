/** The vendor-extensions capability, as other capabilities and the composition root see it. */
export { vendorExtensionsModule } from './vendor-module.ts';
