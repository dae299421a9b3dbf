using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_CmfScaleRedeployDemo_ScalesRedeploysAndBackfillsTheApplication()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "cmf-scale-redeploy-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} scale orders-enricher: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} redeploy orders-enricher: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} backfill orders-backfill: Succeeded$", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }
}
