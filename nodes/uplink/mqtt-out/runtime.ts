import { defineNode } from '../../sdk';
import { sendToEndpoint } from '../uplink-endpoint';
import { mqttOutDefinition } from './definition';

export const mqttOut = defineNode(mqttOutDefinition, (config, ctx) => sendToEndpoint(config, ctx, 'mqtt'));
