import { defineNode } from '../../sdk';
import { sendToEndpoint } from '../uplink-endpoint';
import { httpOutDefinition } from './definition';

export const httpOut = defineNode(httpOutDefinition, (config, ctx) => sendToEndpoint(config, ctx, 'http'));
