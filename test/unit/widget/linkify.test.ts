import { describe, expect, it } from 'vitest'
import { linkify, safeHref } from '../../../widget/src/ui/linkify.js'

const links = (text: string) => linkify(text).filter((s): s is { text: string; href: string } => 'href' in s)

describe('linkify', () => {
  it('makes http, https and mailto addresses links and keeps every character of the text', () => {
    const text = 'See https://shop.example/a?b=1, mail me at mailto:ana@shop.example or www.shop.example.'
    expect(linkify(text).map((s) => s.text).join('')).toBe(text)
    expect(links(text).map((l) => l.href)).toEqual(['https://shop.example/a?b=1', 'mailto:ana@shop.example', 'https://www.shop.example/'])
  })

  it.each([
    ['javascript:alert(1)'],
    ['JaVaScRiPt:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['vbscript:msgbox(1)'],
    ['<img src=x onerror=alert(1)>'],
    ['file:///etc/passwd'],
  ])('never links %s', (text) => {
    expect(links(text)).toEqual([])
    expect(linkify(text).map((s) => s.text).join('')).toBe(text)
  })

  it('stops a link at quotes and angle brackets, so markup cannot ride along', () => {
    expect(links('https://a.example/"onmouseover="x')[0]!.href).toBe('https://a.example/')
    expect(links('<a href=https://a.example/>x</a>')[0]!.text).toBe('https://a.example/')
  })

  it('refuses addresses without a host or a valid mail address', () => {
    expect(safeHref('https://')).toBeNull()
    expect(safeHref('mailto:nobody')).toBeNull()
  })
})
