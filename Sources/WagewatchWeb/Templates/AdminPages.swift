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
<thead><tr><th scope="col">{{t.username}}</th><th scope="col">{{t.role}}</th><th scope="col">{{t.user_department}}</th><th scope="col">{{t.region_code}}</th><th scope="col">{{t.login_state}}</th><th scope="col">{{t.last_sign_in}}</th></tr></thead>
<tbody>{{#rows}}<tr{{#disabled}} class="disabled"{{/disabled}}><td><a href="/admin/users/{{name}}" data-field="user-{{name}}">{{name}}</a></td><td>{{role}}</td><td>{{department}}</td><td>{{region}}</td><td data-field="state-{{name}}">{{state}}</td><td data-field="last-{{name}}">{{lastSignIn}}</td></tr>{{/rows}}</tbody>
</table>
<p><a href="/admin/sign-ins">{{t.recent_sign_ins}}</a></p>
<section aria-labelledby="add-h">
<h2 id="add-h">{{t.add_user}}</h2>
<form method="post" action="/admin/users" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <div class="actions"><button type="submit">{{t.add_user}}</button></div>
</form>
</section>
"""#

    /// GET /admin/users/NAME: one user, their login, their sign-ins; reset the password, disable or enable.
    static let user = #"""
<p class="crumbs"><a href="/admin/users">{{t.users}}</a></p>
<h1>{{t.user}} {{name}}</h1>
{{>message}}
<dl class="facts">
  <dt>{{t.role}}</dt><dd>{{role}}</dd>
  <dt>{{t.user_department}}</dt><dd>{{department}}</dd>
  <dt>{{t.region_code}}</dt><dd>{{region}}</dd>
  <dt>{{t.login_state}}</dt><dd data-field="login-state">{{#disabled}}<strong class="late">{{t.login_disabled}}</strong>{{/disabled}}{{^disabled}}{{t.login_active}}{{/disabled}}</dd>
  {{#disabled}}<dt>{{t.disabled_since}}</dt><dd>{{disabledSince}}</dd><dt>{{t.disabled_by}}</dt><dd>{{disabledBy}}</dd>{{/disabled}}
  <dt>{{t.last_sign_in}}</dt><dd data-field="last-sign-in">{{lastSignIn}}</dd>
</dl>
<div class="forms">
<section aria-labelledby="password-h">
<h2 id="password-h">{{t.reset_password}}</h2>
<form method="post" action="/admin/users/{{name}}/password" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <p class="hint">{{t.reset_password_note}}</p>
  <div class="actions"><button type="submit">{{t.reset_password}}</button></div>
</form>
</section>
<section aria-labelledby="login-h">
<h2 id="login-h">{{t.login_state}}</h2>
{{#disabled}}
<form method="post" action="/admin/users/{{name}}/enable" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  <div class="actions"><button type="submit" id="enable">{{t.enable_login}}</button></div>
</form>
{{/disabled}}
{{^disabled}}{{#self}}<p class="hint">{{t.own_login}}</p>{{/self}}{{^self}}
<form method="post" action="/admin/users/{{name}}/disable" class="record">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  <p class="hint">{{t.disable_note}}</p>
  <div class="actions"><button type="submit" id="disable" class="danger">{{t.disable_login}}</button></div>
</form>
{{/self}}{{/disabled}}
</section>
</div>
<section aria-labelledby="events-h">
<h2 id="events-h">{{t.sign_ins}}</h2>
{{#hasEvents}}<table class="list"><thead><tr><th scope="col">{{t.at}}</th><th scope="col">{{t.event}}</th><th scope="col">{{t.address}}</th></tr></thead>
<tbody>{{#events}}<tr{{#bad}} class="overdue"{{/bad}}><td>{{at}}</td><td data-event="{{eventCode}}">{{event}}</td><td>{{address}}</td></tr>{{/events}}</tbody></table>{{/hasEvents}}
{{^hasEvents}}<p class="empty">{{t.none}}</p>{{/hasEvents}}
</section>
"""#

    /// GET /admin/sign-ins: who signed in when, newest first.
    static let signIns = #"""
<p class="crumbs"><a href="/admin/users">{{t.users}}</a></p>
<h1>{{t.recent_sign_ins}}</h1>
<p class="hint">{{t.sign_ins_shown}} ({{shown}})</p>
<table class="list" id="sign-ins"><thead><tr><th scope="col">{{t.at}}</th><th scope="col">{{t.username}}</th><th scope="col">{{t.event}}</th><th scope="col">{{t.address}}</th></tr></thead>
<tbody>{{#rows}}<tr{{#bad}} class="overdue"{{/bad}}><td>{{at}}</td><td><a href="/admin/users/{{name}}">{{name}}</a></td><td data-event="{{eventCode}}">{{event}}</td><td>{{address}}</td></tr>{{/rows}}</tbody></table>
"""#

    /// GET /admin/configuration: every key in force, its value and its default (read-only).
    static let configuration = #"""
<h1>{{t.configuration}}</h1>
<p class="hint">{{t.configuration_note}}</p>
<dl class="facts"><dt>{{t.config_counts_keys}}</dt><dd data-field="config-keys">{{keys}}</dd><dt>{{t.config_counts_changed}}</dt><dd data-field="config-changed">{{changed}}</dd></dl>
<table class="list" id="configuration"><thead><tr><th scope="col">{{t.config_key}}</th><th scope="col">{{t.config_value}}</th><th scope="col">{{t.config_default}}</th></tr></thead>
<tbody>{{#rows}}<tr{{#changed}} class="changed"{{/changed}}><td><code>{{key}}</code></td><td data-field="value-{{key}}"><code>{{value}}</code>{{#changed}} <strong>({{t.config_changed}})</strong>{{/changed}}</td><td data-field="default-{{key}}"><code>{{default}}</code></td></tr>{{/rows}}</tbody></table>
"""#

    /// GET /admin/audit: `wagewatch audit verify` in the page, and the hash to write down.
    static let audit = #"""
<h1>{{t.audit_verify}}</h1>
{{#intact}}<p class="notice" role="status" data-field="audit-result">{{t.audit_intact}}</p>{{/intact}}
{{^intact}}<p class="alert" role="alert" data-field="audit-result">{{t.audit_broken}}</p>{{/intact}}
<dl class="facts">
  <dt>{{t.audit_checked_at}}</dt><dd>{{checkedAt}}</dd>
  <dt>{{t.audit_rows}}</dt><dd data-field="audit-rows">{{rows}}</dd>
  {{#broken}}<dt>{{t.audit_first_broken}}</dt><dd data-field="audit-broken">{{id}} ({{problem}}): {{detail}}</dd>{{/broken}}
  <dt>{{t.audit_last_hash}}</dt><dd><code class="hash" data-field="audit-last-hash">{{lastHash}}</code></dd>
</dl>
<p class="hint">{{t.audit_write_down}}</p>
"""#
}
