// Scenario tests of templates: simulated devices on a virtual clock, the runner, the report. See README.md.
export { createSimulatedDevices } from './simulated-devices';
export type { SimulatedBehaviour, SimulatedDeviceSpec, SimulatedDevices, SimulatedDevicesOptions } from './simulated-devices';
export type { DeviceHolds, DeviceScriptEvent } from './device-script';
export { runScenarioTests, testInstance } from './scenario-runner';
export type { NodeErrorSeen, OutputLog, ScenarioRunOptions, ScenarioRunReport, ScenarioTestResult } from './scenario-runner';
export type { ExpectationResult } from './expectations';
export { formatOffset } from './expectations';
export { formatScenarioReport, formatTestResult } from './scenario-report';
export { loadTemplateFolder } from './template-folder';
export type { TemplateFolder } from './template-folder';
