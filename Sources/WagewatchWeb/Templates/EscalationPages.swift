extension Templates {
    static let escalations = #"""
<h1>{{t.escalations}}</h1>
{{>message}}
<form method="get" action="/escalations" class="filters">
  <div class="field"><label for="level">{{t.level}}</label>
    <select id="level" name="level">{{#levels}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/levels}}</select></div>
  <div class="field check"><input type="checkbox" id="status" name="status" value="resolved"{{#showResolved}} checked{{/showResolved}}>
    <label for="status">{{t.show_resolved}}</label></div>
  <div class="actions"><button type="submit">{{t.search}}</button> <a href="/escalations">{{t.reset}}</a></div>
</form>
<p id="live-alert" class="alert" role="alert" hidden data-raised="{{t.new_escalation}}" data-mass="{{t.new_mass_incident}}"
 data-workers="{{t.workers_count}}" data-open="{{t.open_complaint}}"></p>
<div id="escalation-live">
{{#hasRows}}
<table class="list" id="escalation-board">
<thead><tr><th scope="col">{{t.level}}</th><th scope="col">{{t.escalation_reason}}</th><th scope="col">{{t.employer}}</th>
<th scope="col">{{t.project}}</th><th scope="col" class="num">{{t.workers}}</th><th scope="col" class="num">{{t.amount}}</th>
<th scope="col">{{t.escalation_raised}}</th><th scope="col">{{t.age}}</th><th scope="col">{{t.status}}</th>{{#mayAct}}<th scope="col">{{t.escalation_action}}</th>{{/mayAct}}</tr></thead>
<tbody>
{{#rows}}<tr id="escalation-{{id}}"{{#mass}} class="mass"{{/mass}}>
<td>{{level}}</td>
<td>{{#mass}}<strong class="late">{{t.mass_incident}}</strong>{{/mass}}<ul class="reasons">{{#reasons}}<li>{{.}}</li>{{/reasons}}</ul>
{{#complaintID}}<a href="/complaints/{{complaintID}}">{{t.complaint}} {{complaintID}}</a>{{/complaintID}}
{{#caseID}}<a href="/cases/{{caseID}}">{{t.case}} {{caseID}}</a>{{/caseID}}</td>
<td>{{employer}}</td><td>{{project}}</td><td class="num">{{workers}}</td><td class="num">{{amount}}</td>
<td class="nowrap">{{raised}}</td><td class="nowrap">{{age}}</td>
<td>{{status}}{{#acknowledged}}<br><span class="hint">{{.}}</span>{{/acknowledged}}{{#resolution}}<br><span class="hint">{{.}}</span>{{/resolution}}</td>
{{#mayAct}}<td>{{#open}}<form method="post" action="/escalations/{{id}}/ack" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}">
<input type="hidden" name="escalations" value="{{ids}}">
<button type="submit">{{t.acknowledge}}</button></form>{{/open}}
{{#unresolved}}<form method="post" action="/escalations/{{id}}/resolve" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}">
<input type="hidden" name="escalations" value="{{ids}}">
<label for="reason-{{id}}">{{t.resolution_reason}}</label>
<input type="text" id="reason-{{id}}" name="reason" value="{{reasonValue}}"{{#problem}} aria-invalid="true" aria-describedby="reason-{{id}}-problem"{{/problem}}>
{{#problem}}<p class="problem" id="reason-{{id}}-problem">{{problem}}</p>{{/problem}}
<button type="submit">{{t.resolve}}</button></form>{{/unresolved}}</td>{{/mayAct}}</tr>
{{/rows}}
</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
</div>
{{>pager}}
<script src="/static/board.js" defer></script>
"""#
}
