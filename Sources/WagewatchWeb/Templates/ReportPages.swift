extension Templates {
    static let report = #"""
<h1>{{t.weekly_report}} {{week}}</h1>
<p class="hint">{{monday}} – {{sunday}}</p>
<form method="get" action="/reports/weekly" class="filters">
  <div class="field"><label for="week">{{t.week}}</label>
    <input type="week" id="week" name="week" value="{{week}}" aria-describedby="week-hint"><p class="hint" id="week-hint">{{t.week_hint}}</p></div>
  <div class="actions"><button type="submit">{{t.show}}</button></div>
</form>
<nav class="pager" aria-label="{{t.weeks}}">
<a rel="prev" href="{{previous}}">{{t.previous_week}}</a>
{{#thisWeek}}<a href="{{thisWeek}}">{{t.this_week}}</a>{{/thisWeek}}
{{#next}}<a rel="next" href="{{next}}">{{t.next_week}}</a>{{/next}}
</nav>
<p class="downloads">{{t.download}}: {{#downloads}}<a href="{{href}}" download>{{label}}</a> {{/downloads}}</p>
<article class="report" id="weekly-report">
{{{report}}}
</article>
"""#
}
