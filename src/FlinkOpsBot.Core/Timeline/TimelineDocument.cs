using System.Globalization;
using System.Text;
using System.Text.Json;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Timeline;

/// <summary>The formats a timeline exports to.</summary>
public enum TimelineFormat
{
    /// <summary>Markdown (<c>text/markdown</c>, <c>.md</c>): for people and the post-mortem document.</summary>
    Markdown,
    /// <summary>JSON (<c>application/json</c>, <c>.json</c>): every field of every entry, hashes included; parses back with <see cref="TimelineDocument.FromJson"/>.</summary>
    Json,
}

/// <summary>
/// A run's or an incident's timeline ready to show or export: a title, a few facts and the entries in order (an
/// incident's own entries merged with those of its runs, by time). What <c>/flink timeline</c> shows and
/// <c>/flink timeline export</c> and <c>GET /api/timeline/{id}</c> return.
/// </summary>
/// <param name="Subject">The run or incident id, e.g. <c>R-7Q2K</c> or <c>INC-4F2K</c>.</param>
/// <param name="Title">One line: what it is, e.g. <c>upgrade orders-enricher on prod-eu</c> or the incident's title.</param>
/// <param name="Facts">Name → value, in display order (state, requester, channel, …).</param>
/// <param name="Entries">The entries, oldest first, each with its own subject, sequence and hashes.</param>
public sealed record TimelineDocument(string Subject, string Title, IReadOnlyDictionary<string, string> Facts, IReadOnlyList<TimelineEntry> Entries)
{
    /// <summary>Evidence keys whose values the entry's text already says (a transition's states, a check's outcome); the JSON export keeps them.</summary>
    private static readonly HashSet<string> RepeatedInText = new(StringComparer.Ordinal) { "from", "to", "trigger", "check", "outcome" };

    private static readonly JsonSerializerOptions Indented = new(CoreJsonContext.Default.Options) { WriteIndented = true };

    /// <summary>The file name an export of this document gets, e.g. <c>timeline-INC-4F2K.md</c>.</summary>
    public string FileName(TimelineFormat format) => $"timeline-{Subject}.{(format == TimelineFormat.Json ? "json" : "md")}";

    /// <summary>The media type of <paramref name="format"/>: <c>text/markdown; charset=utf-8</c> or <c>application/json; charset=utf-8</c>.</summary>
    public static string ContentType(TimelineFormat format) => format == TimelineFormat.Json ? "application/json; charset=utf-8" : "text/markdown; charset=utf-8";

    /// <summary>The document in <paramref name="format"/>.</summary>
    public string Render(TimelineFormat format) => format == TimelineFormat.Json ? ToJson() : ToMarkdown();

    /// <summary>
    /// The JSON export: <c>{"subject", "title", "facts": {…}, "entries": [{"subject", "sequence", "at", "actor": {…},
    /// "kind", "text", "evidence": {…}, "previousHash", "hash"}]}</c>, camelCase, indented, times in ISO 8601.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(this, Indented.GetTypeInfo(typeof(TimelineDocument)));

    /// <summary>Parses a JSON export back.</summary>
    /// <exception cref="JsonException">The text is not a timeline export.</exception>
    public static TimelineDocument FromJson(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.TimelineDocument) ?? throw new JsonException("The timeline export was null.");

    /// <summary>
    /// The Markdown export: a heading with the subject and title, the facts, then one numbered line per entry with its
    /// UTC time, the actor's name and verified identity key, which timeline it comes from, its kind, text and evidence
    /// (leaving out evidence the text already says: a transition's states, a check's outcome).
    /// </summary>
    /// <param name="maxEntries">
    /// Show only the newest this many entries (for chat, where a message has a size limit), keeping their numbers and
    /// saying how many earlier ones are left out; null (the default) shows all, as the export does.
    /// </param>
    public string ToMarkdown(int? maxEntries = null)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Timeline of {Subject}: {Title}\n\n");
        foreach (var (name, value) in Facts) text.Append(CultureInfo.InvariantCulture, $"- **{name}**: {value}\n");
        text.Append(CultureInfo.InvariantCulture, $"\n## Entries ({Entries.Count}, times in UTC)\n\n");
        if (Entries.Count == 0) text.Append("No entries yet.\n");
        var skipped = maxEntries is { } max && Entries.Count > max ? Entries.Count - max : 0;
        if (skipped > 0) text.Append(CultureInfo.InvariantCulture, $"({skipped} earlier entries not shown here: `/flink timeline export {Subject}` has them all.)\n\n");
        var number = skipped;
        foreach (var e in Entries.Skip(skipped))
        {
            text.Append(CultureInfo.InvariantCulture, $"{++number}. `{e.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z` **{e.Actor.DisplayName}** (`{e.Actor.Key}`)");
            if (e.Subject != Subject) text.Append(CultureInfo.InvariantCulture, $" [{e.Subject}]");
            text.Append(CultureInfo.InvariantCulture, $" {e.Kind}: {e.Text.ReplaceLineEndings(" ")}");
            var evidence = e.Evidence.Where(kv => !RepeatedInText.Contains(kv.Key)).ToList();
            if (evidence.Count > 0) text.Append(" (").Append(string.Join(", ", evidence.Select(kv => $"{kv.Key}: `{kv.Value}`"))).Append(')');
            text.Append('\n');
        }
        return text.ToString();
    }
}
