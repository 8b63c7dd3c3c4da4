import { describe, expect, it } from 'vitest'
import { createMasker } from '@parley/sdk/masking'
import { cleanFileName, nameForType } from '../../../../server/src/attachments/file-name.js'

// Hostile file names: what a reader sees of the stored name is what it is, and the extension a
// download saves under is the one of the type the relay checked the bytes to be.

const off = { active: false, mask: (text: string) => ({ text, spans: [] }), maskJoined: () => { throw new Error('unused') } } as never
const header = (name: string) => encodeURIComponent(name)

describe('cleanFileName', () => {
  it('strips bidi overrides, so a right-to-left trick cannot pass an HTML name off as a PDF', () => {
    // Shown as "invoicelmth.pdf", saved as .html before.
    expect(cleanFileName(header('invoice\u202Efdp.html'), off, 'application/pdf')).toBe('invoicefdp.html.pdf')
    expect(cleanFileName(header('a\u2066b\u2067c\u2068d\u2069\u202A\u202B\u202C\u202D.pdf'), off, 'application/pdf')).toBe('abcd.pdf')
  })

  it('strips zero-width, tag and other invisible characters, and the C0/C1 controls', () => {
    expect(cleanFileName(header('pa\u200By\u200C\u200D\u2060\uFEFFslip\u00AD\u034F.png'), off, 'image/png')).toBe('payslip.png')
    expect(cleanFileName(header('x\u{E0041}\u{E0042}\u0007\u0085\u061C.gif'), off, 'image/gif')).toBe('x.gif')
    expect(cleanFileName(header('line\nbreak\r.pdf'), off, 'application/pdf')).toBe('linebreak.pdf')
  })

  it('refuses a name that is only invisible characters', () => {
    expect(() => cleanFileName(header('\u202E\u200B'), off, 'application/pdf')).toThrow(/names no file/)
  })

  it('makes the extension the checked type\'s: kept, replaced or appended', () => {
    expect(cleanFileName(header('Report.PDF'), off, 'application/pdf')).toBe('Report.PDF')
    expect(cleanFileName(header('photo.jpeg'), off, 'image/jpeg')).toBe('photo.jpeg')
    expect(cleanFileName(header('photo.png'), off, 'image/jpeg')).toBe('photo.jpg')
    expect(cleanFileName(header('page.html'), off, 'image/svg+xml')).toBe('page.html.svg')
    expect(cleanFileName(header('run.exe'), off, 'image/webp')).toBe('run.exe.webp')
    expect(cleanFileName(header('README'), off, 'image/gif')).toBe('README.gif')
    expect(cleanFileName(header('.pdf'), off, 'application/pdf')).toBe('.pdf.pdf')
    expect(cleanFileName(header('C:\\temp\\evil.svg\u202E'), off, 'image/png')).toBe('evil.png')
  })

  it('keeps the extension when it cuts a long name, between whole characters', () => {
    const long = cleanFileName(header(`${'😀'.repeat(200)}.html`), off, 'application/pdf')
    expect(long.length).toBeLessThanOrEqual(255)
    expect(long.endsWith('.pdf')).toBe(true)
    expect(long.slice(0, -4)).toMatch(/^(😀)+$/u)
  })

  it('masks a card number in the name and still ends in the right extension', () => {
    const masker = createMasker({})
    const name = cleanFileName(header('card 4111 1111 1111 1111.html'), masker, 'application/pdf')
    expect(name).not.toContain('4111 1111 1111 1111')
    expect(name.endsWith('.html.pdf')).toBe(true)
  })
})

describe('nameForType', () => {
  it('cleans a stored name as it is served, and leaves a type it has no extension for alone', () => {
    expect(nameForType('old\u202Efdp.html', 'application/pdf')).toBe('oldfdp.html.pdf')
    expect(nameForType('thumbnail-shot.png', 'image/jpeg')).toBe('thumbnail-shot.jpg')
    expect(nameForType('data.bin', 'application/octet-stream')).toBe('data.bin')
  })
})
