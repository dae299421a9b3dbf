using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>The mutating recipes' samples as a newcomer runs them: the built host in local mode, as a separate process.</summary>
public sealed class MutateScriptTests
{
    [Theory]
    [InlineData("deploy-demo.flink", "deploy orders-canary: Succeeded", "deploy orders-canary: PreconditionsFailed")]
    [InlineData("cancel-job-demo.flink", "cancel-job payments-fraud-detector: Succeeded", "Way back:")]
    [InlineData("savepoint-demo.flink", "savepoint orders-enricher: Succeeded", "resume orders-enricher: Succeeded")]
    [InlineData("scale-demo.flink", "scale clickstream-sessionizer: Succeeded", "✓ Load fell, no new bottleneck")]
    [InlineData("redeploy-demo.flink", "redeploy payments-fraud-detector: Succeeded", "Take the checkpoint payments-fraud-detector retained on cancellation")]
    [InlineData("backfill-demo.flink", "backfill orders-backfill: Succeeded", "Production job (not touched)")]
    [InlineData("upgrade-incompatible-demo.flink", "upgrade orders-enricher: Succeeded", "dropping state confirmed by")]
    public async Task LocalScript_MutatingRecipeDemo_RunsToTheEnd(string script, string outcome, string shown)
    {
        var (exitCode, output) = await LocalModeProcess.RunAsync("--script", Path.Combine(RepoPaths.Root, "samples", script), "--timeout", "120");

        Assert.True(exitCode == 0, output);
        Assert.Contains(outcome, output, StringComparison.Ordinal);
        Assert.Contains(shown, output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }
}
