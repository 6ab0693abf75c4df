/** Public surface of the Chargebridge charging-station simulator. */
export { SimStation, type SimCallOptions } from './sim-station.ts';
export { SimSessions } from './sim-sessions.ts';
export { SimFaults, SIM_FAULT_NAMES, type SimFaultName } from './sim-faults.ts';
export { SimSession, type SimChargingState, type SimStartOptions, type SimStopOptions } from './sim-session.ts';
export { DEFAULT_METER_HABITS, SimMeter, meterValueOf, type SimMeterHabits, type SimReadingContext } from './sim-meter.ts';
export { SimTxQueue, type SimQueuedMessage, type SimReplayOrder, type SimTxEntry, type SimTxOutcome } from './sim-tx-queue.ts';
export {
  startFleet, fleetStationId, fleetVersion,
  type SimFleet, type SimFleetOptions, type SimFleetVersion,
} from './sim-fleet.ts';
export {
  SimRpcConnection,
  type SimCallHandler, type SimInboundContext, type SimRpcConnectionOptions,
} from './sim-rpc-connection.ts';
export { openSocket, stationUrl, basicAuthHeader, backoffDelay, type SimSocketOptions } from './sim-socket.ts';
export { bootRequest, statusRequest, parseBootResponse, toVersionStatus, BOOT_REASONS } from './sim-messages.ts';
export { SimSettingStore, variableKey, type SimSetting, type SimSettingKind } from './sim-settings.ts';
export {
  SimError, subprotocolOf, STATUS_16, CONNECTOR_STATUS_2X, ERROR_CODES_16, STOP_REASONS_16, STOP_REASONS_2X,
  type SimOcppVersion, type SimState, type SimBootStatus, type SimBootResult, type SimStatus16,
  type SimConnectorStatus2x, type SimConnectorStatus, type SimErrorCode16, type SimStatusExtra,
  type SimStationOptions, type SimPayload, type SimStopReason,
} from './sim-types.ts';
export { runSessionLoop, type SimSessionLoopOptions, type SimInjectedFault } from './sim-session-loop.ts';
export { deviceModelHandlers, type SimDeviceModelOptions } from './sim-device-model.ts';
export { simDisplay, type SimDisplayOptions } from './sim-display-messages.ts';
export { simCustomerData, type SimCustomerOptions } from './sim-customer-information.ts';
export { SimReservations, installReservations } from './sim-reservations.ts';
export { SimCosts, COSTMSG_VENDOR_ID, DISPLAY_COST_KEY, type SimCostShown, type SimTransactionCosts } from './sim-costs.ts';
