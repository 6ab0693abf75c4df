/** The payments capability, as other capabilities and the composition root see it. */
export { paymentModule, type PaymentModule } from './payment-module.ts';
export { PaymentService, PAID_TOKEN_PREFIX } from './payment-service.ts';
export type { PaymentGateway, GatewayAuthorization } from './payment-gateway-port.ts';
export type { PaymentHold, HoldState } from './payment-hold.ts';
