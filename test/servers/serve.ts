/**
 * Runs one fake protocol server in its own process (benchmarks keep its CPU out of the measured
 * client). Prints {"baseUrl": …} as its first stdout line; stops on SIGTERM or when stdin closes.
 * Usage: node test/servers/serve.ts --protocol openai|anthropic [--latency MS] [--release] [--api-key K]
 */
import { parseArgs } from 'node:util';
import { startFakeServer } from './fakeServer.ts';
import type { Protocol } from './fakeServer.ts';
import { releaseResponder } from './releaseResponder.ts';
import { sharedData } from '../unit/helpers.ts';

const { values } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'openai' },
    latency: { type: 'string', default: '0' },
    release: { type: 'boolean' },
    'api-key': { type: 'string' },
  },
});
const server = await startFakeServer({
  protocol: values.protocol as Protocol,
  latencyMs: Number(values.latency),
  ...(values['api-key'] ? { apiKey: values['api-key'] } : {}),
  ...(values.release
    ? {
        responder: releaseResponder(
          sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_feedback_round0.json'),
          sharedData('mapd_release', 'Llama-2-7b-chat-hf_svamp_rationale_round0.json'),
        ),
      }
    : {}),
});
process.stdout.write(`${JSON.stringify({ baseUrl: server.baseUrl })}\n`);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
