/** The display-messages capability, as other capabilities and the composition root see it. */
export { displayMessageModule, type DisplayMessageModule } from './display-message-module.ts';
