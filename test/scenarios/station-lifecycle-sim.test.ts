/** Station lifecycle driven by the project's simulator, for every version including 2.1. */
import { stationLifecycleScenarios } from './station-lifecycle.scenarios.ts';
import { simulatorDriver } from '../support/station-driver.ts';

stationLifecycleScenarios(simulatorDriver, ['1.6', '2.0.1', '2.1']);
