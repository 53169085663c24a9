// The built-in node types: one line a node. Each line names the NodeType its runtime.ts exports.
export { rule } from './core/rule/runtime';
