using System.Text.RegularExpressions;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FsCheck;
using FsCheck.Fluent;

namespace FlinkOpsBot.Core.Tests.Properties;

/// <summary>
/// Properties of <see cref="CommandParser"/>: whatever is typed, parsing never throws and yields a command or a one-line
/// problem with a usage; near-valid lines reach every refusal; well-formed lines parse to what they were built from.
/// FsCheck prints the seed (Replay) of a failing run.
/// </summary>
public sealed partial class CommandParserProperties
{
    private const int Cases = 400;

    /// <summary>Enough near-valid lines that the rarest refusal (about 1 in 35) is all but certain to be reached.</summary>
    private const int NearValidCases = 1000;

    /// <summary>What still reads as one line in a chat window, whatever was typed.</summary>
    private const int MaxProblemLength = 300;
    private static readonly CommandParser Parser = new(RecipeCatalog.LoadBuiltIn());

    /// <summary>Every refusal the parser can give, as (kind, the verb of the usage it shows).</summary>
    private static readonly string[] EveryRefusal =
    [
        "quote-not-closed help", "unknown-command help",
        "not-a-run-or-incident-id timeline", "not-a-run-id runs",
        "needs-value-with-help status", "unknown-option status", "unexpected-argument status", "given-twice status", "needs-a-value status",
        "needs-run-id-or-last approve|reject|cancel", "not-a-run-id-example approve|reject|cancel",
        "unexpected-argument upgrade", "unknown-option upgrade", "given-twice upgrade", "switch-takes-no-value upgrade",
        "needs-value-with-help upgrade", "needs-a-value upgrade", "not-positive-int upgrade", "not-absolute-uri upgrade",
        "missing-required upgrade",
    ];

    [Fact]
    public void Parse_AnyText_NeverThrowsAndGivesACommandOrAOneLineProblem() => Run(
        Prop.ForAll(CommandGenerators.AnyText().ToArbitrary(), text => AssertCommandOrOneLineProblem(text, Parser.Parse(text))));

    [Fact]
    public void Parse_NearValidLines_ReachEveryRefusalWithAOneLineProblem()
    {
        var reached = new HashSet<string>(StringComparer.Ordinal);

        Run(Prop.ForAll(CommandGenerators.NearValid().ToArbitrary(), text =>
        {
            var parsed = Parser.Parse(text);
            AssertCommandOrOneLineProblem(text, parsed);
            if (parsed is ParsedCommand.Invalid invalid) reached.Add(Classify(invalid));
        }), NearValidCases);

        Assert.Empty(EveryRefusal.Except(reached));
        Assert.Empty(reached.Except(EveryRefusal));
    }

