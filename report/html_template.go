package report

import "html/template"

// htmlTemplate is report.html: inline CSS, no script, images by relative path.
var htmlTemplate = template.Must(template.New(HTMLFile).Funcs(template.FuncMap{
	"numeric": func(numeric []bool, j int) bool { return j < len(numeric) && numeric[j] },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>distill compare</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 72em; color: #222; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:first-child { background: #fafafa; }
figure { display: inline-block; margin: 0.5em; }
figcaption { font-size: 0.9em; color: #555; max-width: 576px; }
code { font-size: 0.95em; }
</style>
</head>
<body>
<h1>distill compare</h1>
<p>{{.Systems}} systems on {{.Queries}} queries; baseline: <strong>{{.Baseline}}</strong>.</p>

<h2>Results</h2>
<table id="results">
<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- $numeric := .Numeric}}
{{- range .Rows}}
<tr>{{range $j, $cell := .}}<td{{if numeric $numeric $j}} class="num"{{end}}>{{$cell}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- if .SigRows}}

<h2>Differences from {{.Baseline}}</h2>
<table id="significance">
<thead><tr>{{range .SigHeader}}<th>{{.}}</th>{{end}}</tr></thead>
<tbody>
{{- range .SigRows}}
<tr>{{range $j, $cell := .}}<td{{if $j}} class="num"{{end}}>{{$cell}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table>
{{- end}}

<h2>Notes</h2>
<ul>
{{- range .Notes}}
<li>{{.}}</li>
{{- end}}
</ul>
{{- if .Figures}}

<h2>Plots</h2>
{{- range .Figures}}
<figure><img src="{{.File}}" alt="{{.Caption}}" width="{{.PixelWidth}}" height="{{.PixelHeight}}"><figcaption>{{.Caption}}</figcaption></figure>
{{- end}}
{{- end}}

<h2>Provenance</h2>
<table id="provenance">
<thead><tr><th>System</th><th>Kind</th><th>Checkpoint</th><th>Labels</th><th>Steps</th><th>Training log</th></tr></thead>
<tbody>
{{- range .Provenance}}
<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td><code>{{.CheckpointDir}}</code></td><td>{{.Labels}}</td><td class="num">{{.Steps}}</td><td><code>{{.MetricsLog}}</code></td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))
