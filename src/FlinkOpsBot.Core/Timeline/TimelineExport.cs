using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>A run's timeline as Markdown and JSON, for chat and the post-mortem.</summary>
public static class TimelineExport
{
    /// <summary>A Markdown document: a heading with the run, then one line per event with UTC time, actor and evidence.</summary>
    public static string ToMarkdown(Run run, IReadOnlyList<TimelineEvent> events)
    {
        var text = new StringBuilder();
        text.Append($"### {run.Id} {run.RecipeId} {run.JobName} on {run.Cluster}: {run.State}\n");
        text.Append($"Requested by {run.Requester.DisplayName} at {run.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC\n\n");
        foreach (var e in events)
        {
            text.Append($"- `{e.At:HH:mm:ss}` **{e.Actor.DisplayName}** {e.Text}");
            var evidence = e.Evidence.Where(kv => kv.Key is not ("from" or "to" or "trigger" or "check" or "outcome")).ToList();
            if (evidence.Count > 0) text.Append(" (").Append(string.Join(", ", evidence.Select(kv => $"{kv.Key}: `{kv.Value}`"))).Append(')');
            text.Append('\n');
        }
        return text.ToString().TrimEnd();
    }

    /// <summary>A JSON document: the run's id, recipe, job, cluster, state and the events with every field.</summary>
    public static string ToJson(Run run, IReadOnlyList<TimelineEvent> events)
    {
        var array = new JsonArray();
        foreach (var e in events) array.Add(JsonNode.Parse(Storage.CoreJson.Serialize(e)));
        var document = new JsonObject
        {
            ["runId"] = run.Id.Value,
            ["recipe"] = run.RecipeId,
            ["job"] = run.JobName,
            ["cluster"] = run.Cluster,
            ["state"] = run.State.ToString(),
            ["events"] = array,
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
