using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>The report samples (status, diagnoses) as a newcomer runs them: the built host in local mode, as a separate process.</summary>
public sealed class ReportScriptTests
{
    [Fact]
    public async Task LocalScript_StatusDemo_ShowsTheHotJobAndTheRestartLoop()
    {
        var (exitCode, output) = await LocalModeProcess.RunAsync("--script", Path.Combine(RepoPaths.Root, "samples", "status-demo.flink"), "--timeout", "60");

        Assert.True(exitCode == 0, output);
        Assert.Contains("*Status* of cluster demo", output, StringComparison.Ordinal);
        Assert.Contains("(backpressure HIGH)", output, StringComparison.Ordinal);
        Assert.Contains("✗ Load: busiest KeyedProcess -> Map 950 ms/s busy (p6)", output, StringComparison.Ordinal);
        Assert.Contains("✗ Exceptions: ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }

    [Fact]
    public async Task LocalScript_DiagnosisDemo_ClassifiesThePoisonRecordAndOffersTheMitigations()
    {
        var (exitCode, output) = await LocalModeProcess.RunAsync("--script", Path.Combine(RepoPaths.Root, "samples", "diagnosis-demo.flink"), "--timeout", "60");

        Assert.True(exitCode == 0, output);
        Assert.Contains("← caused by JsonParseException", output, StringComparison.Ordinal);
        Assert.Contains("→ data: a record the job cannot handle", output, StringComparison.Ordinal);
        Assert.Contains("`/flink redeploy payments-fraud-detector --jar <hotfix.jar> --from last-savepoint`", output, StringComparison.Ordinal);
        Assert.Contains("✗ Savepoints: the bot has taken no savepoint of orders-enricher on demo", output, StringComparison.Ordinal);
    }
}
