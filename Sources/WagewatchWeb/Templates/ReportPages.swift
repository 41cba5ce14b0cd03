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
<p><a href="{{scorecardHref}}" id="scorecard-link">{{t.scorecard}}</a></p>
<article class="report" id="weekly-report">
{{{report}}}
</article>
"""#

    /// GET /reports/scorecard: the weekly report's department scorecard, one row per department.
    static let scorecard = #"""
<h1>{{t.scorecard}} {{week}}</h1>
<p class="hint">{{t.scorecard_period}} {{yearStart}} – {{asOf}}</p>
<form method="get" action="/reports/scorecard" class="filters">
  <div class="field"><label for="week">{{t.week}}</label>
    <input type="week" id="week" name="week" value="{{week}}" aria-describedby="week-hint"><p class="hint" id="week-hint">{{t.week_hint}}</p></div>
  <div class="actions"><button type="submit">{{t.show}}</button></div>
</form>
<nav class="pager" aria-label="{{t.weeks}}">
<a rel="prev" href="{{previous}}">{{t.previous_week}}</a>
{{#thisWeek}}<a href="{{thisWeek}}">{{t.this_week}}</a>{{/thisWeek}}
{{#next}}<a rel="next" href="{{next}}">{{t.next_week}}</a>{{/next}}
</nav>
<p><a href="{{reportHref}}">{{t.weekly_report}} {{week}}</a></p>
{{#hasRows}}
<table class="list" id="scorecard">
<thead><tr>{{#headers}}<th scope="col"{{#num}} class="num"{{/num}}>{{label}}</th>{{/headers}}</tr></thead>
<tbody>{{#rows}}<tr data-department="{{code}}"><th scope="row">{{department}}</th>
{{#complaints}}<td class="num" data-field="{{code}}-complaints">{{percent}} <span class="of">({{of}})</span></td>{{/complaints}}
{{#cases}}<td class="num" data-field="{{code}}-cases">{{percent}} <span class="of">({{of}})</span></td>{{/cases}}
{{#flags}}<td class="num" data-field="{{code}}-flags">{{percent}} <span class="of">({{of}})</span></td>{{/flags}}
<td class="num" data-field="{{code}}-owed">{{owed}}</td><td class="num" data-field="{{code}}-recovered">{{recovered}}</td>
<td class="num" data-field="{{code}}-recovered-share">{{recoveredShare}}</td>
{{#closedPaid}}<td class="num" data-field="{{code}}-closed-paid">{{percent}} <span class="of">({{of}})</span></td>{{/closedPaid}}</tr>{{/rows}}</tbody>
</table>
<p class="hint">{{t.scorecard_note}}</p>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.scorecard_empty}}</p>{{/hasRows}}
"""#
}
