using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_SqlDeployDemo_RunsTheStatementThenRollsBackTheBadSql()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "sql-deploy-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("CMF cluster 'demo-cmf' (environment demo-env)", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} sql-deploy orders-agg: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} sql-deploy orders-typo: RolledBack$", output);
        Assert.Contains("Object 'ordrs' not found", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }

    [Fact]
    public async Task LocalScript_CmfDemo_ShowsTheApplicationsAndUpgradesOne()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "cmf-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Contains("*Status* of cluster demo-cmf", output);
        Assert.Contains("payments-fraud-detector", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} upgrade orders-enricher: Succeeded$", output);
        Assert.DoesNotContain("   at ", output);
    }
}
