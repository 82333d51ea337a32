using System.Globalization;
using System.Net;
using System.Text;
using ModelSelection.Comparison;
using ModelSelection.Devices;

namespace ModelSelection.Samples.WebApi;

/// <summary>
/// The comparison as a page: a form (devices, task, budget, precision) submitted by GET, the five dimensions as a
/// table, the choice per device, and the picture (<c>/compare.png</c> with the same query).
/// </summary>
internal static class ComparePage
{
    /// <summary>Reads the form's query into a request, collecting every problem by field.</summary>
    public static (ComparisonRequest Request, Dictionary<string, string> Errors) Read(IQueryCollection query, Catalog.DeviceCatalog devices)
    {
        var errors = new Dictionary<string, string>();
        var request = new ComparisonRequest();
        var chosen = query["devices"].SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        if (chosen.Length > 0)
        {
            var unknown = chosen.Where(id => !devices.TryGet(id, out _)).ToArray();
            if (unknown.Length > 0)
            {
                errors["devices"] = $"Unknown device(s): {string.Join(", ", unknown)}.";
            }
            else
            {
                request = request with { DeviceIds = chosen };
            }
        }

        if (query["task"].FirstOrDefault() is { Length: > 0 } task)
        {
            if (ModelTasks.TryParse(task, out var t))
            {
                request = request with { Task = t };
            }
            else
            {
                errors["task"] = $"Task must be one of {string.Join(", ", ModelTasks.AllNames)}; was '{task}'.";
            }
        }

        if (query["budgetMs"].FirstOrDefault() is { Length: > 0 } budget)
        {
            if (double.TryParse(budget, NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms > 0 && double.IsFinite(ms))
            {
                request = request with { LatencyBudget = TimeSpan.FromMilliseconds(ms) };
            }
            else
            {
                errors["budgetMs"] = $"The budget must be a positive number of milliseconds; was '{budget}'.";
            }
        }

        if (query["precision"].FirstOrDefault() is { Length: > 0 } precision)
        {
            if (NumericPrecision.TryParse(precision, CultureInfo.InvariantCulture, out var p))
            {
                request = request with { Precision = p };
            }
            else
            {
                errors["precision"] = $"Unknown precision '{precision}'.";
            }
        }

        return (request, errors);
    }

    /// <summary>The page: the form, and the table and picture, or the errors.</summary>
    public static string Html(ComparisonRequest request, ComparisonResult? result, Dictionary<string, string> errors, Catalog.DeviceCatalog devices, string query)
    {
        var h = new StringBuilder();
        h.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Large or small? — ModelSelection</title>");
        h.Append("<style>body{font-family:system-ui,sans-serif;margin:2rem;color:#111}table{border-collapse:collapse;font-size:.85rem}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}.large{color:#C2410C}.small{color:#0F766E}.ok{background:#ecfdf5}.no{background:#fef2f2}.error{color:#b91c1c}fieldset{border:1px solid #ddd;margin-bottom:1rem}img{max-width:100%}</style></head><body>");
        h.Append("<h1>Large or small?</h1><p>Every figure is computed by ModelSelection on its built-in catalogs, or published with its source (pre-training).</p>");
        h.Append("<form id=\"compare\" method=\"get\" action=\"/compare\"><fieldset><legend>Devices</legend>");
        foreach (var tier in Enum.GetValues<DeviceTier>())
        {
            h.Append("<div><strong>").Append(DeviceTiers.ToName(tier)).Append(":</strong> ");
            foreach (var d in devices.Devices.Where(d => d.Tier == tier))
            {
                var check = request.DeviceIds.Contains(d.Id, StringComparer.OrdinalIgnoreCase) ? " checked" : string.Empty;
                h.Append(CultureInfo.InvariantCulture, $"<label><input type=\"checkbox\" name=\"devices\" value=\"{E(d.Id)}\"{check}> {E(d.Id)}</label> ");
            }

            h.Append("</div>");
        }

        h.Append("</fieldset><label>Task <select name=\"task\">");
        foreach (var task in ModelTasks.AllNames)
        {
            h.Append(CultureInfo.InvariantCulture, $"<option{(task == ModelTasks.ToName(request.Task) ? " selected" : string.Empty)}>{E(task)}</option>");
        }

        h.Append(CultureInfo.InvariantCulture, $"</select></label> <label>Budget (ms) <input name=\"budgetMs\" value=\"{request.LatencyBudget.TotalMilliseconds:0.###}\" size=\"6\"></label> ");
        h.Append(CultureInfo.InvariantCulture, $"<label>Precision <input name=\"precision\" value=\"{E(request.Precision.Name)}\" size=\"8\"></label> <button type=\"submit\">Compare</button></form>");
        foreach (var (field, message) in errors)
        {
            h.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" data-field=\"{E(field)}\">{E(message)}</p>");
        }

        if (result is not null)
        {
            Table(h, result);
            h.Append(CultureInfo.InvariantCulture, $"<h2>Quality against latency and size</h2><img id=\"plot\" alt=\"quality against latency per device, and against size\" src=\"/compare.png{E(query)}\">");
        }

        h.Append("</body></html>");
        return h.ToString();
    }

