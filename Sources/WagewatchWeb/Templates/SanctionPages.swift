extension Templates {
    /// GET /sanctions: every measure recorded, a lift form on each one in force, the add form,
    /// and the public exposure list to download.
    static let sanctions = #"""
<h1>{{t.sanctions}}</h1>
{{>message}}
<p class="downloads">{{t.exposure_list}}: {{#downloads}}<a href="{{href}}" download>{{label}}</a> {{/downloads}}</p>
<table class="list">
<thead><tr><th scope="col">{{t.sanction_id}}</th><th scope="col">{{t.employer}}</th><th scope="col">{{t.measure}}</th>
<th scope="col">{{t.in_force}}</th><th scope="col">{{t.user_department}}</th><th scope="col">{{t.basis}}</th><th scope="col">{{t.lift}}</th></tr></thead>
<tbody>{{#rows}}<tr><td>{{id}}</td><td>{{contractor}}<br><span class="hint">{{uscc}}</span></td><td>{{measure}}</td><td>{{period}}</td>
<td>{{department}}</td><td>{{basis}}</td>
<td data-field="sanction-{{id}}">{{#lifted}}{{lifted}}{{/lifted}}{{^lifted}}{{#canWrite}}<form method="post" action="/sanctions/{{id}}/lift" class="stack">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  <label for="reason-{{id}}">{{t.lift_reason}}</label><input type="text" id="reason-{{id}}" name="reason" value="{{typedReason}}"{{#problem}} aria-invalid="true" aria-describedby="reason-{{id}}-problem"{{/problem}}>
  {{#problem}}<p class="problem" id="reason-{{id}}-problem">{{problem}}</p>{{/problem}}
  <button type="submit">{{t.lift}}</button></form>{{/canWrite}}{{/lifted}}</td></tr>{{/rows}}
{{^rows}}<tr><td colspan="7" class="empty">{{t.nothing_found}}</td></tr>{{/rows}}</tbody>
</table>
{{#canWrite}}<section aria-labelledby="add-h">
<h2 id="add-h">{{t.add_sanction}}</h2>
<form method="post" action="/sanctions" class="record" id="sanction-form">
  <input type="hidden" name="_csrf" value="{{csrf}}">
  {{#fields}}{{>field}}{{/fields}}
  <div class="actions"><button type="submit">{{t.add_sanction}}</button></div>
</form>
</section>{{/canWrite}}
"""#
}
