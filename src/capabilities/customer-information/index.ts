/** The customer-information capability, as other capabilities and the composition root see it. */
export { customerInformationModule, type CustomerInformationModule } from './customer-information-module.ts';
