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
/* Readable from 1280 px up: the tables fit the window (long names and paths
   wrap, numbers never do), the plots fill a grid of as many columns as fit. */
*, *::before, *::after { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; font-size: 15px; margin: 0 auto; padding: 1.5em 2em; max-width: 1840px; color: #222; }
table { border-collapse: collapse; margin: 1em 0; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.4em; vertical-align: top; }
th { background: #f3f3f3; font-weight: 600; text-align: left; }
td { overflow-wrap: break-word; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
#results tbody tr:first-child { background: #fafafa; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(540px, 1fr)); gap: 1em 1.5em; }
figure { margin: 0; min-width: 0; }
figure img { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 0.9em; color: #555; margin-top: 0.3em; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; }
dl.provenance dt { font-weight: 600; }
dl.provenance dd { margin: 0; overflow-wrap: anywhere; }
code { font-size: 0.95em; overflow-wrap: anywhere; }
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
<div class="plots">
{{- range .Figures}}
<figure><img src="{{.File}}" alt="{{.Caption}}" width="{{.PixelWidth}}" height="{{.PixelHeight}}"><figcaption>{{.Caption}}</figcaption></figure>
{{- end}}
</div>
{{- end}}

<h2>Provenance</h2>
{{- with .Run}}
<dl class="provenance" id="run">
<dt>distill</dt><dd>{{.DistillVersion}}</dd>
<dt>date</dt><dd>{{.Created}}</dd>
{{- range .Inputs}}
<dt>{{.Role}}</dt><dd><code>{{.Path}}</code>{{if .SHA256}} sha256 <code>{{.SHA256}}</code>{{end}}</dd>
{{- end}}
</dl>
{{- end}}
<table id="provenance">
<thead><tr><th>System</th><th>Kind</th><th>Model</th><th>Model sha256</th><th>Labels</th><th>Steps</th><th>Training log</th></tr></thead>
<tbody>
{{- range .Provenance}}
<tr><td>{{.Name}}</td><td>{{.Kind}}</td><td><code>{{.CheckpointDir}}</code></td><td><code>{{.ModelSHA256}}</code></td><td><code>{{.Labels}}</code></td><td class="num">{{.Steps}}</td><td><code>{{.MetricsLog}}</code></td></tr>
{{- end}}
</tbody>
</table>
</body>
</html>
`))
