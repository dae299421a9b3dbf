using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;

namespace FlinkOpsBot.Core.Tests.Commands;

public class CommandParserLocksTests
{
    private static readonly CommandParser Parser = new(RecipeCatalog.LoadBuiltIn());

    [Theory]
    [InlineData("lock orders-enricher --reason \"INC-42\"", "orders-enricher", null, "INC-42", 60)]
    [InlineData("/flink lock orders-enricher --reason=INC-42 --for 30m --cluster prod", "orders-enricher", "prod", "INC-42", 30)]
    [InlineData("lock orders-enricher \u2014reason \u201Cdeploy freeze\u201D \u2014for 1d", "orders-enricher", null, "deploy freeze", 1440)]
    [InlineData("lock orders-enricher --for 2h --reason ' padded '", "orders-enricher", null, "padded", 120)]
    public void Parse_Lock_ReadsJobReasonDurationAndCluster(string text, string job, string? cluster, string reason, int minutes)
    {
        var parsed = Assert.IsType<ParsedCommand.Lock>(Parser.Parse(text));

        Assert.Equal(new ParsedCommand.Lock(job, cluster, reason, TimeSpan.FromMinutes(minutes)), parsed);
    }

    [Theory]
    [InlineData("unlock orders-enricher", "unlock")]
    [InlineData("locks", "locks")]
    [InlineData("locks --cluster prod", "locks")]
    [InlineData("unlock orders-enricher --steal", "steal:release")]
    [InlineData("unlock orders-enricher --steal --reason \"off shift\"", "steal:release")]
    [InlineData("lock orders-enricher --steal --reason \"taking over\" --for 2h", "steal:take")]
    [InlineData("steal-lock orders-enricher", "steal:release")]
    [InlineData("steal-lock orders-enricher --take --for 3h", "steal:take")]
    public void Parse_UnlockLocksAndSteal_AreTheirCommands(string text, string expected)
    {
        var kind = Parser.Parse(text) switch
        {
            ParsedCommand.Unlock => "unlock",
            ParsedCommand.Locks => "locks",
            ParsedCommand.StealLock { Take: true } => "steal:take",
            ParsedCommand.StealLock => "steal:release",
            var other => other.ToString(),
        };

        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("lock orders-enricher", "lock needs --reason")]
    [InlineData("lock --reason x", "lock needs the job")]
    [InlineData("lock orders-enricher --reason x --for 25h", "--for may be at most 24h")]
    [InlineData("lock orders-enricher --reason x --for 30s", "--for must be at least 1m")]
    [InlineData("lock orders-enricher --reason x --for soon", "--for takes a duration such as 30m, 2h or 1d, not 'soon'")]
    [InlineData("lock orders-enricher --reason x --for", "--for needs a value")]
    [InlineData("lock orders-enricher --reason x --for=", "--for needs a value")]
    [InlineData("lock orders-enricher --reason x --for \"\"", "--for needs a value")]
    [InlineData("locks --cluster=", "--cluster needs a value")]
    [InlineData("lock orders-enricher --reason=", "--reason needs a few words")]
    [InlineData("lock orders-enricher --reason \"  \"", "--reason needs a few words")]
    [InlineData("lock orders-enricher --reason \"a\nb\"", "--reason must be one line")]
    [InlineData("lock orders-enricher --reason x --reason y", "--reason was given twice")]
    [InlineData("lock orders-enricher --reason x --until 2h", "unknown option --until for lock")]
    [InlineData("lock orders-enricher deploy freeze --reason x", "lock takes one job")]
    [InlineData("lock orders-enricher --steal", "lock --steal needs --reason")]
    [InlineData("lock orders-enricher --reason x --steal=yes", "--steal is a switch")]
    [InlineData("unlock", "unlock needs the job")]
    [InlineData("unlock orders-enricher --reason x", "--reason goes with --steal")]
    [InlineData("unlock orders-enricher --for 1h", "unknown option --for for unlock")]
    [InlineData("locks orders-enricher", "locks takes no job")]
    [InlineData("steal-lock orders-enricher --for 1h", "--for goes with --take")]
    public void Parse_BadLockCommand_SaysWhatIsWrong(string text, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(text));

        Assert.Contains(problem, invalid.Problem);
        Assert.StartsWith("/flink ", invalid.Usage);
    }

    [Fact]
    public void Parse_ReasonTooLong_IsRefused()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse($"lock orders-enricher --reason \"{new string('x', 201)}\""));

        Assert.Contains("at most 200 characters", invalid.Problem);
    }
}
