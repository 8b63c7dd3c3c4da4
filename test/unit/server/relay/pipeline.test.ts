import { describe, expect, it } from 'vitest'
import { createMasker, type Masker } from '@parley/sdk/masking'
import {
  DEFAULT_PIPELINE, maskText, runPipeline, stripControlCharacters, wellFormedText, type PipelineInput, type PipelineStep,
} from '../../../../server/src/relay/pipeline.js'

const defaults = createMasker(null)
const input = (text: string, masker: Masker = defaults, previousTail = ''): PipelineInput =>
  ({ brandId: 'b_1', convId: 'c_1', from: { kind: 'visitor', id: 'v_1' }, text, masker, previousTail })
const CARD = '4111 1111 1111 1111'
const strip = (text: string) => stripControlCharacters(input(text))

describe('stripControlCharacters', () => {
  it.each([
    ['NUL', 'a\u0000b', 'ab'],
    ['BEL and backspace', 'a\u0007\u0008b', 'ab'],
    ['vertical tab and form feed', 'a\u000b\u000cb', 'ab'],
    ['an ANSI escape', 'a\u001b[31mred\u001b[0m', 'a[31mred[0m'],
    ['DEL', 'a\u007fb', 'ab'],
    ['C1 controls (NEL, CSI)', 'a\u0085\u009bb', 'ab'],
    ['nothing but controls', '\u0000\u0001\u001f', ''],
  ])('removes %s', (_what, text, expected) => {
    expect(strip(text)).toBe(expected)
  })

  it.each([
    ['CRLF', 'one\r\ntwo\r\n', 'one\ntwo\n'],
    ['a lone CR', 'one\rtwo', 'one\ntwo'],
    ['CR CR LF', 'one\r\r\ntwo', 'one\n\ntwo'],
  ])('normalises %s to LF', (_what, text, expected) => {
    expect(strip(text)).toBe(expected)
  })

  it.each([
    ['tabs and newlines', 'name:\tDana\nnext line\n\n'],
    ['emoji, including ZWJ sequences and skin tones', 'hi 👋🏽 👩‍👩‍👧 ❤️'],
    ['right-to-left text', 'مرحبا بالعالم — שלום עולם'],
    ['CJK and combining marks', '你好 こんにちは e\u0301'],
    ['plain ASCII', 'Where is my order #1234?'],
  ])('keeps %s unchanged', (_what, text) => {
    expect(strip(text)).toBe(text)
  })
})

describe('runPipeline', () => {
  it('runs the steps in order, each on the text the previous one returned', () => {
    const steps: PipelineStep[] = [({ text }) => `${text}1`, ({ text }) => `${text}2`]
    expect(runPipeline(steps, input('x'))).toEqual({ ok: true, text: 'x12', previousTail: null })
  })

  it('stops at the first step that refuses, and runs none after it', () => {
    const after: string[] = []
    const steps: PipelineStep[] = [
      () => ({ refused: 'PARLEY_ERR_MESSAGE_REFUSED', args: ['no'] }),
      ({ text }) => { after.push(text); return text },
    ]
    expect(runPipeline(steps, input('x'))).toEqual({ ok: false, refusal: { refused: 'PARLEY_ERR_MESSAGE_REFUSED', args: ['no'] } })
    expect(after).toEqual([])
  })

  it("hands the next steps the previous message's new tail once a step changed it", () => {
    const seen: string[] = []
    const steps: PipelineStep[] = [({ text }) => ({ text, previousTail: 'new' }), ({ text, previousTail }) => { seen.push(previousTail); return text }]
    expect(runPipeline(steps, input('x', defaults, 'old'))).toEqual({ ok: true, text: 'x', previousTail: 'new' })
    expect(seen).toEqual(['new'])
  })

  it('tells each step which brand, conversation and sender the text is from', () => {
    const seen: Omit<PipelineInput, 'text' | 'masker'>[] = []
    runPipeline([({ text, masker: _m, ...rest }) => { seen.push(rest); return text }], input('x'))
    expect(seen).toEqual([{ brandId: 'b_1', convId: 'c_1', from: { kind: 'visitor', id: 'v_1' }, previousTail: '' }])
  })

  it('strips control characters by default', () => {
    expect(runPipeline(DEFAULT_PIPELINE, input('a\u0000b\r\nc'))).toEqual({ ok: true, text: 'ab\nc', previousTail: null })
  })

  it('masks a card number hidden by control characters: masking runs after they are removed', () => {
    expect(runPipeline(DEFAULT_PIPELINE, input(`pay ${CARD.replace(' ', '\u0000 ')}`))).toEqual({ ok: true, text: 'pay [card]', previousTail: null })
  })

  it('hands each call of a custom step an input of its own, which it may keep', () => {
    const kept: PipelineInput[] = []
    const keep: PipelineStep = (i) => { kept.push(i); return `${i.text}!` }
    const first = input('a')
    runPipeline([keep, keep], first)
    runPipeline([keep, ...DEFAULT_PIPELINE, keep], input('b'))
    expect(kept.map((i) => i.text)).toEqual(['a', 'a!', 'b', 'b!'])
    expect(new Set(kept).size).toBe(4)
    expect(kept).not.toContain(first)
  })
})

describe('wellFormedText', () => {
  it.each([
    ['half an emoji at the end', 'see you \uD83D', 'see you \uFFFD'],
    ['a lone low surrogate', 'a\uDE00b', 'a\uFFFDb'],
    ['a whole emoji', 'ok \uD83D\uDE00', 'ok \uD83D\uDE00'],
    ['plain text', 'hello', 'hello'],
  ])('turns %s into well-formed text', (_name, input, expected) => {
    expect(wellFormedText({ brandId: 'b', convId: 'c', from: { kind: 'visitor', id: 'v' }, text: input, masker: defaults, previousTail: '' })).toBe(expected)
  })
})

describe('maskText', () => {
  it("masks with the brand's masker", () => {
    expect(maskText(input(`card ${CARD} thanks`))).toBe('card [card] thanks')
  })

  it('leaves the text alone when the brand turned masking off', () => {
    expect(maskText(input(`card ${CARD}`, createMasker({ card: { enabled: false }, securityCode: { enabled: false } })))).toBe(`card ${CARD}`)
  })

  it('refuses the message with PARLEY_ERR_MESSAGE_REFUSED when the masker fails, rather than keep it unmasked', () => {
    const broken: Masker = { active: true, mask: () => { throw new Error('boom') }, maskJoined: () => { throw new Error('boom') } }
    expect(maskText(input(`card ${CARD}`, broken))).toMatchObject({ refused: 'PARLEY_ERR_MESSAGE_REFUSED' })
  })

  it("returns the previous message's new tail when the masker joined the two", () => {
    expect(maskText(input('1111 1111', defaults, 'number: 4111 1111'))).toEqual({ text: '[card]', previousTail: 'number: [card]' })
  })

  it('returns the text alone when the previous tail needs no change', () => {
    expect(maskText(input(CARD, defaults, 'hello'))).toBe('[card]')
  })
})
