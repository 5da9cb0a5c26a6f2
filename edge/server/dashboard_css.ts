/**
 * The dashboard's stylesheet, served at `/dashboard.css` (a string module:
 * no build step).
 *
 * @module
 */

/** The stylesheet. */
export const DASHBOARD_CSS = `
:root { --bg: #0f1419; --fg: #e6e6e6; --dim: #8b949e; --ok: #3fb950; --bad: #f85149;
  --unk: #d29922; --card: #161b22; --line: #30363d; --hit: #2d1a1c; font: 14px/1.4 system-ui, sans-serif;
  --mono: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
body { background: var(--bg); color: var(--fg); margin: 0; padding: 1rem 2rem; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; } h1 small { color: var(--dim); font-weight: normal; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; } h2 small, h3 small { color: var(--dim); font-weight: normal; }
h3 { font-size: .95rem; margin: 1rem 0 .3rem; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem;
  overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--dim); font-weight: 600; white-space: nowrap; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.node, td.hlc { white-space: nowrap; } td.hlc, span.hlc { font-family: var(--mono); font-size: .9em; }
td.vname { color: var(--bad); font-weight: 600; }
.badge { border-radius: 4px; padding: 0 .4rem; font-size: .85em; font-weight: 600; white-space: nowrap; }
.ok { background: #1f3d28; color: var(--ok); } .violated, .timed.out { background: #4a1d1d; color: var(--bad); }
.unknown { background: #4a3b12; color: var(--unk); }
.mixed { background: #3a2450; color: #d2a8ff; }
.definitely { background: #4a1d1d; color: var(--bad); } .possibly { background: #4a3b12; color: var(--unk); }
.handed { background: #12314a; color: #79c0ff; } .handed-note { color: #79c0ff; }
#counters span { margin-right: 1.5rem; color: var(--dim); white-space: nowrap; display: inline-block; } #counters b { color: var(--fg); }
#counters .alarm, #counters .alarm b { color: var(--bad); }
#conn { float: right; color: var(--dim); }
details { border-bottom: 1px solid var(--line); padding: .4rem 0; }
summary { cursor: pointer; } summary .where { color: var(--dim); }
.body { padding: 0 0 .5rem 1.2rem; } .body p { margin: .4rem 0; }
code { font-family: var(--mono); background: var(--bg); padding: .1rem .3rem; border-radius: 4px; }
.warn { color: var(--unk); }
table.history { width: auto; min-width: 50%; }
table.cut td.state, table.cut td.events, table.history td.call { font-family: var(--mono); font-size: .9em; }
table.cut td.state { overflow-wrap: anywhere; }
table.cut td.events div { white-space: pre-wrap; overflow-wrap: anywhere; padding-left: 1em; text-indent: -1em; }
.mark { display: inline-block; width: 1em; color: var(--bad); font-weight: 700; }
tr.involved td { background: var(--hit); } tr.involved td.node { font-weight: 700; }
td.node.inv { font-weight: 700; }
tr.fail td, td.events div.fail { background: #4a1d1d; } tr.fail td.note, .fail { color: #ffb3ad; }
td.note { color: var(--dim); }
tr.more td { border-bottom: 1px dashed var(--line); }
button { background: var(--bg); color: var(--dim); border: 1px solid var(--line); border-radius: 4px; padding: .1rem .6rem; cursor: pointer; font: inherit; }
button:hover { color: var(--fg); }
.empty { color: var(--dim); font-style: italic; }
#rates { display: grid; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); gap: .3rem 1.5rem; }
#rates figure { margin: .4rem 0; } #rates figcaption { font-size: .9em; }
#rates svg { display: block; width: 100%; height: 60px; background: var(--bg); border-radius: 4px; }
#rates path { fill: none; stroke-width: 1.5; stroke-linejoin: round; vector-effect: non-scaling-stroke; }
#rates line.axis { stroke: var(--line); vector-effect: non-scaling-stroke; }
.legend { font-size: .85em; color: var(--dim); } .legend span { margin-right: .8rem; white-space: nowrap; }
.legend i { display: inline-block; width: .7em; height: .7em; margin-right: .3em; border-radius: 2px; }
figure.diagram { margin: .3rem 0 .6rem; overflow-x: auto; max-height: 80vh; overflow-y: auto; border-radius: 6px; background: #fff; }
#deployment td.owner { font-weight: 600; } #deployment .dim { color: var(--dim); }
#deployment a { color: #58a6ff; }
figure.diagram svg { display: block; } figure.diagram p { margin: .4rem .6rem; } figure.diagram p.loading { color: #57606a; }
`;
