/** The REST body parameters of the device-model commands (POST /stations/{id}/commands), as TypeBox schemas. */
import { Type } from '@sinclair/typebox';
import { COMPONENT_CRITERIA, MONITOR_TYPES, MONITORING_BASES, MONITORING_CRITERIA, REPORT_BASES } from './device-model-commands.ts';

const Name = (description: string) => Type.String({ minLength: 1, maxLength: 50, description });
const Index = (description: string, minimum = 0) => Type.Integer({ minimum, maximum: 2 ** 31 - 1, description });
const Literals = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });

const ComponentVariable = Type.Object(
  {
    component: Name('Component name, e.g. OCPPCommCtrlr'),
    componentInstance: Type.Optional(Name('Component instance')),
    evseId: Type.Optional(Index('EVSE the component belongs to')),
    connectorId: Type.Optional(Index('Connector within the EVSE (needs evseId)')),
    variable: Type.Optional(Name('Variable name; absent: every variable of the component')),
    variableInstance: Type.Optional(Name('Variable instance (needs variable)')),
  },
  { additionalProperties: false },
);

const Monitor = Type.Object(
  {
    id: Type.Optional(Index('An existing monitor to replace; absent: a new one')),
    component: Name('Component name'),
    componentInstance: Type.Optional(Name('Component instance')),
    evseId: Type.Optional(Index('EVSE')),
    connectorId: Type.Optional(Index('Connector within the EVSE (needs evseId)')),
    variable: Name('Variable name'),
    variableInstance: Type.Optional(Name('Variable instance')),
    type: Literals(MONITOR_TYPES, 'Monitor type (TargetDelta and TargetDeltaRelative: OCPP 2.1 only)'),
    value: Type.Number({ description: 'Threshold, delta or interval (seconds), by type' }),
    severity: Type.Integer({ minimum: 0, maximum: 9, description: '0 danger .. 9 debug' }),
    transaction: Type.Optional(Type.Boolean({ description: 'Only while a transaction runs' })),
  },
  { additionalProperties: false },
);

/** Per command type: its description and body properties. The request id of a report request is the CSMS's, never the caller's. */
export const DEVICE_MODEL_COMMAND_REST = {
  getBaseReport: {
    description: 'Ask a 2.x station for a base report (B07); its NotifyReport parts become the station configuration. Track it in GET /stations/{id}/reports',
    properties: { reportBase: Literals(REPORT_BASES, 'FullInventory replaces the stored device model when complete') },
  },
  getReport: {
    description: 'Ask a 2.x station for a report of some components/variables (B08); parts are merged into the station configuration',
    properties: {
      componentCriteria: Type.Optional(Type.Array(Literals(COMPONENT_CRITERIA, 'Components in this state'), { minItems: 1, maxItems: 4 })),
      componentVariable: Type.Optional(Type.Array(ComponentVariable, { minItems: 1, maxItems: 100 })),
    },
  },
  getMonitoringReport: {
    description: 'Ask a 2.x station for its monitors (N02); without filters a complete report replaces the stored monitors',
    properties: {
      monitoringCriteria: Type.Optional(Type.Array(Literals(MONITORING_CRITERIA, 'Monitors of this kind'), { minItems: 1, maxItems: 3 })),
      componentVariable: Type.Optional(Type.Array(ComponentVariable, { minItems: 1, maxItems: 100 })),
    },
  },
  setVariableMonitoring: {
    description: 'Set monitors on variables of a 2.x station (N04); accepted ones are kept with the station\'s id',
    properties: { monitors: Type.Array(Monitor, { minItems: 1, maxItems: 100 }) },
  },
  clearVariableMonitoring: {
    description: 'Clear monitors of a 2.x station by id (N06)',
    properties: { ids: Type.Array(Index('Monitor id'), { minItems: 1, maxItems: 100 }) },
  },
  setMonitoringBase: {
    description: 'Reset a 2.x station\'s monitors to a base set (N03); ask getMonitoringReport afterwards to see the result',
    properties: { monitoringBase: Literals(MONITORING_BASES, 'All, FactoryDefault or HardWiredOnly') },
  },
  setMonitoringLevel: {
    description: 'Only events of this severity or more severe are reported by a 2.x station (N05)',
    properties: { severity: Type.Integer({ minimum: 0, maximum: 9, description: '0 danger .. 9 debug' }) },
  },
} as const;

export type DeviceModelCommandType = keyof typeof DEVICE_MODEL_COMMAND_REST;
