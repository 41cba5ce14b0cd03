extension Templates {
    /// GET /imports/new and the answer to POST /imports: the form, then what the file came to.
    static let importPage = #"""
<h1>{{t.import_csv}}</h1>
{{>message}}
<form method="post" action="/imports" enctype="multipart/form-data" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <div class="field{{#fileProblem}} invalid{{/fileProblem}}">
    <label for="file">{{t.import_file}} <span class="req" aria-hidden="true">*</span></label>
    <input type="file" id="file" name="file" accept=".csv,text/csv" aria-required="true" aria-describedby="file-hint{{#fileProblem}} file-problem{{/fileProblem}}">
    <p class="hint" id="file-hint">{{t.import_file_hint}}</p>
    {{#fileProblem}}<p class="problem" id="file-problem">{{fileProblem}}</p>{{/fileProblem}}
  </div>
  <div class="actions"><button type="submit">{{t.import_it}}</button></div>
</form>
{{#summary}}
<section aria-labelledby="summary-h">
<h2 id="summary-h">{{heading}}</h2>
<table class="list"><thead><tr><th scope="col">{{t.import_count}}</th><th scope="col" class="num">{{t.rows}}</th></tr></thead>
<tbody>{{#counts}}<tr><td>{{label}}</td><td class="num" data-field="count-{{key}}">{{value}}</td></tr>{{/counts}}</tbody></table>
</section>
{{/summary}}
{{#hasProblems}}
<section aria-labelledby="problems-h">
<h2 id="problems-h">{{t.import_problems}}</h2>
<p class="alert" role="alert">{{t.import_nothing_written}}</p>
<table class="list"><thead><tr><th scope="col">{{t.line}}</th><th scope="col">{{t.column}}</th><th scope="col">{{t.problem}}</th></tr></thead>
<tbody>{{#problems}}<tr><td class="num">{{line}}</td><td>{{column}}</td><td>{{problem}}</td></tr>{{/problems}}</tbody></table>
{{#more}}<p class="hint">{{more}}</p>{{/more}}
</section>
{{/hasProblems}}
<section aria-labelledby="kinds-h">
<h2 id="kinds-h">{{t.import_columns}}</h2>
<table class="list"><thead><tr><th scope="col">{{t.kind}}</th><th scope="col">{{t.columns}}</th></tr></thead>
<tbody>{{#kinds}}<tr><td>{{label}}</td><td class="columns"><code>{{columns}}</code></td></tr>{{/kinds}}</tbody></table>
</section>
"""#

    /// GET /admin/users: who uses the system, and the form that adds a person.
    static let users = #"""
<h1>{{t.users}}</h1>
{{>message}}
<table class="list">
<thead><tr><th scope="col">{{t.username}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.user_department}}</th><th scope="col">{{t.region_code}}</th></tr></thead>
<tbody>{{#rows}}<tr><td data-field="user-{{name}}">{{name}}</td><td>{{role}}</td><td>{{department}}</td><td>{{region}}</td></tr>{{/rows}}</tbody>
</table>
<section aria-labelledby="add-h">
<h2 id="add-h">{{t.add_user}}</h2>
<form method="post" action="/admin/users" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <div class="actions"><button type="submit">{{t.add_user}}</button></div>
</form>
</section>
"""#
}
