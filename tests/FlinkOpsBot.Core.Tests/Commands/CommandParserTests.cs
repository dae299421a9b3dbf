using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Commands;

public class CommandParserTests
{
    private static readonly CommandParser Parser = new(RecipeCatalog.LoadBuiltIn());

    [Theory]
    [InlineData("")]
    [InlineData("/flink")]
    [InlineData("help")]
    [InlineData("/flink help")]
    public void Parse_EmptyOrHelp_IsHelp(string text) => Assert.IsType<ParsedCommand.Help>(Parser.Parse(text));

    [Fact]
    public void Parse_Upgrade_ReadsPositionalAndOptions()
    {
        var start = Assert.IsType<ParsedCommand.Start>(
            Parser.Parse("/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar --parallelism 8 --allow-non-restored-state --savepoint-dir=s3://b/sp"));

        Assert.Equal("upgrade", start.Recipe.Id);
        Assert.Equal("orders-enricher", start.Inputs["job"]);
        Assert.Equal("orders-enricher-2.4.0.jar", start.Inputs["jar"]);
        Assert.Equal("8", start.Inputs["parallelism"]);
        Assert.Equal("true", start.Inputs["allow-non-restored-state"]);
        Assert.Equal("s3://b/sp", start.Inputs["savepoint-dir"]);
    }

    [Theory]
    [InlineData("upgrade orders-enricher \u2014jar x.jar")]
    [InlineData("upgrade orders-enricher \u2013jar x.jar")]
    [InlineData("upgrade \u201Corders-enricher\u201D --jar 'x.jar'")]
    public void Parse_PhoneTypography_IsUnderstood(string text)
    {
        var start = Assert.IsType<ParsedCommand.Start>(Parser.Parse(text));

        Assert.Equal("orders-enricher", start.Inputs["job"]);
        Assert.Equal("x.jar", start.Inputs["jar"]);
    }

    [Theory]
    [InlineData("upgrade orders-enricher", "upgrade needs --jar")]
    [InlineData("upgrade --jar x.jar", "upgrade needs <job>")]
    [InlineData("upgrade orders-enricher --jar", "--jar needs a value")]
    [InlineData("upgrade orders-enricher --jar x.jar --parallelism zero", "--parallelism must be a positive whole number, not 'zero'")]
    [InlineData("upgrade orders-enricher --jar x.jar --parallelism 0", "--parallelism must be a positive whole number")]
    [InlineData("upgrade orders-enricher --jar x.jar --jarr y", "unknown option --jarr for upgrade")]
    [InlineData("upgrade orders-enricher --jar x.jar --jar y.jar", "--jar was given twice")]
    [InlineData("upgrade a b --jar x.jar", "unexpected argument 'b'")]
    [InlineData("upgrade orders-enricher --jar x.jar --savepoint-dir not-a-uri", "--savepoint-dir must be an absolute URI")]
    [InlineData("upgrade orders-enricher --jar x.jar --allow-non-restored-state=yes", "--allow-non-restored-state is a switch")]
    [InlineData("upgrade \"orders-enricher --jar x.jar", "quote is not closed")]
    [InlineData("frobnicate everything", "unknown command 'frobnicate'")]
    [InlineData("approve", "approve needs a run id or 'last'")]
    [InlineData("approve R-0000", "'R-0000' is not a run id")]
    [InlineData("timeline R-0000", "'R-0000' is not a run or incident id")]
    public void Parse_BadInput_SaysWhatIsWrong(string text, string problem)
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse(text));

        Assert.Contains(problem, invalid.Problem);
        Assert.False(string.IsNullOrWhiteSpace(invalid.Usage));
    }

    [Fact]
    public void Parse_UpgradeUsage_NamesTheRecipeUsage()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse("upgrade orders-enricher"));

        Assert.StartsWith("/flink upgrade <job> --jar <jar>", invalid.Usage);
    }

    [Theory]
    [InlineData("approve R-7Q2K", GateAction.Approve, "R-7Q2K", null)]
    [InlineData("approve r-7q2k", GateAction.Approve, "R-7Q2K", null)]
    [InlineData("reject R-7Q2K not during peak", GateAction.Reject, "R-7Q2K", "not during peak")]
    [InlineData("cancel last", GateAction.Cancel, null, null)]
    [InlineData("/flink approve last", GateAction.Approve, null, null)]
    [InlineData("retry R-7Q2K", GateAction.Retry, "R-7Q2K", null)]
    [InlineData("continue R-7Q2K s3://flink/savepoints/savepoint-1", GateAction.Continue, "R-7Q2K", "s3://flink/savepoints/savepoint-1")]
    [InlineData("/flink rollback r-7q2k", GateAction.RollBack, "R-7Q2K", null)]
    [InlineData("abandon last restoring by hand", GateAction.Abandon, null, "restoring by hand")]
    public void Parse_Decisions_ReadRunAndComment(string text, GateAction action, string? runId, string? comment)
    {
        var decide = Assert.IsType<ParsedCommand.Decide>(Parser.Parse(text));

        Assert.Equal(action, decide.Action);
        Assert.Equal(runId, decide.RunId?.Value);
        Assert.Equal(comment, decide.Comment);
    }

    [Fact]
    public void Parse_DecisionWithoutRunId_NamesTheParkedRunUsage()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse("rollback"));

        Assert.Equal("rollback needs a run id or 'last'", invalid.Problem);
        Assert.StartsWith("/flink retry|continue|rollback|abandon", invalid.Usage);
    }

    [Fact]
    public void Parse_StatusWithJobAndCluster_ReadsBoth()
    {
        var status = Assert.IsType<ParsedCommand.Start>(Parser.Parse("status orders-enricher --cluster prod"));

        Assert.Equal(("status", false), (status.Recipe.Id, status.Recipe.Mutating));
        Assert.Equal("orders-enricher", status.Inputs["job"]);
        Assert.Equal("prod", status.Inputs["cluster"]);
    }

    [Fact]
    public void Parse_StatusWithTwoJobs_RefusedWithTheUsage()
    {
        var invalid = Assert.IsType<ParsedCommand.Invalid>(Parser.Parse("status orders-enricher payments"));

        Assert.Equal("unexpected argument 'payments'", invalid.Problem);
        Assert.Equal("/flink status [<job>] [--cluster <cluster>]", invalid.Usage);
    }

    [Fact]
    public void Parse_Timeline_ReadsRunId()
    {
        var timeline = Assert.IsType<ParsedCommand.Timeline>(Parser.Parse("timeline R-7Q2K"));

        Assert.Equal(RunId.Parse("R-7Q2K"), timeline.RunId);
    }

    [Fact]
    public void Parse_ArbitraryText_NeverThrows()
    {
        var random = new Random(42);
        const string alphabet = "ab -–—\"'“”=R7Q2K/flinkupgrade\t\n\u00A0";
        for (var i = 0; i < 5000; i++)
        {
            var text = new string(Enumerable.Range(0, random.Next(0, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
            Assert.NotNull(Parser.Parse(text));
        }
    }
}
