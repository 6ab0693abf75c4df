/** Station lifecycle driven by ocpp-rpc in strict mode: an independent OCPP-J implementation judges our frames. */
import { stationLifecycleScenarios } from './station-lifecycle.scenarios.ts';
import { ocppRpcDriver } from '../support/station-driver.ts';

// For 2.1 the driver passes re-keyed schemas (test/support/ocpp21-validator.ts): ocpp-rpc 2.2's own
// 2.1 strict mode looks the schemas up under 2.0.1-style ids.
stationLifecycleScenarios(ocppRpcDriver, ['1.6', '2.0.1', '2.1']);
