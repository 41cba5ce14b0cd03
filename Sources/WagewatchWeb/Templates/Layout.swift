extension Templates {
    static let layout = #"""
<!doctype html>
<html lang="{{htmlLang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{t.app}}</title>
<link rel="stylesheet" href="/static/wagewatch.css">
</head>
<body>
<a class="skip" href="#main">{{t.skip}}</a>
<header class="top">
  <div class="brand"><a href="/">{{t.app}}</a><span class="bureau">{{t.bureau}}</span></div>
  {{#user}}
  <nav aria-label="{{t.nav}}"><ul>
    {{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}
  </ul></nav>
  <div class="who">
    <span class="user">{{name}} · {{role}}</span>
    <a class="lang" href="{{otherLangHref}}" hreflang="{{otherLang}}">{{t.other_language}}</a>
    <form id="logout" method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <button type="submit">{{t.logout}}</button>
    </form>
  </div>
  {{/user}}
  {{^user}}<div class="who"><a class="lang" href="{{otherLangHref}}" hreflang="{{otherLang}}">{{t.other_language}}</a></div>{{/user}}
</header>
<main id="main" tabindex="-1">
{{{content}}}
</main>
<footer class="bottom">有报必接、有案必查、有欠必追</footer>
</body>
</html>
"""#

    /// One form field: label, input, hint and the problem beside it.
    static let field = #"""
<div class="field{{#hasProblem}} invalid{{/hasProblem}}{{#isCheckbox}} check{{/isCheckbox}}">
{{#isCheckbox}}<input type="checkbox" id="{{name}}" name="{{name}}" value="true"{{#checked}} checked{{/checked}}{{#hasProblem}} aria-invalid="true" aria-describedby="{{name}}-problem"{{/hasProblem}}>
<label for="{{name}}">{{label}}</label>{{/isCheckbox}}
{{^isCheckbox}}<label for="{{name}}">{{label}}{{#required}} <span class="req" aria-hidden="true">*</span>{{/required}}</label>
{{#isSelect}}<select id="{{name}}" name="{{name}}"{{#hasProblem}} aria-invalid="true" aria-describedby="{{name}}-problem"{{/hasProblem}}>
{{#options}}<option value="{{optionValue}}"{{#selected}} selected{{/selected}}>{{optionLabel}}</option>
{{/options}}</select>{{/isSelect}}
{{#isTextarea}}<textarea id="{{name}}" name="{{name}}" rows="4"{{#hasProblem}} aria-invalid="true" aria-describedby="{{name}}-problem"{{/hasProblem}}{{^hasProblem}}{{#hasHint}} aria-describedby="{{name}}-hint"{{/hasHint}}{{/hasProblem}}>{{value}}</textarea>{{/isTextarea}}
{{#isInput}}<input type="{{type}}" id="{{name}}" name="{{name}}" value="{{value}}" autocomplete="{{autocomplete}}"{{#hasInputMode}} inputmode="{{inputMode}}"{{/hasInputMode}}{{#required}} aria-required="true"{{/required}}{{#hasProblem}} aria-invalid="true" aria-describedby="{{name}}-problem"{{/hasProblem}}{{^hasProblem}}{{#hasHint}} aria-describedby="{{name}}-hint"{{/hasHint}}{{/hasProblem}}>{{/isInput}}
{{/isCheckbox}}
{{#hasHint}}<p class="hint" id="{{name}}-hint">{{hint}}</p>{{/hasHint}}
{{#hasProblem}}<p class="problem" id="{{name}}-problem">{{problem}}</p>{{/hasProblem}}
</div>
"""#

    /// The notices and refusals at the top of a page.
    static let message = #"""
{{#notices}}<p class="notice" role="status">{{.}}</p>{{/notices}}
{{#warnings}}<p class="warning" role="alert">{{.}}</p>{{/warnings}}
{{#alerts}}<p class="alert" role="alert">{{.}}</p>{{/alerts}}
"""#

    static let pager = #"""
{{#pager}}<nav class="pager" aria-label="pages">
{{#previous}}<a rel="prev" href="{{previous}}">{{t.previous}}</a>{{/previous}}
<span>{{label}}</span>
{{#next}}<a rel="next" href="{{next}}">{{t.next}}</a>{{/next}}
</nav>{{/pager}}
"""#

    static let error = #"""
<h1>{{heading}}</h1>
<p class="alert" role="alert">{{message}}</p>
<p><a href="/">{{t.back_to_desk}}</a></p>
"""#

    static let login = #"""
<section class="login">
<h1>{{t.sign_in}}</h1>
{{>message}}
<form method="post" action="/login" class="form" novalidate>
  <input type="hidden" name="_csrf" value="{{csrf}}">
  <input type="hidden" name="next" value="{{next}}">
  <input type="hidden" name="lang" value="{{lang}}">
  <div class="field"><label for="username">{{t.username}}</label>
    <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" autofocus></div>
  <div class="field"><label for="password">{{t.password}}</label>
    <input type="password" id="password" name="password" autocomplete="current-password"></div>
  <button type="submit" id="sign-in">{{t.sign_in}}</button>
</form>
</section>
"""#

    static let status = #"""
<section class="login status">
<h1>{{t.status_title}}</h1>
<p>{{t.status_intro}}</p>
{{>message}}
<form method="get" action="/status" class="form" id="status-form">
  <input type="hidden" name="lang" value="{{lang}}">
  <div class="field"><label for="number">{{t.status_number}}</label>
    <input type="text" id="number" name="number" value="{{number}}" required autofocus></div>
  <div class="field"><label for="phone4">{{t.status_phone4}}</label>
    <input type="text" id="phone4" name="phone4" value="{{phone4}}" required inputmode="numeric" pattern="[0-9]{4}" maxlength="4" autocomplete="off"></div>
  <button type="submit" id="status-look">{{t.status_look}}</button>
</form>
{{#result}}
<dl class="facts" id="status-result">
  <dt>{{t.status_number}}</dt><dd data-field="number">{{number}}</dd>
  <dt>{{t.status_stage}}</dt><dd data-field="stage">{{stage}}</dd>
  <dt>{{t.status_outcome}}</dt><dd data-field="outcome">{{outcome}}</dd>
  <dt>{{t.status_received_on}}</dt><dd data-field="received_on">{{receivedOn}}</dd>
  <dt>{{t.status_decided_on}}</dt><dd data-field="decided_on">{{decidedOn}}</dd>
  <dt>{{t.status_closed_on}}</dt><dd data-field="closed_on">{{closedOn}}</dd>
</dl>
{{/result}}
</section>
"""#
}
