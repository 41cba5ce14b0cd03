extension Templates {
    static let complaints = #"""
<h1>{{t.complaints}}</h1>
<form method="get" action="/complaints" class="filters" role="search">
  <div class="field"><label for="q">{{t.q}}</label>
    <input type="search" id="q" name="q" value="{{q}}" aria-describedby="q-hint"><p class="hint" id="q-hint">{{t.search_hint}}</p></div>
  <div class="field"><label for="status">{{t.status}}</label>
    <select id="status" name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></div>
  <div class="field"><label for="outcome">{{t.outcome}}</label>
    <select id="outcome" name="outcome">{{#outcomes}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/outcomes}}</select></div>
  <div class="field check"><input type="checkbox" id="overdue" name="overdue" value="true"{{#overdue}} checked{{/overdue}}>
    <label for="overdue">{{t.only_overdue}}</label></div>
  <input type="hidden" name="employer" value="{{employer}}">
  <div class="actions"><button type="submit">{{t.search}}</button> <a href="/complaints">{{t.reset}}</a></div>
</form>
{{#hasRows}}
<table class="list" id="complaint-list">
<thead><tr><th scope="col">{{t.number}}</th><th scope="col">{{t.received}}</th><th scope="col">{{t.employer}}</th>
<th scope="col">{{t.project}}</th><th scope="col" class="num">{{t.workers}}</th><th scope="col" class="num">{{t.amount}}</th>
<th scope="col">{{t.caller_phone}}</th><th scope="col">{{t.status}}</th><th scope="col">{{t.decision_due}}</th><th scope="col">{{t.case}}</th></tr></thead>
<tbody>
{{#rows}}<tr{{#overdue}} class="overdue"{{/overdue}}>
<td><a href="/complaints/{{id}}">{{number}}</a></td><td>{{received}}</td><td>{{employer}}</td><td>{{project}}</td>
<td class="num">{{workers}}</td><td class="num">{{amount}}</td><td>{{phone}}</td><td>{{state}}</td>
<td>{{due}}{{#overdue}} <strong class="late">{{t.overdue}}</strong>{{/overdue}}</td>
<td>{{#caseID}}<a href="/cases/{{caseID}}">{{caseID}}</a>{{/caseID}}</td></tr>
{{/rows}}
</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
{{>pager}}
"""#

    static let complaintNew = #"""
<h1>{{t.new_complaint}}</h1>
{{>message}}
<form method="post" action="/complaints" class="form complaint-form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
<fieldset><legend>{{t.caller}}</legend>
{{#callerFields}}{{>field}}{{/callerFields}}
</fieldset>
<fieldset><legend>{{t.employer}}</legend>
{{#employerFields}}{{>field}}{{/employerFields}}
</fieldset>
<fieldset><legend>{{t.owed_period}}</legend>
{{#arrearsFields}}{{>field}}{{/arrearsFields}}
</fieldset>
<div class="actions"><button type="submit" id="submit">{{t.log_it}}</button></div>
</form>
"""#

    static let complaint = #"""
<h1>{{t.complaint}} <span data-field="number">{{number}}</span></h1>
{{>message}}
<dl class="facts">
<dt>{{t.status}}</dt><dd data-field="status">{{state}}</dd>
<dt>{{t.outcome}}</dt><dd data-field="outcome">{{outcome}}{{#reason}}（{{reason}}）{{/reason}}{{#referredTo}} → {{referredTo}}{{/referredTo}}</dd>
<dt>{{t.decision_due}}</dt><dd data-field="decision_due"{{#overdue}} class="late"{{/overdue}}>{{due}}{{#overdue}} · {{t.overdue}}{{/overdue}}</dd>
{{#caseID}}<dt>{{t.case}}</dt><dd><a data-field="case" href="/cases/{{caseID}}">{{caseID}}</a></dd>{{/caseID}}
<dt>{{t.received_at}}</dt><dd data-field="received_at">{{received}}</dd>
<dt>{{t.channel}}</dt><dd>{{channel}}</dd>
<dt>{{t.region_code}}</dt><dd>{{region}}</dd>
<dt>{{t.caller_name}}</dt><dd data-field="caller_name">{{callerName}}</dd>
<dt>{{t.caller_phone}}</dt><dd data-field="caller_phone">{{callerPhone}}</dd>
<dt>{{t.employer_name}}</dt><dd data-field="employer_name">{{employerName}}</dd>
<dt>{{t.employer_uscc}}</dt><dd>{{employerUSCC}}</dd>
<dt>{{t.project_code}}</dt><dd>{{#projectCode}}<a href="/projects/{{projectCode}}">{{projectCode}}</a>{{/projectCode}}</dd>
<dt>{{t.workers_involved}}</dt><dd class="num" data-field="workers_involved">{{workers}}</dd>
<dt>{{t.amount}}</dt><dd class="num" data-field="amount">{{amount}}</dd>
<dt>{{t.owed_period}}</dt><dd>{{owedSince}} – {{owedUntil}}</dd>
<dt>{{t.employer_absconded}}</dt><dd>{{absconded}}</dd>
<dt>{{t.text}}</dt><dd class="text">{{text}}</dd>
</dl>
<section id="escalations" aria-labelledby="escalations-heading">
<h2 id="escalations-heading">{{t.escalations}}</h2>
{{#hasEscalations}}<ul>{{#escalations}}<li class="escalation{{#mass}} mass{{/mass}}"><strong>{{level}}</strong> · {{reason}} · {{status}} · {{raised}}</li>{{/escalations}}</ul>{{/hasEscalations}}
{{^hasEscalations}}<p>{{t.no_escalation}}</p>{{/hasEscalations}}
</section>
{{#canDecide}}
<section aria-labelledby="decide-heading">
<h2 id="decide-heading">{{t.decide}}</h2>
<form id="decision-form" method="post" action="/complaints/{{id}}/decision" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
{{#decisionFields}}{{>field}}{{/decisionFields}}
<div class="actions"><button type="submit" id="decide">{{t.record_decision}}</button></div>
</form>
</section>
{{/canDecide}}
{{>timeline}}
"""#

    static let timeline = #"""
<section aria-labelledby="timeline-heading">
<h2 id="timeline-heading">{{t.timeline}}</h2>
{{#hasTimeline}}<table class="list" id="timeline"><thead><tr><th scope="col">{{t.at}}</th><th scope="col">{{t.by}}</th><th scope="col">{{t.what}}</th></tr></thead>
<tbody>{{#timeline}}<tr><td>{{at}}</td><td>{{actor}}</td><td>{{what}}</td></tr>{{/timeline}}</tbody></table>{{/hasTimeline}}
{{^hasTimeline}}<p>{{t.none}}</p>{{/hasTimeline}}
</section>
"""#
}
