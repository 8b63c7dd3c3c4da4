// A view that leaves the panel while it holds focus (the message box when the chat ends, a survey
// once answered or skipped) would drop a keyboard or screen reader user on the page's body, and the
// next Tab would start from the top of the brand's page.

/** What takes focus after it, in the panel's order: a survey's first field, New chat, the message box. */
const NEXT = '.sv input,.sv textarea,.c .k,.c textarea'

/** When `el`, about to leave the panel, holds focus, gives focus after this render to what takes its place. */
export function handFocus(el: Element | null | undefined): void {
  const panel = el?.closest('.w')
  if (panel && el!.matches(':focus-within')) setTimeout(() => panel.querySelector<HTMLElement>(NEXT)?.focus())
}
