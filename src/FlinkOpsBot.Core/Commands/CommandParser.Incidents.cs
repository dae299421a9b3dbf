using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Commands;

public sealed partial class CommandParser
{
    /// <summary>The longest incident title, in UTF-16 code units: one line on a card.</summary>
    public const int MaxIncidentTitle = 150;

    /// <summary>The longest note or closing summary, in UTF-16 code units.</summary>
    public const int MaxNoteText = 2000;

    private const string TimelineUsage = "/flink timeline [INC-XXXX|R-XXXX] | timeline export [INC-XXXX|R-XXXX] [--format md|json] | timeline verify [INC-XXXX|R-XXXX]";
    private const string IncidentUsage = "/flink incident start <title> | incident close [summary]";
    private const string NoteUsage = "/flink note [--run R-XXXX] <text>";

    private static ParsedCommand ParseTimeline(List<string> args)
    {
        var sub = args.Count > 0 ? args[0].ToLowerInvariant() : null;
        if (sub is "export")
        {
            var format = TimelineFormat.Markdown;
            string? subject = null;
            for (var i = 1; i < args.Count; i++)
            {
                var arg = args[i];
                if (arg == "--format" || arg.StartsWith("--format=", StringComparison.Ordinal))
                {
                    var value = arg.Length > "--format".Length ? arg["--format=".Length..] : i + 1 < args.Count ? args[++i] : null;
                    if (value?.ToLowerInvariant() is not ({ } v and ("md" or "markdown" or "json")))
                    {
                        return new ParsedCommand.Invalid(value is null ? "--format needs md or json" : $"--format must be md or json, not '{Shown(value)}'", TimelineUsage);
                    }
                    format = v == "json" ? TimelineFormat.Json : TimelineFormat.Markdown;
                }
                else if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    return new ParsedCommand.Invalid($"unknown option {Shown(arg)} for timeline export (options: --format)", TimelineUsage);
                }
                else if (subject is null)
                {
                    if (Subject(arg) is not { } parsed) return NotASubject(arg);
                    subject = parsed;
                }
                else
                {
                    return new ParsedCommand.Invalid($"timeline export takes one run or incident id, got '{Shown(subject)}' and '{Shown(arg)}'", TimelineUsage);
                }
            }
            return new ParsedCommand.ExportTimeline(subject, format);
        }
        if (sub is "verify")
        {
            return args.Count switch
            {
                1 => new ParsedCommand.VerifyTimeline(null),
                2 when Subject(args[1]) is { } subject => new ParsedCommand.VerifyTimeline(subject),
                2 => NotASubject(args[1]),
                _ => new ParsedCommand.Invalid($"timeline verify takes one run or incident id, not '{Shown(string.Join(' ', args.Skip(1)))}'", TimelineUsage),
            };
        }
        return args.Count switch
        {
            0 => new ParsedCommand.ShowTimeline(null),
            1 when RunId.TryParse(args[0], out var runId) => new ParsedCommand.Timeline(runId),
            1 when IncidentId.TryParse(args[0], out var incidentId) => new ParsedCommand.ShowTimeline(incidentId.Value),
            _ => NotASubject(string.Join(' ', args)),
        };
    }

    private static ParsedCommand ParseIncident(List<string> args)
    {
        var sub = args.Count > 0 ? args[0].ToLowerInvariant() : null;
        var rest = string.Join(' ', args.Skip(1)).Trim();
        switch (sub)
        {
            case "start" or "open":
                if (rest.Length == 0) return new ParsedCommand.Invalid("incident start needs a title, e.g. `incident start orders lag after deploy`", IncidentUsage);
                if (rest.Length > MaxIncidentTitle) return new ParsedCommand.Invalid($"an incident title is at most {MaxIncidentTitle} characters; this one has {rest.Length}", IncidentUsage);
                if (HasLineBreak(rest)) return new ParsedCommand.Invalid("an incident title is one line", IncidentUsage);
                return new ParsedCommand.IncidentStart(rest);
            case "close" or "end" or "resolve":
                if (rest.Length > MaxNoteText) return new ParsedCommand.Invalid($"a closing summary is at most {MaxNoteText} characters; this one has {rest.Length}", IncidentUsage);
                return new ParsedCommand.IncidentClose(rest.Length == 0 ? null : rest);
            case null:
                return new ParsedCommand.Invalid("incident needs start <title> or close [summary]", IncidentUsage);
            default:
                return new ParsedCommand.Invalid($"unknown incident command '{Shown(args[0])}' (start or close)", IncidentUsage);
        }
    }

    private static ParsedCommand ParseNote(List<string> args)
    {
        RunId? runId = null;
        var words = args;
        if (args.Count > 0 && (args[0] == "--run" || args[0].StartsWith("--run=", StringComparison.Ordinal)))
        {
            var value = args[0].Length > "--run".Length ? args[0]["--run=".Length..] : args.Count > 1 ? args[1] : null;
            if (value is null) return new ParsedCommand.Invalid("--run needs a run id", NoteUsage);
            if (!RunId.TryParse(value, out var id)) return new ParsedCommand.Invalid($"'{Shown(value)}' is not a run id (they look like R-7Q2K)", NoteUsage);
            runId = id;
            words = args.Skip(args[0] == "--run" ? 2 : 1).ToList();
        }
        var text = string.Join(' ', words).Trim();
        if (text.Length == 0) return new ParsedCommand.Invalid("note needs some text, e.g. `note restarted TaskManager 3`", NoteUsage);
        if (text.Length > MaxNoteText) return new ParsedCommand.Invalid($"a note is at most {MaxNoteText} characters; this one has {text.Length}", NoteUsage);
        return new ParsedCommand.Note(text, runId);
    }

    /// <summary>A run or incident id in canonical form, or null.</summary>
    private static string? Subject(string text) =>
        RunId.TryParse(text, out var run) ? run.Value : IncidentId.TryParse(text, out var incident) ? incident.Value : null;

    private static ParsedCommand.Invalid NotASubject(string text) =>
        new($"'{Shown(text)}' is not a run or incident id (they look like R-7Q2K or INC-4F2K)", TimelineUsage);

    private static bool HasLineBreak(string text) => text.Any(c => c is '\n' or '\r' or '\u2028' or '\u2029');
}
