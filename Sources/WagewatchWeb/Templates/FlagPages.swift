extension Templates {
    static let flags = #"""
<h1>{{t.flags}}</h1>
<form method="get" action="/flags" class="filters">
  <div class="field"><label for="status">{{t.status}}</label>
    <select id="status" name="status">{{#statuses}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/statuses}}</select></div>
  <div class="field"><label for="severity">{{t.severity}}</label>
    <select id="severity" name="severity">{{#severities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/severities}}</select></div>
  <div class="field"><label for="rule">{{t.rule}}</label>
    <select id="rule" name="rule">{{#rules}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/rules}}</select></div>
  {{^sector}}<div class="field"><label for="dept">{{t.department}}</label>
    <select id="dept" name="dept">{{#departments}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/departments}}</select></div>{{/sector}}
  <div class="actions"><button type="submit">{{t.search}}</button> <a href="/flags">{{t.reset}}</a></div>
</form>
<p class="hint">{{dueHint}}</p>
{{#hasRows}}
<table class="list" id="flag-list">
<thead><tr><th scope="col">{{t.flag_id}}</th><th scope="col">{{t.severity}}</th><th scope="col">{{t.rule}}</th><th scope="col">{{t.project}}</th>
<th scope="col">{{t.flag_employer}}</th>{{^sector}}<th scope="col">{{t.department}}</th>{{/sector}}<th scope="col">{{t.raised}}</th><th scope="col">{{t.status}}</th>
<th scope="col">{{t.review_due}}</th></tr></thead>
<tbody>
{{#rows}}<tr class="sev-{{severity}}{{#late}} overdue{{/late}}"><td><a href="/flags/{{id}}">{{id}}</a></td>
<td><span class="severity {{severity}}">{{severityLabel}}</span></td><td><a href="/flags/{{id}}">{{rule}}</a></td>
<td class="nowrap">{{#project}}<a href="/projects/{{project}}">{{project}}</a>{{/project}}</td><td>{{contractor}}</td>{{^sector}}<td>{{department}}</td>{{/sector}}
<td class="nowrap">{{raised}}</td><td class="nowrap">{{status}}</td><td class="nowrap{{#late}} late{{/late}}" data-field="due-{{id}}">{{due}}</td></tr>
{{/rows}}
</tbody></table>
{{/hasRows}}
{{^hasRows}}<p class="empty">{{t.nothing_found}}</p>{{/hasRows}}
{{>pager}}
"""#

    static let flag = #"""
<h1><span class="severity {{severity}}">{{severityLabel}}</span> {{t.flag}} {{id}} · {{rule}}</h1>
{{>message}}
<dl class="facts">
<dt>{{t.rule}}</dt><dd data-field="rule">{{ruleID}} {{rule}}</dd>
<dt>{{t.severity}}</dt><dd data-field="severity">{{severityLabel}}</dd>
<dt>{{t.status}}</dt><dd data-field="status">{{status}}{{#cleared}} · {{t.condition_cleared}}{{/cleared}}</dd>
<dt>{{t.project}}</dt><dd data-field="project">{{#projectCode}}<a href="/projects/{{projectCode}}">{{projectCode}}</a> {{projectName}}{{/projectCode}}{{^projectCode}}—{{/projectCode}}</dd>
<dt>{{t.flag_employer}}</dt><dd data-field="contractor">{{contractor}} {{contractorUSCC}}</dd>
<dt>{{t.department}}</dt><dd>{{department}}</dd>
<dt>{{t.period_of_flag}}</dt><dd>{{period}}</dd>
<dt>{{t.raised}}</dt><dd>{{raised}}</dd>
<dt>{{t.raised_on}}</dt><dd>{{raisedOn}}</dd>
{{#escalates}}<dt>{{t.review_due}}</dt><dd data-field="review_due"{{#late}} class="late"{{/late}}>{{due}}</dd>{{/escalates}}
{{#reviewAction}}<dt>{{t.confirm_action}}</dt><dd data-field="review_action">{{reviewAction}}</dd>{{/reviewAction}}
{{#reviewReason}}<dt>{{t.review_reason}}</dt><dd data-field="review_reason" class="text">{{reviewReason}}</dd>{{/reviewReason}}
{{#reviewedBy}}<dt>{{t.reviewed_by}}</dt><dd data-field="reviewed_by">{{reviewedBy}}</dd>{{/reviewedBy}}
</dl>
{{#escalates}}<p class="hint">{{dueHint}}</p>{{/escalates}}
<section id="evidence" aria-labelledby="evidence-heading">
<h2 id="evidence-heading">{{t.evidence}}</h2>
{{#evidence}}
{{#hasFacts}}<table class="list facts-table" id="evidence-facts"><tbody>
{{#facts}}<tr><th scope="row">{{label}}</th><td{{#num}} class="num"{{/num}}>{{#href}}<a href="{{href}}">{{value}}</a>{{/href}}{{^href}}{{value}}{{/href}}</td></tr>{{/facts}}
</tbody></table>{{/hasFacts}}
{{#tables}}<table class="list evidence-table">
<caption>{{caption}}</caption>
<thead><tr>{{#columns}}<th scope="col"{{#num}} class="num"{{/num}}>{{label}}</th>{{/columns}}</tr></thead>
<tbody>{{#rows}}<tr>{{#cells}}<td{{#num}} class="num"{{/num}}>{{#href}}<a href="{{href}}">{{text}}</a>{{/href}}{{^href}}{{text}}{{/href}}</td>{{/cells}}</tr>{{/rows}}</tbody>
</table>{{/tables}}
{{/evidence}}
</section>
<section id="reviews" aria-labelledby="reviews-heading">
<h2 id="reviews-heading">{{t.reviews}}</h2>
{{#hasReviews}}<table class="list" id="review-list"><thead><tr><th scope="col">{{t.at}}</th><th scope="col">{{t.reviewed_by}}</th>
<th scope="col">{{t.department}}</th><th scope="col">{{t.action}}</th><th scope="col">{{t.review_reason}}</th></tr></thead>
<tbody>{{#reviews}}<tr><td class="nowrap">{{at}}</td><td>{{reviewer}}</td><td>{{department}}</td><td>{{action}}</td><td>{{reason}}</td></tr>{{/reviews}}</tbody></table>{{/hasReviews}}
{{^hasReviews}}<p>{{t.not_reviewed}}</p>{{/hasReviews}}
</section>
{{#canReview}}
<section aria-labelledby="review-heading">
<h2 id="review-heading">{{t.review_it}}</h2>
<form id="review-form" method="post" action="/flags/{{id}}/review" class="form" novalidate>
<input type="hidden" name="_csrf" value="{{csrf}}">
{{#reviewFields}}{{>field}}{{/reviewFields}}
<div class="actions"><button type="submit" id="record-review">{{t.record_review}}</button></div>
</form>
</section>
{{/canReview}}
<p><a href="/flags">{{t.back_to_flags}}</a></p>
"""#
}
