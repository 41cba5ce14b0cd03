extension Templates {
    static let cases = #"""
<h1>{{t.cases}}</h1>
<form method="get" action="/cases" class="filters">
  <div class="field check"><input type="checkbox" id="open" name="status" value="open"{{#onlyOpen}} checked{{/onlyOpen}}>
    <label for="open">{{t.only_open}}</label></div>
  <div class="field check"><input type="checkbox" id="overdue" name="overdue" value="true"{{#overdue}} checked{{/overdue}}>
    <label for="overdue">{{t.only_overdue_cases}}</label></div>
  <div class="actions"><button type="submit">{{t.search}}</button> <a href="/cases">{{t.reset}}</a></div>
</form>
{{#hasRows}}
<table class="list" id="case-list">
<thead><tr><th scope="col">{{t.case_id}}</th><th scope="col">{{t.employer}}</th><th scope="col">{{t.project}}</th>
<th scope="col" class="num">{{t.workers}}</th><th scope="col" class="num">{{t.owed}}</th><th scope="col" class="num">{{t.recovered}}</th>
<th scope="col">{{t.investigation_due}}</th><th scope="col">{{t.status}}</th></tr></thead>
<tbody>
{{#rows}}<tr{{#overdue}} class="overdue"{{/overdue}}><td><a href="/cases/{{id}}">{{id}}</a></td><td>{{employer}}</td><td>{{project}}</td>
<td class="num">{{workers}}</td><td class="num">{{owed}}</td><td class="num">{{recovered}}</td>
<td>{{due}}{{#overdue}} <strong class="late">{{t.overdue}}</strong>{{/overdue}}</td><td>{{state}}</td></tr>
{{/rows}}
</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
{{>pager}}
"""#

    static let caseDetail = #"""
<h1>{{t.case}} {{id}} · {{employer}}</h1>
{{>message}}
<dl class="facts">
<dt>{{t.status}}</dt><dd data-field="status">{{state}}</dd>
<dt>{{t.employer}}</dt><dd>{{employer}} {{employerUSCC}}</dd>
<dt>{{t.project}}</dt><dd>{{#projectCode}}<a href="/projects/{{projectCode}}">{{projectCode}}</a>{{/projectCode}}</dd>
<dt>{{t.accepted_on}}</dt><dd>{{acceptedOn}}</dd>
<dt>{{t.investigation_due}}</dt><dd data-field="investigation_due"{{#overdue}} class="late"{{/overdue}}>{{due}}{{#overdue}} · {{t.overdue}}{{/overdue}}</dd>
<dt>{{t.assigned_to}}</dt><dd>{{assignedTo}}</dd>
<dt>{{t.owed}}</dt><dd class="num" data-field="owed">{{owed}}</dd>
<dt>{{t.recovered}}</dt><dd class="num" data-field="recovered">{{recovered}}</dd>
<dt>{{t.outstanding}}</dt><dd class="num" data-field="outstanding">{{outstanding}}</dd>
{{#extension}}<dt>{{t.extension}}</dt><dd>{{days}} · {{approver}} · {{reason}}</dd>{{/extension}}
{{#closedReason}}<dt>{{t.closed_reason}}</dt><dd>{{closedReason}}</dd>{{/closedReason}}
</dl>
<section aria-labelledby="workers-heading">
<h2 id="workers-heading">{{t.claims}}</h2>
<table class="list" id="workers">
<thead><tr><th scope="col">{{t.id_number}}</th><th scope="col">{{t.name}}</th><th scope="col" class="num">{{t.owed}}</th>
<th scope="col" class="num">{{t.recovered}}</th><th scope="col" class="num">{{t.outstanding}}</th></tr></thead>
<tbody>{{#workers}}<tr><td>{{idNumber}}</td><td>{{name}}</td><td class="num" data-field="owed"{{#noClaim}} title="{{t.no_claim}}"{{/noClaim}}>{{owed}}</td><td class="num" data-field="recovered">{{recovered}}</td><td class="num" data-field="outstanding">{{outstanding}}</td></tr>{{/workers}}</tbody>
</table>
{{^hasWorkers}}<p>{{t.none}}</p>{{/hasWorkers}}
</section>
{{#hasRecoveries}}
<section aria-labelledby="recoveries-heading">
<h2 id="recoveries-heading">{{t.recoveries}}</h2>
<table class="list" id="recoveries"><thead><tr><th scope="col">{{t.date}}</th><th scope="col">{{t.id_number}}</th><th scope="col">{{t.source}}</th><th scope="col" class="num">{{t.amount}}</th></tr></thead>
<tbody>{{#recoveries}}<tr><td>{{date}}</td><td>{{idNumber}}</td><td>{{source}}</td><td class="num">{{amount}}</td></tr>{{/recoveries}}</tbody></table>
</section>
{{/hasRecoveries}}
{{#hasReturned}}
<section><h2>{{t.returned_payments}}</h2>
<table class="list"><tbody>{{#returned}}<tr><td>{{idNumber}}</td><td class="num">{{amount}}</td><td>{{reason}}</td></tr>{{/returned}}</tbody></table></section>
{{/hasReturned}}
<section aria-labelledby="complaints-heading">
<h2 id="complaints-heading">{{t.complaints_in_case}}</h2>
<ul>{{#complaints}}<li><a href="/complaints/{{id}}">{{number}}</a> · {{received}} · {{workers}} · {{amount}}</li>{{/complaints}}</ul>
</section>
{{#canWork}}
<div class="forms">
<section aria-labelledby="claim-heading"><h2 id="claim-heading">{{t.add_claim}}</h2>
<form id="claim-form" method="post" action="/cases/{{id}}/claims" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
{{#claimFields}}{{>field}}{{/claimFields}}
<div class="actions"><button type="submit">{{t.save}}</button></div></form></section>
<section aria-labelledby="recovery-heading"><h2 id="recovery-heading">{{t.add_recovery}}</h2>
<form id="recovery-form" method="post" action="/cases/{{id}}/recoveries" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="key" value="{{recoveryKey}}">
{{#recoveryFields}}{{>field}}{{/recoveryFields}}
<div class="actions"><button type="submit">{{t.save}}</button></div></form></section>
{{#canExtend}}<section aria-labelledby="extend-heading"><h2 id="extend-heading">{{t.extend}}</h2>
<form id="extension-form" method="post" action="/cases/{{id}}/extension" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
{{#extensionFields}}{{>field}}{{/extensionFields}}
<div class="actions"><button type="submit">{{t.save}}</button></div></form></section>{{/canExtend}}
<section aria-labelledby="close-heading"><h2 id="close-heading">{{t.close_case}}</h2>
<form id="close-form" method="post" action="/cases/{{id}}/close" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
{{#closeFields}}{{>field}}{{/closeFields}}
<div class="actions"><button type="submit">{{t.close_case}}</button></div></form></section>
</div>
{{/canWork}}
{{>timeline}}
"""#

    static let projects = #"""
<h1>{{t.projects}}</h1>
{{#hasRows}}
<table class="list" id="project-list">
<thead><tr><th scope="col">{{t.code}}</th><th scope="col">{{t.project_name}}</th><th scope="col">{{t.type}}</th><th scope="col">{{t.department}}</th>
<th scope="col">{{t.contractor}}</th><th scope="col" class="num">{{t.contract_value}}</th><th scope="col">{{t.project_status}}</th></tr></thead>
<tbody>{{#rows}}<tr><td><a href="/projects/{{code}}">{{code}}</a></td><td>{{name}}</td><td>{{type}}</td><td>{{department}}</td>
<td>{{contractor}}</td><td class="num">{{value}}</td><td>{{status}}</td></tr>{{/rows}}</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
{{>pager}}
"""#

    static let project = #"""
<h1>{{t.project}} {{code}} · {{name}}</h1>
<dl class="facts">
<dt>{{t.type}}</dt><dd>{{type}}</dd>
<dt>{{t.funding}}</dt><dd>{{funding}}</dd>
<dt>{{t.department}}</dt><dd>{{department}}</dd>
<dt>{{t.region_code}}</dt><dd>{{region}}</dd>
<dt>{{t.owner}}</dt><dd>{{owner}}</dd>
<dt>{{t.contractor}}</dt><dd>{{contractor}}</dd>
<dt>{{t.contract_value}}</dt><dd class="num">{{value}}</dd>
<dt>{{t.planned}}</dt><dd>{{plannedStart}} – {{plannedEnd}}</dd>
<dt>{{t.project_status}}</dt><dd>{{status}}</dd>
<dt>{{t.wage_account}}</dt><dd>{{#wageAccount}}{{#accountLinks}}<a href="/accounts/{{wageAccount}}">{{wageAccount}}</a>{{/accountLinks}}{{^accountLinks}}{{wageAccount}}{{/accountLinks}}{{/wageAccount}}{{^wageAccount}}{{t.no_account}}{{/wageAccount}}</dd>
<dt>{{t.deposit_account}}</dt><dd>{{#depositAccount}}{{#accountLinks}}<a href="/accounts/{{depositAccount}}">{{depositAccount}}</a>{{/accountLinks}}{{^accountLinks}}{{depositAccount}}{{/accountLinks}}{{/depositAccount}}{{^depositAccount}}{{t.no_account}}{{/depositAccount}}</dd>
</dl>
"""#

    static let account = #"""
<h1>{{t.ledger}} {{account}}</h1>
<dl class="facts"><dt>{{t.balance}}</dt><dd class="num" data-field="balance">{{balance}}</dd><dt>{{t.as_of}}</dt><dd>{{asOf}}</dd></dl>
{{#hasRows}}
<table class="list" id="ledger">
<thead><tr><th scope="col">{{t.date}}</th><th scope="col">{{t.key}}</th><th scope="col">{{t.from}}</th><th scope="col">{{t.to}}</th>
<th scope="col" class="num">{{t.in}}</th><th scope="col" class="num">{{t.out}}</th><th scope="col" class="num">{{t.balance}}</th><th scope="col">{{t.memo}}</th></tr></thead>
<tbody>{{#rows}}<tr><td class="nowrap">{{date}}</td><td>{{key}}</td><td class="nowrap">{{from}}</td><td class="nowrap">{{to}}</td><td class="num">{{credit}}</td><td class="num">{{debit}}</td><td class="num">{{balance}}</td><td>{{memo}}</td></tr>{{/rows}}</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
{{>pager}}
"""#

    static let desk = #"""
<h1>{{t.desk}}</h1>
{{>message}}
{{#intake}}<p class="big-action"><a class="button" href="/complaints/new">{{t.new_complaint}}</a></p>
<form method="get" action="/complaints" role="search" class="filters"><div class="field"><label for="q">{{t.q}}</label>
<input type="search" id="q" name="q" aria-describedby="q-hint"><p class="hint" id="q-hint">{{t.search_hint}}</p></div>
<div class="actions"><button type="submit">{{t.search}}</button></div></form>{{/intake}}
{{#reports}}<p class="desk-links"><a href="/reports/weekly">{{t.weekly_report}}</a> · <a href="/reports/scorecard" id="desk-scorecard">{{t.scorecard}}</a></p>{{/reports}}
{{#sections}}
<section aria-labelledby="{{key}}-heading">
<h2 id="{{key}}-heading">{{heading}}{{#count}} <span class="count">{{count}}</span>{{/count}}</h2>
{{#hasRows}}<table class="list" id="{{key}}"><thead><tr>{{#columns}}<th scope="col"{{#num}} class="num"{{/num}}>{{label}}</th>{{/columns}}</tr></thead>
<tbody>{{#rows}}<tr{{#late}} class="overdue"{{/late}}>{{#cells}}<td{{#num}} class="num"{{/num}}>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}{{#late}} <strong class="late">{{lateWord}}</strong>{{/late}}</td>{{/cells}}</tr>{{/rows}}</tbody></table>{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_waiting}}</p>{{/hasRows}}
{{#more}}<p><a href="{{more}}">{{moreLabel}}</a></p>{{/more}}
</section>
{{/sections}}
"""#
}
