extension Templates {
    /// GET /directpay: the batches, waiting ones first, and the form that plans one.
    static let directPayList = #"""
<h1>{{t.direct_pay}}</h1>
{{>message}}
<p class="hint">{{t.direct_pay_hint}}</p>
<table class="list">
<thead><tr><th scope="col">{{t.batch}}</th><th scope="col">{{t.project}}</th><th scope="col">{{t.period}}</th><th scope="col">{{t.status}}</th>
<th scope="col" class="num">{{t.workers}}</th><th scope="col" class="num">{{t.amount}}</th><th scope="col">{{t.planned_by}}</th><th scope="col">{{t.approved_by}}</th></tr></thead>
<tbody>{{#rows}}<tr><td><a href="/directpay/{{id}}">{{id}}</a></td><td>{{project}} {{projectName}}</td><td>{{period}}</td>
<td data-field="batch-status-{{id}}">{{status}}</td><td class="num">{{lines}}</td><td class="num">{{total}}</td><td>{{plannedBy}}</td><td>{{approvedBy}}</td></tr>{{/rows}}
{{^rows}}<tr><td colspan="8" class="empty">{{t.nothing_found}}</td></tr>{{/rows}}</tbody>
</table>
{{#canPlan}}<section aria-labelledby="plan-h">
<h2 id="plan-h">{{t.plan_batch}}</h2>
<form method="post" action="/directpay" class="record" id="plan-form">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <div class="actions"><button type="submit">{{t.plan_it}}</button></div>
</form>
</section>{{/canPlan}}
"""#

    /// GET /directpay/ID: one batch, its lines (masked), and what may be done with it next.
    static let directPayBatch = #"""
<h1>{{t.batch}} {{id}} · {{project}} · {{period}}</h1>
{{>message}}
<dl class="facts">
<dt>{{t.status}}</dt><dd data-field="status">{{status}}</dd>
<dt>{{t.amount}}</dt><dd data-field="total">{{total}}</dd>
<dt>{{t.source_account}}</dt><dd>{{source}}</dd>
<dt>{{t.planned_by}}</dt><dd data-field="planned_by">{{plannedBy}}</dd>
<dt>{{t.approved_by}}</dt><dd data-field="approved_by">{{approvedBy}}</dd>
</dl>
{{#canApprove}}<form method="post" action="/directpay/{{id}}/approve" class="inline" id="approve-form">
  <input type="hidden" name="_csrf" value="{{csrf}}"><p class="hint">{{t.approve_hint}}</p>
  <button type="submit">{{t.approve}}</button></form>{{/canApprove}}
{{#ownBatch}}<p class="hint" data-field="own-batch">{{t.own_batch_waits}}</p>{{/ownBatch}}
{{#canExecute}}<form method="post" action="/directpay/{{id}}/execute" class="inline" id="execute-form">
  <input type="hidden" name="_csrf" value="{{csrf}}"><p class="hint">{{t.execute_hint}}</p>
  <button type="submit">{{t.execute}}</button></form>{{/canExecute}}
{{#hasBankFile}}<p class="downloads"><a href="/directpay/{{id}}/bank-file" download>{{t.bank_file}}</a></p>{{/hasBankFile}}
<table class="list">
<thead><tr><th scope="col" class="num">{{t.line}}</th><th scope="col">{{t.name}}</th><th scope="col">{{t.id_number}}</th><th scope="col">{{t.bank}}</th>
<th scope="col">{{t.bank_account}}</th><th scope="col" class="num">{{t.amount}}</th><th scope="col">{{t.status}}</th></tr></thead>
<tbody>{{#lines}}<tr><td class="num">{{line}}</td><td>{{name}}</td><td>{{idNumber}}</td><td>{{bank}}</td><td>{{account}}</td>
<td class="num">{{amount}}</td><td data-field="line-status-{{line}}">{{status}}</td></tr>{{/lines}}</tbody>
</table>
{{#canReturn}}<section aria-labelledby="returned-h">
<h2 id="returned-h">{{t.record_returned}}</h2>
<form method="post" action="/directpay/{{id}}/returned" class="record" id="returned-form">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#returnedFields}}{{>field}}{{/returnedFields}}
  <div class="actions"><button type="submit">{{t.record_returned}}</button></div>
</form></section>{{/canReturn}}
<p><a href="/directpay">{{t.back_to_batches}}</a></p>
"""#
}
