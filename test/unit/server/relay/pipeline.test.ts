import { describe, expect, it } from 'vitest'
import {
  DEFAULT_PIPELINE, runPipeline, stripControlCharacters, wellFormedText, type PipelineInput, type PipelineStep,
} from '../../../../server/src/relay/pipeline.js'

const input = (text: string): PipelineInput => ({ brandId: 'b_1', convId: 'c_1', from: { kind: 'visitor', id: 'v_1' }, text })
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
    expect(runPipeline(steps, input('x'))).toBe('x12')
  })

  it('tells each step which brand, conversation and sender the text is from', () => {
    const seen: Omit<PipelineInput, 'text'>[] = []
    runPipeline([({ text, ...rest }) => { seen.push(rest); return text }], input('x'))
    expect(seen).toEqual([{ brandId: 'b_1', convId: 'c_1', from: { kind: 'visitor', id: 'v_1' } }])
  })

  it('strips control characters by default', () => {
    expect(runPipeline(DEFAULT_PIPELINE, input('a\u0000b\r\nc'))).toBe('ab\nc')
  })
})

describe('wellFormedText', () => {
  it.each([
    ['half an emoji at the end', 'see you \uD83D', 'see you \uFFFD'],
    ['a lone low surrogate', 'a\uDE00b', 'a\uFFFDb'],
    ['a whole emoji', 'ok \uD83D\uDE00', 'ok \uD83D\uDE00'],
    ['plain text', 'hello', 'hello'],
  ])('turns %s into well-formed text', (_name, input, expected) => {
    expect(wellFormedText({ brandId: 'b', convId: 'c', from: { kind: 'visitor', id: 'v' }, text: input })).toBe(expected)
  })
})
