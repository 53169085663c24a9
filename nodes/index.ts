// The built-in node types: one line a node. Each line names the NodeType its runtime.ts exports.
export { rule } from './core/rule/runtime';
export { switchNode } from './core/switch/runtime';
export { change } from './core/change/runtime';
export { thresholdAlarm } from './core/threshold-alarm/runtime';
export { debug } from './core/debug/runtime';
export { timer } from './core/timer/runtime';
export { aggregate } from './core/aggregate/runtime';
export { history } from './store/history/runtime';
export { oee } from './kpi/oee/runtime';
export { modbusRead } from './devices/modbus-read/runtime';
export { modbusWrite } from './devices/modbus-write/runtime';
export { mqttOut } from './uplink/mqtt-out/runtime';
export { httpOut } from './uplink/http-out/runtime';
export { mqttIn } from './uplink/mqtt-in/runtime';
