/** The display-messages capability, as other capabilities and the composition root see it. */
export { displayMessageModule } from './display-message-module.ts';
