/// The desk's one stylesheet, served at /static/wagewatch.css (no CDN, no web fonts: the
/// system's Noto Sans CJK first). Readable at 1280×800 and on a phone; prints without the menu.
enum Stylesheet {
    static let css = #"""
:root {
  --ink: #1d2733; --muted: #566270; --line: #c9d1da; --paper: #ffffff; --band: #f3f5f8;
  --brand: #9b1c1c; --brand-ink: #ffffff; --link: #0b4f9c; --late: #b00020; --ok: #1e6b35; --warn: #8a5a00;
  --focus: #ffbf47;
}
* { box-sizing: border-box; }
html { font-size: 16px; }
body {
  margin: 0; color: var(--ink); background: var(--band); line-height: 1.55;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif;
}
a { color: var(--link); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, main:focus {
  outline: 3px solid var(--focus); outline-offset: 1px;
}
.skip { position: absolute; left: -999px; top: 0; background: var(--focus); color: var(--ink); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top {
  display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem;
  background: var(--brand); color: var(--brand-ink); padding: .6rem 1.5rem;
}
header.top a { color: var(--brand-ink); }
.brand a { font-weight: 700; font-size: 1.15rem; text-decoration: none; margin-right: .75rem; }
.bureau { font-size: .85rem; opacity: .9; }
header nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
header nav a { text-decoration: none; padding: .2rem .1rem; border-bottom: 2px solid transparent; }
header nav a[aria-current="page"] { border-bottom-color: var(--brand-ink); font-weight: 700; }
.who { margin-left: auto; display: flex; align-items: center; gap: .75rem; font-size: .9rem; }
.who button { background: transparent; color: var(--brand-ink); border: 1px solid var(--brand-ink); border-radius: 3px; padding: .15rem .6rem; cursor: pointer; font: inherit; }
main { max-width: 1200px; margin: 1.25rem auto; padding: 1.25rem 1.5rem; background: var(--paper); border: 1px solid var(--line); }
footer.bottom { text-align: center; color: var(--muted); font-size: .85rem; padding: 1rem; }
h1 { font-size: 1.45rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.count { background: var(--band); border: 1px solid var(--line); border-radius: 1rem; padding: 0 .55rem; font-size: .9rem; }
table.list { border-collapse: collapse; width: 100%; font-size: .95rem; }
table.list th, table.list td { border-bottom: 1px solid var(--line); padding: .4rem .5rem; text-align: left; vertical-align: top; }
table.list thead th { background: var(--band); font-weight: 600; white-space: nowrap; }
table.list td:first-child, .nowrap { white-space: nowrap; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.columns code { overflow-wrap: anywhere; }
tr.overdue td { background: #fdecee; }
.late { color: var(--late); font-weight: 700; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.25rem; margin: 0 0 1rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
dl.facts dd.num { text-align: left !important; }
dd.text { white-space: pre-wrap; }
.form fieldset { border: 1px solid var(--line); padding: .75rem 1rem; margin: 0 0 1rem; }
.form legend { font-weight: 600; padding: 0 .35rem; }
.field { margin: 0 0 .8rem; }
.field label { display: block; font-weight: 600; margin-bottom: .2rem; }
.field.check { display: flex; align-items: center; gap: .5rem; }
.field.check label { display: inline; font-weight: 400; margin: 0; }
.field input[type=text], .field input[type=search], .field input[type=password], .field input[type=date],
.field select, .field textarea {
  width: 100%; max-width: 32rem; font: inherit; padding: .4rem .5rem; border: 1px solid #7a8794; border-radius: 3px; background: #fff;
}
.field textarea { max-width: 48rem; }
.hint { margin: .15rem 0 0; color: var(--muted); font-size: .85rem; }
ul.reasons { margin: 0; padding-left: 1.1rem; }
.req { color: var(--late); }
.field.invalid input, .field.invalid select, .field.invalid textarea { border: 2px solid var(--late); }
.problem { margin: .2rem 0 0; color: var(--late); font-weight: 600; }
button, a.button {
  font: inherit; background: var(--brand); color: #fff; border: 0; border-radius: 3px; padding: .5rem 1.2rem; cursor: pointer; text-decoration: none; display: inline-block;
}
.filters { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 0 1.25rem; background: var(--band); padding: .75rem 1rem; margin-bottom: 1rem; }
.filters .field { margin-bottom: .4rem; }
.filters .field input[type=search] { min-width: 18rem; }
.actions { margin: .5rem 0; }
.alert { border-left: 5px solid var(--late); background: #fdecee; padding: .6rem .9rem; margin: 0 0 1rem; }
.warning { border-left: 5px solid var(--warn); background: #fff4e0; padding: .6rem .9rem; margin: 0 0 1rem; font-weight: 600; }
.notice { border-left: 5px solid var(--ok); background: #e8f4ec; padding: .6rem .9rem; margin: 0 0 1rem; }
.escalation.mass strong { color: var(--late); }
.severity { display: inline-block; border-radius: 3px; padding: 0 .45rem; font-size: .85em; font-weight: 700; white-space: nowrap; }
.severity.red { background: var(--late); color: #fff; }
.severity.orange { background: #c25e00; color: #fff; }
.severity.yellow { background: #f2c230; color: var(--ink); }
table.facts-table { width: auto; min-width: 28rem; }
table.facts-table th { font-weight: 400; color: var(--muted); padding-right: 2rem; white-space: nowrap; }
table.facts-table td.num { text-align: left !important; }
table.evidence-table { margin-top: 1rem; }
table.evidence-table caption { text-align: left; font-weight: 600; padding: .25rem 0; }
.pager { display: flex; gap: 1rem; margin: 1rem 0; }
.forms { display: grid; grid-template-columns: repeat(auto-fit, minmax(22rem, 1fr)); gap: 0 2rem; }
.login { max-width: 26rem; margin: 2rem auto; }
.big-action { margin: 0 0 1rem; }
.inline { display: inline; }
.empty { color: var(--muted); }
@media (max-width: 700px) {
  header.top { padding: .5rem .75rem; }
  .who { margin-left: 0; }
  main { margin: .5rem; padding: .75rem; }
  dl.facts { grid-template-columns: 1fr; }
  dl.facts dt { margin-top: .4rem; }
  table.list { display: block; overflow-x: auto; }
  .filters .field input[type=search] { min-width: 0; }
}
/* The administrators' desk. */
code.hash { font-size: 1.05rem; word-break: break-all; background: var(--band); padding: .2rem .4rem; }
tr.disabled td { color: var(--muted); }
tr.changed td { background: #fff4e0; }
button.danger { background: var(--late); }
.crumbs { margin: 0 0 .25rem; font-size: .9rem; }
/* The escalation board: mass-incident risks stand out; each row's forms sit in its last cell. */
tr.mass td { background: #fdecea; }
form.inline { margin: 0 0 .4rem; }
form.inline button { white-space: nowrap; }
form.inline input[type=text] { width: 100%; min-width: 10rem; }
form.inline label { display: block; font-size: .9rem; margin-top: .2rem; }
#escalation-board td:nth-child(9) { white-space: nowrap; }
/* The weekly report in the page: ReportRenderer.htmlBody() under this stylesheet. */
.report { border-top: 2px solid var(--line); margin-top: 1rem; }
.report section + section { margin-top: 2rem; }
.report h1 { font-size: 1.4rem; border-bottom: 2px solid #b00; padding-bottom: .3rem; }
.report h2 { font-size: 1.15rem; color: #700; margin: 1.4rem 0 .5rem; }
.report h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
.report .meta { color: #444; font-size: .9rem; list-style: none; padding: 0; }
.report .zero { border: 2px solid #b00; color: #b00; font-weight: bold; padding: .6rem; }
.report .lead { font-weight: bold; }
.report table { border-collapse: collapse; width: 100%; font-size: .95rem; margin: .4rem 0 1rem; }
.report th, .report td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; }
.report th { background: var(--band); }
.report .n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.report .none { color: #555; }
.report figure { margin: .5rem 0 1rem; }
.report svg { max-width: 100%; height: auto; font-size: 12px; }
.report svg .ct { font-weight: bold; font-size: 13px; }
.report svg .bar { fill: #b22; }
.report footer { color: #666; font-size: .8rem; }
.downloads a { margin-right: .6rem; }
@media (max-width: 700px) {
  .report table { display: block; overflow-x: auto; }
}
@media print {
  header.top nav, .who, .skip, form, footer.bottom, .pager, .downloads { display: none !important; }
  .report { border: 0; }
  .report section + section { break-before: page; }
  body { background: #fff; }
  main { border: 0; margin: 0; max-width: none; }
  a { color: inherit; text-decoration: none; }
  tr.overdue td { background: none; }
}
"""#
}
