import type { ConsoleController } from './controller.js'
import { agentSettings, saveAgentSettings, supervisor } from './api.js'
import { createChime } from './notice-sound.js'
import { Notifier } from './notifier.js'

/** The console's notifier for the agent of `token`: settings and routing mode over REST, the WebAudio chime. */
export function createConsoleNotifier(controller: ConsoleController, token: string, onOpen: (convId: string) => void): Notifier {
  return new Notifier({
    source: controller,
    settings: { read: () => agentSettings(token), save: (s) => saveAgentSettings(token, s) },
    mode: async () => (await supervisor(token)).mode,
    chime: createChime(),
    onOpen,
  })
}
