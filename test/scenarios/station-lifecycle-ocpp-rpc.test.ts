/** Station lifecycle driven by ocpp-rpc in strict mode: an independent OCPP-J implementation judges our frames. */
import { stationLifecycleScenarios } from './station-lifecycle.scenarios.ts';
import { ocppRpcDriver } from '../support/station-driver.ts';

// ocpp-rpc 2.2's strict validator looks up 2.1 schemas under 2.0.1-style ids, so it cannot judge 2.1;
// 2.1 is covered by the simulator-driven run of the same scenarios.
stationLifecycleScenarios(ocppRpcDriver, ['1.6', '2.0.1']);
