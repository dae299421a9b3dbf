using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>The incident demo (samples/incident-demo.flink) as a newcomer runs it: the built host in local mode, as a separate process.</summary>
public class IncidentScriptTests
{
    [Fact]
    public async Task LocalScript_IncidentDemo_ShowsVerifiesAndExportsTheMergedTimeline()
    {
        var (exitCode, output) = await LocalModeProcess.RunAsync("--script", Path.Combine(RepoPaths.Root, "samples", "incident-demo.flink"), "--timeout", "60");

        Assert.True(exitCode == 0, output);
        var opened = output.IndexOf(" opened by ", StringComparison.Ordinal);
        Assert.True(opened > 0, output);
        Assert.Contains("Attached to INC-", output, StringComparison.Ordinal);
        var timeline = output.IndexOf("# Timeline of INC-", StringComparison.Ordinal);
        Assert.True(timeline > opened, output);
        var requested = output.IndexOf("Requested: ", timeline, StringComparison.Ordinal);
        var noteBefore = output.IndexOf("Note: consumer lag on orders at 2M records and growing", timeline, StringComparison.Ordinal);
        var noteAfter = output.IndexOf("Note: lag draining after the upgrade", timeline, StringComparison.Ordinal);
        Assert.True(noteBefore > timeline && requested > noteBefore && noteAfter > requested, output);
        Assert.Contains("the hash chain checks out", output, StringComparison.Ordinal);
        Assert.Contains("--- timeline-INC-", output, StringComparison.Ordinal);
        Assert.Contains("\"previousHash\": \"0000000000000000000000000000000000000000000000000000000000000000\"", output, StringComparison.Ordinal);
        Assert.Contains(" closed by ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output); // no stack trace reaches the conversation
    }
}
