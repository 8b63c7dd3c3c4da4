import type { RefusedSubmission } from '../surveys/submission.js'
import type { SessionPort } from './session-port.js'

/**
 * Answers a refused survey submission with its typed error, `field` set for an answer error and
 * `ref` the frame's clientMsgId (as message refusals are). The log line names the code and field,
 * never an answer.
 */
export function refuseSubmission(s: SessionPort, frameType: string, refusal: RefusedSubmission, clientMsgId: string): void {
  s.reject(refusal.code, refusal.args, clientMsgId, undefined, refusal.field)
  s.ctx.log.debug({ brandId: s.brandId, frameType, code: refusal.code, field: refusal.field }, 'survey submission refused')
}
