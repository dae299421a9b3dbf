using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Core.Tests.Reports;

/// <summary>The read-only recipes (status, restart-loop, checkpoint-failures, savepoints) against FlinkSim over real HTTP.</summary>
public sealed class ReportRecipeTests
{
    [Fact]
    public async Task Status_HealthyJob_EveryLinePassesAndNothingIsStored()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink status orders-enricher");

        Assert.Equal(ReplyVisibility.Ephemeral, reply.Visibility);
        Assert.Contains("*Status: orders-enricher* on demo", reply.Text, StringComparison.Ordinal);
        Assert.Contains("RUNNING for", ReportHarness.Line(reply, "✓", "State"), StringComparison.Ordinal);
        Assert.Contains("0 in the last 1 h; numRestarts 0 since submission", ReportHarness.Line(reply, "✓", "Restarts"), StringComparison.Ordinal);
        Assert.Contains("0 of the last 10 failed", ReportHarness.Line(reply, "✓", "Checkpoints"), StringComparison.Ordinal);
        Assert.Contains("no backpressure", ReportHarness.Line(reply, "✓", "Load"), StringComparison.Ordinal);
        Assert.Contains("none since the job started", ReportHarness.Line(reply, "✓", "Exceptions"), StringComparison.Ordinal);
        Assert.Contains("Next: `/flink restart-loop orders-enricher`", reply.Text, StringComparison.Ordinal);
        Assert.InRange(reply.Text.Split('\n').Length, 5, 15);
        Assert.Empty(await h.Engine.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Status_HotJob_LoadFailsWithTheBottleneckAndBackpressure()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink status clickstream-sessionizer");

        var load = ReportHarness.Line(reply, "✗", "Load");
        Assert.Contains("busiest KeyedProcess -> Map 9", load, StringComparison.Ordinal);
        Assert.Contains("backpressure HIGH at Source: clickstream-sessionizer-events -> Filter", load, StringComparison.Ordinal);
        Assert.Contains("source lag", load, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_NoJob_OneLinePerJobWithTheHotOneFlagged()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink status");

        Assert.Contains("*Status* of cluster demo", reply.Text, StringComparison.Ordinal);
        Assert.Contains("✗ Jobs: Flink 1.20.1, ", reply.Text, StringComparison.Ordinal);
        var lines = reply.Text.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("• orders-enricher RUNNING, up ", StringComparison.Ordinal) && l.Contains(", p4, ckpt ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("• clickstream-sessionizer RUNNING", StringComparison.Ordinal) && l.EndsWith("(backpressure HIGH)", StringComparison.Ordinal));
        Assert.DoesNotContain("{job}", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownJob_RefusedNamingTheRunningJobs()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink status orders");

        Assert.False(reply.Accepted);
        Assert.Equal("There is no running job named orders on cluster demo. Running jobs: clickstream-sessionizer, orders-enricher, payments-fraud-detector.", reply.Text);
    }

    [Fact]
    public async Task RestartLoop_PoisonRecord_ClassifiedAsDataWithTheOffers()
    {
        await using var h = await ReportHarness.StartAsync();
        var job = h.Cluster.FindJob("payments-fraud-detector")!;
        h.Cluster.Faults.RestartLoop(job.JobId, true, RestartLoopCause.PoisonRecord);
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(20)); // about five fail-restart cycles of 4 s

        var reply = await h.SayAsync("/flink restart-loop payments-fraud-detector");

        var restarts = ReportHarness.Line(reply, "✗", "Restarts");
        Assert.Matches(@"^✗ Restarts: \d+ in the last 10 min, \d+ in the last 1 h; numRestarts \d+ since submission$", restarts);
        var root = reply.Text[reply.Text.IndexOf("✗ Root exception:", StringComparison.Ordinal)..];
        Assert.Contains("IOException: Failed to deserialize consumer record due to ← caused by JsonParseException: Unexpected character", root, StringComparison.Ordinal);
        Assert.Contains("→ data: a record the job cannot handle", root, StringComparison.Ordinal);
        Assert.Contains("✓ Restart strategy: Restart with fixed delay (1000 ms). #3 restart attempts; cluster default fixed-delay (3 attempts, delay 1000 ms)", reply.Text, StringComparison.Ordinal);
        Assert.Contains(
            "Next: `/flink cancel-job payments-fraud-detector` · `/flink redeploy payments-fraud-detector --jar <hotfix.jar> --from last-savepoint`",
            reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartLoop_SinkCannotReachKafka_ClassifiedAsExternalSystem()
    {
        await using var h = await ReportHarness.StartAsync();
        var job = h.Cluster.FindJob("orders-enricher")!;
        h.Cluster.Faults.RestartLoop(job.JobId, true);
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(10));

        var reply = await h.SayAsync("/flink restart-loop orders-enricher");

        Assert.Contains("← caused by ConnectException: Connection refused", reply.Text, StringComparison.Ordinal);
        Assert.Contains("→ external system: a system the job talks to is failing or unreachable", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartLoop_FaultyReleaseEndedFailed_StillDiagnosedAsCode()
    {
        await using var h = await ReportHarness.StartAsync();
        var jar = h.Cluster.Jars.Single(j => j.FileName == "orders-enricher-2.5.0-faulty.jar");
        var faulty = await h.Engine.Platform.RunJarAsync(jar.Id, new Platforms.JarRunRequest(Platforms.JobIds.NewHex32(), 2, null, false,
            JobName: "orders-enricher-canary"), CancellationToken.None);
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(30)); // fails, restarts three times, FAILED

        var reply = await h.SayAsync("/flink restart-loop orders-enricher-canary");

        Assert.Contains($"(`{faulty}`, FAILED)", reply.Text, StringComparison.Ordinal);
        Assert.Contains("✗ State: FAILED for", reply.Text, StringComparison.Ordinal);
        Assert.Contains("NullPointerException: Cannot invoke", reply.Text, StringComparison.Ordinal);
        Assert.Contains("→ code: a bug or a dependency clash in this release", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointFailures_InjectedFailures_GroupedWithCountsAndDurationsAgainstInterval()
    {
        await using var h = await ReportHarness.StartAsync();
        var job = h.Cluster.FindJob("orders-enricher")!;
        h.Cluster.Faults.FailCheckpoints(job.JobId, true, "Checkpoint expired before completing.");
        h.Engine.Clock.Advance(TimeSpan.FromSeconds(40)); // four failed attempts

        var reply = await h.SayAsync("/flink checkpoint-failures orders-enricher");

        var reasons = ReportHarness.Line(reply, "✗", "Failure reasons");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(reasons,
            @"✗ Failure reasons: 4 of the last \d+ attempts failed \(4 since the job started; tolerable failed checkpoints \w+\): 4× Checkpoint expired before completing\. \(newest \d+ s ago\)"),
            reasons);
        Assert.Contains("✓ Durations: p50 1 s, max 1 s over", reply.Text, StringComparison.Ordinal);
        Assert.Contains("interval 10 s; timeout", reply.Text, StringComparison.Ordinal);
        Assert.Matches(@"✓ State size: [\d.]+ MiB → [\d.]+ MiB over the last \d+ completed \([+-]?[\d.]+ %\)", ReportHarness.Line(reply, "✓", "State size"));
        Assert.Contains("Next: `/flink savepoint orders-enricher` · `/flink redeploy orders-enricher --jar <current jar> --from last-checkpoint`", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckpointFailures_Healthy_ReasonsPass()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink checkpoint-failures payments-fraud-detector");

        Assert.Contains("✓ Failure reasons: none of the last", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Savepoints_FromTheLedger_NewestFirstWithPathsAndRuns()
    {
        await using var h = await ReportHarness.StartAsync();
        var job = h.Cluster.FindJob("orders-enricher")!;
        var now = h.Engine.Clock.GetUtcNow();
        await h.Savepoints.RecordAsync(new SavepointRecord("demo", "orders-enricher", job.JobId, "a1", "s3://flink-demo/savepoints/savepoint-old", SavepointKind.Savepoint,
            RunId.Parse("R-7Q2K"), now.AddHours(-3)), CancellationToken.None);
        await h.Savepoints.RecordAsync(new SavepointRecord("demo", "orders-enricher", job.JobId, "b2", "s3://flink-demo/savepoints/savepoint-new", SavepointKind.Stop,
            RunId.Parse("R-8A3B"), now.AddHours(-1)), CancellationToken.None);
        await h.Savepoints.MarkDeletedAsync("demo", "orders-enricher", "a1", now.AddMinutes(-30), CancellationToken.None);

        var reply = await h.SayAsync("/flink savepoints orders-enricher");

        var text = reply.Text;
        Assert.Contains("✓ Savepoints: 1 usable of the newest 2 in the bot's ledger:", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("savepoint-new", StringComparison.Ordinal) < text.IndexOf("savepoint-old", StringComparison.Ordinal), text);
        Assert.Contains("• 1 h ago stop-with-savepoint, completed, R-8A3B, of", text, StringComparison.Ordinal);
        Assert.Contains("• 3 h ago savepoint, deleted 30 min ago, R-7Q2K", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Savepoints_NoneTaken_FailsSayingWhy()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink savepoints payments-fraud-detector");

        Assert.Contains("✗ Savepoints: the bot has taken no savepoint of payments-fraud-detector on demo", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RestartLoop_WithoutJob_RefusedWithUsage()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink restart-loop");

        Assert.False(reply.Accepted);
        Assert.StartsWith("Restart-loop needs <job>", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Usage: `/flink restart-loop <job> [--cluster <cluster>]`", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_UnknownCluster_RefusedNamingTheConfiguredOnes()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink status orders-enricher --cluster prod");

        Assert.False(reply.Accepted);
        Assert.Equal("There is no cluster named prod. Configured: demo.", reply.Text);
    }

    [Fact]
    public async Task Help_ReportRecipe_NamesItsChecksAndThatReadingIsEnough()
    {
        await using var h = await ReportHarness.StartAsync();

        var reply = await h.SayAsync("/flink help restart-loop");

        Assert.Contains("Usage: `/flink restart-loop <job> [--cluster <cluster>]`", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Reports: job-state, restarts, root-exception, restart-strategy", reply.Text, StringComparison.Ordinal);
        Assert.Contains("Read-only", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Preconditions", reply.Text, StringComparison.Ordinal);
    }
}
