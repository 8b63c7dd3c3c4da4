import { describe, expect, it } from 'vitest'
import type { Survey } from '@parley/sdk/contract'
import { offlineSurveyOf, preSurveyOf, surveyById } from '../../../widget/src/consumer/survey-choice.js'

// Which survey runs: a rule's action names its own pre-chat (button, invitation) or offline survey
// (offline form); without one the brand's runs; a survey the config does not ship never runs.

const survey = (id: string, kind: Survey['kind']): Survey => ({ id, kind, version: 1, fields: [{ id: 'a', type: 'text', label: 'A' }] })
const config = { surveys: { surveys: [survey('pre', 'pre'), survey('vip', 'pre'), survey('off', 'offline'), survey('away', 'offline')], pre: 'pre', offline: 'off' } }

describe('survey choice', () => {
  it("asks the brand's pre-chat survey when the rule names none", () => {
    expect(preSurveyOf(config, { type: 'button' })?.id).toBe('pre')
  })

  it("asks the pre-chat survey a rule's invitation names instead of the brand's", () => {
    expect(preSurveyOf(config, { type: 'invite', message: 'Hi', survey: 'vip' } as never)?.id).toBe('vip')
  })

  it('asks no pre-chat survey when the brand has none and no rule names one', () => {
    expect(preSurveyOf({}, { type: 'button' })).toBeNull()
  })

  it("uses the offline survey an offline-form rule names, else the brand's", () => {
    expect(offlineSurveyOf(config, { type: 'offline-form', survey: 'away' })?.id).toBe('away')
    expect(offlineSurveyOf(config, { type: 'offline-form' })?.id).toBe('off')
  })

  it('never runs a survey the config does not ship', () => {
    expect(surveyById(config, 'gone')).toBeNull()
    expect(preSurveyOf(config, { type: 'button', survey: 'gone' })?.id).toBe('pre')
  })
})
