using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Commands;

/// <summary>Parsing <c>incident</c>, <c>note</c> and <c>timeline</c> lines, table-driven.</summary>
public class IncidentParserTests
{
    private static readonly CommandParser Parser = new(RecipeCatalog.LoadBuiltIn());

    public static readonly TheoryData<string, ParsedCommand> Valid = new()
    {
        { "/flink incident start orders lag after deploy", new ParsedCommand.IncidentStart("orders lag after deploy") },
        { "incident open \u201Corders lag\u201D", new ParsedCommand.IncidentStart("orders lag") },
        { "incident close", new ParsedCommand.IncidentClose(null) },
        { "incident close rolled back; lag gone", new ParsedCommand.IncidentClose("rolled back; lag gone") },
        { "note restarted TM 3", new ParsedCommand.Note("restarted TM 3", null) },
        { "note --run r-7q2k paused producer", new ParsedCommand.Note("paused producer", RunId.Parse("R-7Q2K")) },
        { "note --run=R-7Q2K paused producer", new ParsedCommand.Note("paused producer", RunId.Parse("R-7Q2K")) },
        { "timeline", new ParsedCommand.ShowTimeline(null) },
        { "timeline R-7Q2K", new ParsedCommand.Timeline(RunId.Parse("R-7Q2K")) },
        { "timeline inc-4f2k", new ParsedCommand.ShowTimeline("INC-4F2K") },
        { "timeline export", new ParsedCommand.ExportTimeline(null, TimelineFormat.Markdown) },
        { "timeline export INC-4F2K --format json", new ParsedCommand.ExportTimeline("INC-4F2K", TimelineFormat.Json) },
        { "timeline export --format=md R-7Q2K", new ParsedCommand.ExportTimeline("R-7Q2K", TimelineFormat.Markdown) },
        { "timeline export \u2014format JSON", new ParsedCommand.ExportTimeline(null, TimelineFormat.Json) },
        { "timeline verify", new ParsedCommand.VerifyTimeline(null) },
        { "timeline verify R-7Q2K", new ParsedCommand.VerifyTimeline("R-7Q2K") },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parse_ValidLine_GivesTheCommand(string text, ParsedCommand expected) => Assert.Equal(expected, Parser.Parse(text));

    [Theory]
    [InlineData("incident", "incident needs start <title> or close [summary]")]
    [InlineData("incident start", "incident start needs a title, e.g. `incident start orders lag after deploy`")]
    [InlineData("incident frobnicate", "unknown incident command 'frobnicate' (start or close)")]
    [InlineData("incident start \"two\nlines\"", "an incident title is one line")]
    [InlineData("note", "note needs some text, e.g. `note restarted TaskManager 3`")]
    [InlineData("note --run", "--run needs a run id")]
    [InlineData("note --run R-0000 text", "'R-0000' is not a run id (they look like R-7Q2K)")]
    [InlineData("note --run R-7Q2K", "note needs some text, e.g. `note restarted TaskManager 3`")]
    [InlineData("timeline orders-enricher", "'orders-enricher' is not a run or incident id (they look like R-7Q2K or INC-4F2K)")]
    [InlineData("timeline export --format pdf", "--format must be md or json, not 'pdf'")]
    [InlineData("timeline export --format", "--format needs md or json")]
    [InlineData("timeline export --since 1h", "unknown option --since for timeline export (options: --format)")]
    [InlineData("timeline export R-7Q2K INC-4F2K", "timeline export takes one run or incident id, got 'R-7Q2K' and 'INC-4F2K'")]
    [InlineData("timeline verify R-7Q2K R-7Q2M", "timeline verify takes one run or incident id, not 'R-7Q2K R-7Q2M'")]
    public void Parse_BadLine_SaysWhatWasWrong(string text, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(text));
        Assert.Equal(problem, invalid.Problem);
        Assert.StartsWith("/flink ", invalid.Usage, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TooLongTitleOrNote_SaysTheLimit()
    {
        var title = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse("incident start " + new string('x', CommandParser.MaxIncidentTitle + 1)));
        var note = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse("note " + new string('x', CommandParser.MaxNoteText + 1)));

        Assert.Equal($"an incident title is at most 150 characters; this one has 151", title.Problem);
        Assert.Equal($"a note is at most 2000 characters; this one has 2001", note.Problem);
    }
}
