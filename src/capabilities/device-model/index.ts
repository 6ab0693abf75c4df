/** The device-model capability, as other capabilities and the composition root see it. */
export { deviceModelModule } from './device-model-module.ts';
