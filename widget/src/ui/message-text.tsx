import { linkify } from './linkify.js'

/** Message text as text, with http(s)/mailto addresses as safe links. */
export function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((s, i) => ('href' in s
        ? <a key={i} href={s.href} target="_blank" rel="noopener noreferrer">{s.text}</a>
        : s.text))}
    </>
  )
}
