/**
 * The dashboard's stylesheet, served at `/dashboard.css` (a string module:
 * no build step).
 *
 * @module
 */

/** The stylesheet. */
export const DASHBOARD_CSS = `
:root { --bg: #0f1419; --fg: #e6e6e6; --dim: #8b949e; --ok: #3fb950; --bad: #f85149;
  --unk: #d29922; --card: #161b22; --line: #30363d; font: 14px/1.4 system-ui, sans-serif; }
body { background: var(--bg); color: var(--fg); margin: 0; padding: 1rem 2rem; }
h1 { font-size: 1.3rem; margin: 0 0 .5rem; } h1 small { color: var(--dim); font-weight: normal; }
h2 { font-size: 1.05rem; margin: 1.5rem 0 .5rem; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: .5rem 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--dim); font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { border-radius: 4px; padding: 0 .4rem; font-size: .85em; font-weight: 600; }
.ok { background: #1f3d28; color: var(--ok); } .violated { background: #4a1d1d; color: var(--bad); }
.unknown { background: #4a3b12; color: var(--unk); }
#counters span { margin-right: 1.5rem; color: var(--dim); } #counters b { color: var(--fg); }
#conn { float: right; color: var(--dim); }
details { border-bottom: 1px solid var(--line); padding: .4rem 0; }
summary { cursor: pointer; } summary .where { color: var(--dim); }
pre { background: var(--bg); padding: .4rem; border-radius: 4px; overflow-x: auto; margin: .2rem 0; }
.empty { color: var(--dim); font-style: italic; }
`;
