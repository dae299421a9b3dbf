using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

public partial class LocalScriptTests
{
    [Fact]
    public async Task LocalScript_CmfSavepointDemo_TakesASavepointStopsAndResumesTheApplication()
    {
        var (exitCode, output) = await RunLocalAsync(Path.Combine(RepoPaths.Root, "samples", "cmf-savepoint-demo.flink"));

        Assert.True(exitCode == 0, output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} savepoint orders-enricher: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} stop orders-enricher: Succeeded$", output);
        Assert.Matches(@"(?m)^R-[0-9A-Z]{4} resume orders-enricher: Succeeded$", output);
        Assert.Contains("s3://flink-demo/savepoints/demo-env", output);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }
}