    private static void Table(StringBuilder h, ComparisonResult result)
    {
        var budgetMs = result.Request.LatencyBudget.TotalMilliseconds;
        var devices = result.Rows[0].Devices;
        h.Append(CultureInfo.InvariantCulture, $"<h2>{E(ModelTasks.ToName(result.Request.Task))} of one {result.Request.SequenceLength}-token request at {E(result.Request.Precision.Name)}, budget {budgetMs:0.###} ms</h2>");
        h.Append("<table id=\"comparison\"><thead><tr><th>model</th><th>class</th><th>score</th><th>parameters</th><th>weights</th><th>GFLOP</th><th>fine-tune</th><th>pre-training (published)</th>");
        foreach (var d in devices)
        {
            h.Append(CultureInfo.InvariantCulture, $"<th>{E(d.DeviceId)}<br>({DeviceTiers.ToName(d.Tier)})</th>");
        }

        h.Append("</tr></thead><tbody>");
        foreach (var r in result.Rows)
        {
            var cls = r.SizeClass == SizeClass.Large ? "large" : "small";
            var score = r.Score is { } s ? string.Create(CultureInfo.InvariantCulture, $"{s:0.##} {r.Benchmark}") : "— (" + r.Benchmark + ")";
            var pre = r.Pretraining is { } p ? string.Join(", ", new[] { p.Hardware, p.Days is { } days ? string.Create(CultureInfo.InvariantCulture, $"{days:0.##} days") : null }.Where(x => x is not null)) : string.Empty;
            h.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"{cls}\">{E(r.ModelId)}</td><td class=\"{cls}\">{cls}</td><td title=\"{E(r.ScoreNote)}\">{E(score)}</td><td>{r.Parameters / 1e6:0.0}M</td><td>{E(UnitConversions.FormatBytes(r.WeightBytes))}</td><td>{r.ForwardFlops / 1e9:0.0}</td>");
            h.Append(CultureInfo.InvariantCulture, $"<td title=\"{E(r.FineTuningNote)}\">{(r.FineTuningSeconds is { } ft ? (ft / 60).ToString("0.#", CultureInfo.InvariantCulture) + " min" : "—")}</td><td title=\"{E(r.Pretraining?.Source ?? "not published")}\">{E(pre.Length > 0 ? pre : "not published")}</td>");
            foreach (var d in r.Devices)
            {
                var latency = d.LatencySeconds is { } l ? (l * 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " ms" : "—";
                h.Append(CultureInfo.InvariantCulture, $"<td class=\"{(d.MeetsBudget ? "ok" : "no")}\" title=\"{E(d.Note)}\">{latency}</td>");
            }

            h.Append("</tr>");
        }

        h.Append("</tbody></table><h2>Chosen per device</h2><ul id=\"choices\">");
        foreach (var c in result.Choices)
        {
            h.Append(CultureInfo.InvariantCulture, $"<li title=\"{E(c.Explanation)}\">{DeviceTiers.ToName(c.Tier)} — {E(c.DeviceId)}: <strong>{E(c.ModelId ?? "nothing fits")}</strong></li>");
        }

        h.Append(CultureInfo.InvariantCulture, $"</ul><p>Fine-tuning: {E(result.FineTuningJob)}. A green cell fits the device and answers within the budget.</p>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
