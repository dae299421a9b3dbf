namespace FlinkOpsBot.FlinkSim.Tests.Rest.Checkpoints;

public sealed class CheckpointTests
{
    [Fact]
    public async Task GetCheckpoints_SeededJob_TenCompletedNewestFirstOnlyNewestRetained()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;

        var checkpoints = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");

        var history = checkpoints["history"]!.AsArray();
        Assert.Equal(10, history.Count);
        Assert.Equal(history.Select(c => (long)c!["id"]!).OrderDescending(), history.Select(c => (long)c!["id"]!));
        Assert.All(history, c => Assert.Equal(("completed", "CHECKPOINT"), ((string)c!["className"]!, (string)c["checkpoint_type"]!)));
        Assert.Equal([false, .. Enumerable.Repeat(true, 9)], history.Select(c => (bool)c!["discarded"]!));
        var latest = checkpoints["latest"]!["completed"]!;
        Assert.Equal($"s3://flink-demo/checkpoints/{job.JobId}/chk-{(long)latest["id"]!}", (string)latest["external_path"]!);
        Assert.Null(checkpoints["latest"]!["restored"]);
        Assert.Equal(1000, (long)checkpoints["summary"]!["end_to_end_duration"]!["max"]!);
    }

    [Fact]
    public async Task GetCheckpoints_NewJob_InProgressAfterOneIntervalThenCompleted()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar");
        sim.Advance(sim.Options.JobStartDuration + sim.Options.CheckpointInterval);

        var inProgress = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");
        sim.Advance(sim.Options.CheckpointDuration);
        var completed = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");

        Assert.Equal((1, "in_progress", 0L), ((int)inProgress["counts"]!["in_progress"]!, (string)inProgress["history"]![0]!["className"]!, (long)inProgress["counts"]!["completed"]!));
        Assert.Equal("NaN", inProgress["summary"]!["state_size"]!["p50"]!.ToJsonString().Trim('"'));
        Assert.Equal((0, "completed", 1L), ((int)completed["counts"]!["in_progress"]!, (string)completed["history"]![0]!["className"]!, (long)completed["counts"]!["completed"]!));
    }

    [Fact]
    public async Task GetCheckpoints_RunningJob_OneMoreCompletedEveryInterval()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Cluster.AddRunningJob("inventory-sync", "orders-enricher-2.4.0.jar", checkpointInterval: TimeSpan.FromSeconds(30));
        var before = job.CompletedCheckpoints;

        sim.Advance(TimeSpan.FromSeconds(30 * 3));

        Assert.Equal(before + 3, job.CompletedCheckpoints);
    }

    [Fact]
    public async Task GetCheckpoints_FailCheckpointsSet_FailedCountsUntilUnset()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        var completed = job.CompletedCheckpoints;

        sim.Cluster.Faults.FailCheckpoints(job.JobId, true, "Checkpoint was declined (task not ready).");
        sim.Advance(sim.Options.CheckpointInterval * 2);

        var failing = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");
        Assert.Equal((2L, completed), ((long)failing["counts"]!["failed"]!, (long)failing["counts"]!["completed"]!));
        Assert.Equal("Checkpoint was declined (task not ready).", (string)failing["latest"]!["failed"]!["failure_message"]!);
        Assert.Equal("RUNNING", job.Status);

        sim.Cluster.Faults.FailCheckpoints(job.JobId, false);
        sim.Advance(sim.Options.CheckpointInterval);

        Assert.Equal(completed + 1, job.CompletedCheckpoints);
    }

    [Fact]
    public async Task GetCheckpointConfig_JobWithOwnInterval_ReportsItInMilliseconds()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Cluster.AddRunningJob("inventory-sync", "orders-enricher-2.4.0.jar", checkpointInterval: TimeSpan.FromMinutes(1));

        var config = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints/config");

        Assert.Equal(("EXACTLY_ONCE", 60_000L), ((string)config["mode"]!, (long)config["interval"]!));
        Assert.Equal((true, false), ((bool)config["externalization"]!["enabled"]!, (bool)config["externalization"]!["delete_on_cancellation"]!));
    }
}
