import { createHash } from 'node:crypto';

/**
 * The dashboard's only stylesheet, inline. No url(), no @import, no web font: the page loads
 * nothing from anywhere. Its hash goes into the Content-Security-Policy.
 */
export const DASHBOARD_CSS = `
:root{color-scheme:light dark;--bg:#f6f7f9;--fg:#16181d;--muted:#4d5562;--card:#fff;--line:#d5d9e0;--ok:#0b6b2f;--ok-bg:#e3f5e9;--bad:#a3121f;--bad-bg:#fde7e9;--warn:#7a4b00;--warn-bg:#fff4d6;--link:#0645ad}
@media (prefers-color-scheme:dark){:root{--bg:#111418;--fg:#e8eaee;--muted:#aab2bf;--card:#1b1f26;--line:#343a46;--ok:#7ee2a2;--ok-bg:#12301f;--bad:#ff9aa3;--bad-bg:#3a1519;--warn:#ffd27a;--warn-bg:#33270d;--link:#8ab4ff}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
main{max-width:1100px;margin:0 auto;padding:16px}
a{color:var(--link)}
h1{font-size:1.4rem;margin:0 0 12px}
.banner{border-radius:8px;padding:12px 16px;margin:0 0 16px;font-weight:600;border:1px solid var(--line)}
.banner.ok{background:var(--ok-bg);color:var(--ok)}
.banner.bad{background:var(--bad-bg);color:var(--bad)}
.banner.warn{background:var(--warn-bg);color:var(--warn);border-style:dashed}
.banner.none{background:var(--card)}
nav{display:flex;flex-wrap:wrap;gap:8px 16px;margin:0 0 16px;font-size:.95rem}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px}
caption{text-align:left;color:var(--muted);padding:0 0 6px;font-size:.9rem}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{font-size:.85rem;color:var(--muted);font-weight:600}
td.num{font-variant-numeric:tabular-nums;white-space:nowrap}
.status{font-weight:700;white-space:nowrap}
.status.ok{color:var(--ok)}
.status.bad{color:var(--bad)}
.status.warn{color:var(--warn)}
tr.warn summary{color:var(--warn)}
.history{display:flex;flex-wrap:wrap;align-items:flex-end;gap:4px 10px}
.spark{flex:none;color:var(--link);overflow:visible}
.spark .line{stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}
.spark .fail{color:var(--bad);stroke-width:1.8;stroke-linecap:round}
tr.warn .spark .fail{color:var(--warn)}
.spark .last{color:var(--ok)}
.strip{display:flex;flex-wrap:wrap;gap:2px;align-items:flex-end;max-width:260px}
.strip{height:26px}
.tick{display:inline-block;width:7px;border-radius:2px}
.tick.ok{background:var(--ok)}
.tick.bad{background:repeating-linear-gradient(45deg,var(--bad) 0 3px,var(--bad-bg) 3px 4px)}
.tick.warn{background:repeating-linear-gradient(-45deg,var(--warn) 0 2px,var(--warn-bg) 2px 4px)}
.tick.l1{height:6px}.tick.l2{height:10px}.tick.l3{height:15px}.tick.l4{height:20px}.tick.l5{height:25px}
.muted{color:var(--muted);font-size:.85rem}
details{margin-top:6px}
summary{cursor:pointer;color:var(--bad);font-weight:600}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--bg);border:1px solid var(--line);border-radius:6px;padding:8px;margin:6px 0 0;max-height:320px;overflow:auto}
.error{overflow-wrap:anywhere}
footer{margin-top:16px;color:var(--muted);font-size:.85rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (max-width:640px){
  main{padding:10px}
  table,caption,thead,tbody,tr,th,td{display:block;width:100%}
  caption{padding:6px 10px}
  thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  tr{border-bottom:2px solid var(--line);padding:6px 0}
  td{border:0;padding:4px 10px;display:grid;grid-template-columns:7.5em minmax(0,1fr);gap:8px}
  td::before{content:attr(data-label);color:var(--muted);font-size:.85rem;font-weight:600}
}
`.trim();

/** `style-src` source for exactly this stylesheet. */
export const DASHBOARD_CSS_HASH = `'sha256-${createHash('sha256').update(DASHBOARD_CSS).digest('base64')}'`;

/** Nothing but the inline stylesheet may load; no script, frame, form target or base. */
export const DASHBOARD_CSP = [
  "default-src 'none'",
  `style-src ${DASHBOARD_CSS_HASH}`,
  "img-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
