using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Commands;

public abstract partial record ParsedCommand
{
    /// <summary><c>incident start &lt;title&gt;</c>: open an incident in this channel.</summary>
    public sealed record IncidentStart(string Title) : ParsedCommand;

    /// <summary><c>incident close [summary]</c>: close this channel's open incident.</summary>
    public sealed record IncidentClose(string? Summary) : ParsedCommand;

    /// <summary><c>note [--run R-XXXX] &lt;text&gt;</c>: a note on this channel's open incident, or on the run given.</summary>
    public sealed record Note(string Text, RunId? RunId) : ParsedCommand;

    /// <summary>
    /// <c>timeline [INC-XXXX]</c>: an incident's timeline; <see cref="Subject"/> null means this channel's open incident.
    /// (<c>timeline R-XXXX</c> parses to <see cref="Timeline"/>.)
    /// </summary>
    public sealed record ShowTimeline(string? Subject) : ParsedCommand;

    /// <summary>
    /// <c>timeline export [INC-XXXX|R-XXXX] [--format md|json]</c>; <see cref="Subject"/> null means this channel's open
    /// incident. Default format Markdown.
    /// </summary>
    public sealed record ExportTimeline(string? Subject, TimelineFormat Format) : ParsedCommand;

    /// <summary><c>timeline verify [INC-XXXX|R-XXXX]</c>: recompute the hash chain; <see cref="Subject"/> null means this channel's open incident.</summary>
    public sealed record VerifyTimeline(string? Subject) : ParsedCommand;
}
