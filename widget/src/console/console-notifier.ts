import type { ConsoleController } from './controller.js'
import { agentSettings, routing, saveAgentSettings } from './api.js'
import { createChime } from './notice-sound.js'
import { Notifier } from './notifier.js'

/** The console's notifier for the agent of `token`: settings and the routing mode (GET /v1/routing) over REST, the WebAudio chime. */
export function createConsoleNotifier(controller: ConsoleController, token: string, onOpen: (convId: string) => void): Notifier {
  return new Notifier({
    source: controller,
    settings: { read: () => agentSettings(token), save: (s) => saveAgentSettings(token, s) },
    mode: async () => (await routing(token)).mode ?? 'manual',
    chime: createChime(),
    onOpen,
  })
}
