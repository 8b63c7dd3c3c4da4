// The widget's styles, scoped by its shadow root. Colours come from custom properties set on the
// host (--pa accent, --pt text on accent); everything else is fixed so the page cannot change it.

/** The widget stylesheet. `side` is `right` or `left`. */
export function widgetCss(side: 'right' | 'left'): string {
  const other = side === 'right' ? 'left' : 'right'
  return `
:host{all:initial}
.p{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans Arabic",sans-serif,"Apple Color Emoji","Segoe UI Emoji","Segoe UI Symbol","Noto Color Emoji";color:#1b1b1b;-webkit-font-smoothing:antialiased}
.p *{box-sizing:border-box}
.p[hidden]{display:none}
.l{position:fixed;bottom:20px;${side}:20px;${other}:auto;width:60px;height:60px;border-radius:50%;border:0;background:var(--pa);color:var(--pt);cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center;padding:0}
.l svg{width:28px;height:28px;fill:currentColor}
.l:focus-visible,.p button:focus-visible,.p textarea:focus-visible,.p a:focus-visible,.p input:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
.b{position:absolute;top:-4px;${other}:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#b00020;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.w{position:fixed;bottom:92px;${side}:20px;width:370px;max-width:calc(100vw - 40px);height:560px;max-height:calc(100vh - 112px);background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}
@media (max-width:480px){.w{inset:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}.p.o .l{display:none}}
.h{background:var(--pa);color:var(--pt);padding:12px 14px;display:flex;align-items:center;gap:10px}
.h img{width:32px;height:32px;border-radius:50%;object-fit:cover;background:#fff}
.h .t{flex:1;min-width:0}
.h h2{margin:0;font-size:16px;font-weight:700;line-height:1.3}
.h p{margin:0;font-size:13px;opacity:.95}
.x{background:transparent;border:0;color:inherit;cursor:pointer;width:36px;height:36px;border-radius:8px;font-size:22px;line-height:1}
.m{flex:1;overflow-y:auto;background:#f6f7f9}
.m ol{padding:14px;display:flex;flex-direction:column;gap:8px;list-style:none;margin:0}
.m li{display:flex;flex-direction:column;max-width:85%}
.m li.me{align-self:flex-end;align-items:flex-end}
.m li.them{align-self:flex-start;align-items:flex-start}
.u{padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word;unicode-bidi:isolate}
.me .u{background:var(--pa);color:var(--pt);border-bottom-${side}-radius:4px}
.them .u{background:#fff;color:#1b1b1b;border:1px solid #d9dce1;border-bottom-${other}-radius:4px}
.me .u a{color:inherit}
.them .u a{color:#0b57d0}
.mt{display:flex;flex-wrap:wrap;gap:6px;font-size:12px;color:#4a4f57;margin-top:2px}
.mt>*+*::before{content:"· "}
.s.f{color:#b00020}
.s button{background:none;border:0;color:#0b57d0;text-decoration:underline;cursor:pointer;font:inherit;padding:0 4px}
.e{background:none;border:0;color:#0b57d0;text-decoration:underline;cursor:pointer;font:inherit;padding:0}
.m li.d{display:block;align-self:stretch;max-width:none;text-align:center;font-size:12px;color:#4a4f57;border-top:1px solid #d9dce1;padding-top:4px;margin:4px 0}
.g,.n{align-self:center;font-size:13px;color:#4a4f57;text-align:center;padding:4px 8px}
.y{font-size:13px;color:#4a4f57;padding:0 14px 6px;min-height:20px;background:#f6f7f9}
.o1{background:#fff4e5;color:#5c3b00;font-size:13px;padding:6px 14px}
.lh,.mk{margin:0;padding:0 14px;font-size:12px;color:#4a4f57;background:#fff}
.lh:not(:empty),.mk:not(:empty){padding-top:4px}
.lh.f{color:#b00020}
.c{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}
.c textarea{flex:1;resize:none;border:1px solid #8a9099;border-radius:10px;padding:8px 10px;font:inherit;color:#1b1b1b;max-height:120px;min-height:40px;background:#fff}
.at{list-style:none;margin:4px 0 0;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.at-i{padding:0;border:1px solid #d9dce1;border-radius:10px;background:#fff;cursor:pointer;overflow:hidden;min-height:40px}
.at-i img{display:block;max-width:200px;max-height:200px}
.at-f{background:#fff;color:#1b1b1b;border:1px solid #8a9099;border-radius:10px;padding:6px 10px;font:inherit;font-size:13px;cursor:pointer;overflow-wrap:anywhere}
.c .ab{background:#fff;color:#1b1b1b;border:1px solid #8a9099;padding:0 10px}
.c button,.k{background:var(--pa);color:var(--pt);border:0;border-radius:10px;padding:0 14px;font:inherit;font-weight:600;cursor:pointer;min-height:40px}
.z{display:flex;gap:8px;align-items:flex-start;font-size:12px;color:#3d424a;padding:6px 14px;background:#fff;border-top:1px solid #e3e5e8}
.z input{margin:2px 0 0}
.v{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.rc{position:fixed;bottom:92px;${side}:20px;width:320px;max-width:calc(100vw - 40px);background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.25);padding:14px;overflow-wrap:anywhere}
.rc p{margin:0 0 8px}
.ra{font-size:13px;font-weight:700}
.rb{display:flex;flex-wrap:wrap;gap:8px;margin-top:10px}
a.k{display:inline-flex;align-items:center;text-decoration:none}
.q{background:#fff;color:#1b1b1b;border:1px solid #8a9099;border-radius:10px;padding:0 14px;font:inherit;cursor:pointer;min-height:40px}
.rd{display:flex;flex-wrap:wrap;align-items:center;gap:8px}
.rd code{font:600 15px/1.4 ui-monospace,monospace;border:1px dashed #8a9099;border-radius:6px;padding:6px 10px;background:#f6f7f9}
.fo{flex:1;overflow-y:auto;padding:14px;margin:0}
.fo p{margin:0 0 10px}
.ff{display:flex;flex-direction:column;gap:4px;margin-bottom:12px}
.ff label{font-size:13px;font-weight:600}
.ff input,.ff textarea{border:1px solid #8a9099;border-radius:10px;padding:8px 10px;font:inherit;color:#1b1b1b;background:#fff;resize:vertical}
.fe{color:#b00020;font-size:13px}
.ff .fe{margin:0}
.fs{margin:0;padding:0 14px 14px}
.sv h3{margin:0 0 8px;font-size:15px}
.fg{border:0;padding:0;margin:0 0 12px;min-width:0}
.fg legend{font-size:13px;font-weight:600;padding:0;margin-bottom:4px}
.fr{display:flex;flex-wrap:wrap;gap:6px 12px}
.fr label,.fc label{display:flex;align-items:center;gap:6px;font-weight:400}
.sc .fr label{flex-direction:column;gap:2px;font-size:12px}
.fh{font-size:12px;color:#4a4f57;margin:0 0 2px}
.sb{display:flex;gap:8px}
.sa{flex:1;min-height:0;display:flex;flex-direction:column;overflow-y:auto}
.sa>.m,.sa>.fo{min-height:0}
.s2>.m,.s2>.fo{flex:none;overflow:visible}
.ec{display:flex;align-items:center;justify-content:flex-end;gap:8px;padding:0 14px;font-size:13px;background:#fff;border-bottom:1px solid #e3e5e8}
.sk{background:none;border:0;color:inherit;font:inherit;text-decoration:underline;cursor:pointer;min-height:40px}
.sv .ff input[type=radio],.sv .ff input[type=checkbox]{width:18px;height:18px;margin:0}
`
}
