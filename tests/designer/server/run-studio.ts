// `kaiwu studio` as the lead will wire it, for the command test: node --import tsx run-studio.ts DATA [en]
import { studioCommand } from '../../../designer/server/studio-command';

const code = await studioCommand({ data: process.argv[2]!, port: 0, host: '127.0.0.1', lang: process.argv[3] === 'en' ? 'en' : 'zh', logLevel: 'warn' }, (line) => console.log(line));
process.exit(code);
