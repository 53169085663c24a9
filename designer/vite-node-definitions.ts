import type { Plugin } from 'vite';

const RUNTIME_FILE = /[\\/]nodes[\\/][^\\/]+[\\/][^\\/]+[\\/]runtime\.tsx?$/;
const NODE_TYPE = /export const (\w+) = defineNode\(\s*(\w+)\s*,/;

/**
 * The designer imports the node registry as the engine does (`nodes/registry.ts` over the one
 * list in `nodes/index.ts`), but needs only the definitions. This plugin replaces each
 * `nodes/<category>/<type>/runtime.ts` in the browser bundle by its registration alone:
 * `export const rule = { definition: ruleDefinition, runtime: <stub> }`, imported from the
 * folder's `definition.ts`. So adding a node stays one folder and one line in nodes/index.ts,
 * and no runtime part ends up in the browser. A runtime.ts that does not follow the
 * `export const x = defineNode(xDefinition, …)` pattern is bundled as it is.
 */
export function nodeDefinitionsOnly(): Plugin {
  return {
    name: 'kaiwu-node-definitions-only',
    enforce: 'pre',
    transform(code, id) {
      if (!RUNTIME_FILE.test(id.split('?')[0]!)) return null;
      const m = NODE_TYPE.exec(code);
      if (!m) return null;
      const [, name, definition] = m;
      return {
        code: [
          `import { ${definition} } from './definition';`,
          `const create = () => { throw new Error('the designer has no runtime part of node type ' + ${definition}.type); };`,
          `export const ${name} = { definition: ${definition}, runtime: { create } };`,
        ].join('\n'),
        map: null,
      };
    },
  };
}