    [Fact]
    public void Parse_WellFormedUpgrade_ParsesToTheInputsItWasBuiltFrom() => Run(
        Prop.ForAll(CommandGenerators.WellFormedUpgrade().ToArbitrary(), c =>
        {
            var parsed = Parser.Parse(c.Text);
            if (parsed is not ParsedCommand.Start start) throw new Xunit.Sdk.XunitException($"not a Start: {parsed}");
            Assert.Equal("upgrade", start.Recipe.Id);
            Assert.Equal(c.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal), start.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal));
        }));

    [Fact]
    public void Parse_WellFormedDecision_ParsesToItsActionRunAndComment() => Run(
        Prop.ForAll(CommandGenerators.WellFormedDecision().ToArbitrary(), c =>
        {
            var decide = Assert.IsType<ParsedCommand.Decide>(Parser.Parse(c.Text));
            Assert.Equal(Enum.Parse<GateAction>(c.Verb, ignoreCase: true), decide.Action);
            Assert.Equal(c.RunId, decide.RunId?.Value);
            Assert.Equal(c.Comment, decide.Comment);
        }));

    [Fact]
    public void Parse_WellFormedReads_ParseToTheJobClusterAndRunTheyName()
    {
        var status =
            from job in Gen.OneOf(Gen.Constant<string?>(null), CommandGenerators.SafeWord().Select(w => (string?)w))
            from cluster in Gen.OneOf(Gen.Constant<string?>(null), CommandGenerators.SafeWord().Select(w => (string?)w))
            from clusterFirst in Gen.Elements(true, false)
            let parts = new[] { clusterFirst && cluster is not null ? "--cluster " + cluster : null, job, !clusterFirst && cluster is not null ? "--cluster " + cluster : null }
            select (Job: job, Cluster: cluster, Text: "status " + string.Join(' ', parts.Where(p => p is not null)));
        Run(Prop.ForAll(status.ToArbitrary(), c =>
        {
            var start = Assert.IsType<ParsedCommand.Start>(Parser.Parse(c.Text));
            Assert.Equal("status", start.Recipe.Id);
            Assert.Equal(c.Job, start.Inputs.GetValueOrDefault("job"));
            Assert.Equal(c.Cluster, start.Inputs.GetValueOrDefault("cluster"));
        }));
        var byRunId =
            from runId in CommandGenerators.RunIdText()
            from typed in Gen.Elements(runId, runId.ToLowerInvariant())
            from verb in Gen.Elements("timeline", "runs", "run")
            select (verb == "timeline"
                ? (ParsedCommand)new ParsedCommand.Timeline(Runs.RunId.Parse(runId))
                : new ParsedCommand.Runs(Runs.RunId.Parse(runId)), $"/flink {verb} {typed}");

        Run(Prop.ForAll(byRunId.ToArbitrary(), c => Assert.Equal(c.Item1, Parser.Parse(c.Item2))));
    }

    [Theory]
    [InlineData("frobnicate\"\n\"", "unknown command 'frobnicate\uFFFD'")]
    [InlineData("approve \"R-7Q2K\0\"", "'R-7Q2K\uFFFD' is not a run id (they look like R-7Q2K)")]
    [InlineData("upgrade j --jar x.jar --parallelism \"4\r\n\"", "--parallelism must be a positive whole number, not '4\uFFFD\uFFFD'")]
    public void Parse_ControlCharactersInEchoedInput_ShowAsReplacementCharacters(string text, string problem) =>
        Assert.Equal(problem, Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(text)).Problem);

    [Fact]
    public void Parse_VeryLongUnknownVerb_ProblemShowsItsStartAndAnEllipsis()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(new string('x', 100_000)));

        Assert.Equal($"unknown command '{new string('x', 60)}\u2026'", invalid.Problem);
    }

    [Fact]
    public void Parse_LongInputCutInsideASurrogatePair_KeepsNoHalfCharacter()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(new string('x', 59) + "\U0001F680\U0001F680"));

        Assert.Equal($"unknown command '{new string('x', 59)}\u2026'", invalid.Problem);
    }

    private static void Run(Property property, int cases = Cases) => Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases), property);

    /// <summary>Not thrown (we got here); a command; or a problem that is one line, not empty, with a usage to copy.</summary>
    private static void AssertCommandOrOneLineProblem(string? text, ParsedCommand parsed)
    {
        Assert.NotNull(parsed);
        if (parsed is not ParsedCommand.Invalid invalid) return;
        Assert.False(string.IsNullOrWhiteSpace(invalid.Problem), $"empty problem for {text}");
        Assert.True(IsOneLine(invalid.Problem), $"the problem is not one printable line: {Regex.Escape(invalid.Problem)}");
        if (invalid.Problem.Length > MaxProblemLength) Assert.Fail($"the problem is {invalid.Problem.Length} characters long: {invalid.Problem[..MaxProblemLength]}…");
        Assert.StartsWith("/flink ", invalid.Usage, StringComparison.Ordinal);
        Assert.True(IsOneLine(invalid.Usage), $"the usage is not one printable line: {invalid.Usage}");
    }

    private static bool IsOneLine(string s) => !s.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029');

    private static string Classify(ParsedCommand.Invalid invalid)
    {
        var usageVerb = invalid.Usage.Split(' ')[1];
        var kind = invalid.Problem switch
        {
            var p when QuoteNotClosed().IsMatch(p) => "quote-not-closed",
            var p when p.StartsWith("unknown command '", StringComparison.Ordinal) => "unknown-command",
            var p when p.EndsWith("' is not a run or incident id (they look like R-7Q2K or INC-4F2K)", StringComparison.Ordinal) => "not-a-run-or-incident-id",
            var p when p.EndsWith("' is not a run id (they look like R-7Q2K)", StringComparison.Ordinal) => "not-a-run-id-example",
            var p when p.EndsWith("' is not a run id", StringComparison.Ordinal) => "not-a-run-id",
            var p when p.StartsWith("unknown option ", StringComparison.Ordinal) => "unknown-option",
            var p when p.EndsWith(" needs a run id or 'last'", StringComparison.Ordinal) => "needs-run-id-or-last",
            var p when p.StartsWith("unexpected argument '", StringComparison.Ordinal) => "unexpected-argument",
            var p when p.EndsWith(" was given twice", StringComparison.Ordinal) => "given-twice",
            var p when p.EndsWith(" is a switch; it takes no value", StringComparison.Ordinal) => "switch-takes-no-value",
            var p when NeedsValueWithHelp().IsMatch(p) => "needs-value-with-help",
            var p when NeedsValue().IsMatch(p) => "needs-a-value",
            var p when p.Contains(" must be a positive whole number, not '", StringComparison.Ordinal) => "not-positive-int",
            var p when p.Contains(" must be an absolute URI such as ", StringComparison.Ordinal) => "not-absolute-uri",
            var p when p.StartsWith("upgrade needs ", StringComparison.Ordinal) => "missing-required",
            var p => "unclassified: " + p,
        };
        return kind + " " + usageVerb;
    }

    [GeneratedRegex("^a [\"'] quote is not closed$")]
    private static partial Regex QuoteNotClosed();

    [GeneratedRegex(@"^--[a-z-]+ needs a value \(.+\)$")]
    private static partial Regex NeedsValueWithHelp();

    [GeneratedRegex("^--[a-z-]+ needs a value$")]
    private static partial Regex NeedsValue();
}
