using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Jars;

public sealed class JarRunTests
{
    [Fact]
    public async Task Run_FromStopSavepoint_StartsInFlinkOrderRestoresAndCheckpoints()
    {
        await using var sim = await SimHarness.StartAsync();
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        var savepointId = (long)(await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/checkpoints"))["latest"]!["savepoint"]!["id"]!;

        var job = await sim.RunJarAsync(
            "orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}","parallelism":4,"allowNonRestoredState":true,"restoreMode":"CLAIM"}""");

        Assert.Equal(("orders-enricher", 4, location, true, "CLAIM"), (job.Name, job.Parallelism, job.RestoredFrom, job.AllowNonRestoredState, job.ClaimMode));
        Assert.Equal("INITIALIZING", job.Status);
        sim.Advance(sim.Options.JobStartDuration / 2);
        Assert.Equal("CREATED", job.Status);
        sim.Advance(sim.Options.JobStartDuration / 2);
        Assert.Equal("RUNNING", job.Status);

        var restored = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");
        Assert.Equal(1, (long)restored["counts"]!["restored"]!);
        var latestRestored = restored["latest"]!["restored"]!;
        Assert.Equal((savepointId, true, location), ((long)latestRestored["id"]!, (bool)latestRestored["is_savepoint"]!, (string)latestRestored["external_path"]!));

        sim.Advance(sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);

        var checkpoints = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");
        Assert.Equal(1, (long)checkpoints["counts"]!["completed"]!);
        Assert.Equal(savepointId + 1, (long)checkpoints["latest"]!["completed"]!["id"]!);
    }

    [Fact]
    public async Task Run_FromRetainedCheckpointOfCancelledJob_Restores()
    {
        await using var sim = await SimHarness.StartAsync();
        var checkpoint = (string)(await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/checkpoints"))["latest"]!["completed"]!["external_path"]!;
        await sim.SendAsync(HttpMethod.Patch, $"jobs/{sim.Orders.JobId}?mode=cancel");
        sim.Advance(sim.Options.CancelDuration);

        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{checkpoint}}/_metadata"}""");
        sim.Advance(sim.Options.JobStartDuration);

        var restored = (await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["latest"]!["restored"]!;
        Assert.Equal((false, checkpoint), ((bool)restored["is_savepoint"]!, (string)restored["external_path"]!));
    }

    [Fact]
    public async Task Run_UnknownSavepointPath_Returns400AndStartsNoJob()
    {
        await using var sim = await SimHarness.StartAsync();
        const string Path = "s3://flink-demo/savepoints/savepoint-000000-000000000000";

        var (status, body) = await sim.PostAsync($"jars/{sim.Jar("orders-enricher-2.4.0.jar").Id}/run", $$"""{"savepointPath":"{{Path}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.", SimHarness.FirstErrorLine(body));
        Assert.Contains($"java.io.FileNotFoundException: Cannot find checkpoint or savepoint file/directory '{Path}' on file system 's3'.", (string)body!["errors"]![0]!);
        Assert.Equal(3, sim.Cluster.Jobs.Count);
    }

    [Fact]
    public async Task Run_SubsumedCheckpointPath_Returns400()
    {
        await using var sim = await SimHarness.StartAsync();
        var history = (await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}/checkpoints"))["history"]!.AsArray();
        var subsumed = history.Single(c => (long)c!["id"]! == (long)history[0]!["id"]! - 1)!;
        Assert.True((bool)subsumed["discarded"]!);

        var (status, _) = await sim.PostAsync(
            $"jars/{sim.Jar("orders-enricher-2.4.0.jar").Id}/run", $$"""{"savepointPath":"{{subsumed["external_path"]}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Run_JobIdAlreadyKnown_Returns400DuplicateAndStartsNoSecondJob()
    {
        await using var sim = await SimHarness.StartAsync();
        const string JobId = "b4c0ffeeb4c0ffeeb4c0ffeeb4c0ffee";
        var jar = sim.Jar("payments-fraud-detector-1.8.0.jar");
        var body = $$"""{"jobId":"{{JobId}}","programArgsList":["--from","2026-01-01"]}""";

        var first = await sim.PostAsync($"jars/{jar.Id}/run", body);
        var second = await sim.PostAsync($"jars/{jar.Id}/run", body);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(JobId, (string)first.Body!["jobid"]!);
        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Contains("org.apache.flink.runtime.client.DuplicateJobSubmissionException: Job has already been submitted.", (string)second.Body!["errors"]![0]!);
        Assert.Single(sim.Cluster.Jobs, job => job.JobId == JobId);
        Assert.Equal(["--from", "2026-01-01"], sim.Cluster.FindJob(JobId)!.ProgramArgs);
        var calls = sim.Cluster.Calls.All.Where(call => call.Path == $"/jars/{jar.Id}/run").ToList();
        Assert.Equal([(JobId, JobId, 200), (null, JobId, 400)], calls.Select(call => (call.JobId, call.IdempotencyKey, call.StatusCode)));
    }

    [Fact]
    public async Task Run_UnknownJar_Returns400JarDoesNotExist()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.PostAsync("jars/3f2a_missing.jar/run");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Matches("^org.apache.flink.runtime.rest.handler.RestHandlerException: Jar file /tmp/flink-web-.*/flink-web-upload/3f2a_missing.jar does not exist$", SimHarness.FirstErrorLine(body));
    }

    [Fact]
    public async Task Run_QueryParametersWithoutBody_AreUsed()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(
            HttpMethod.Post, $"jars/{sim.Jar("clickstream-sessionizer-3.1.2.jar").Id}/run?parallelism=3&programArg=--window,30m");

        Assert.Equal(HttpStatusCode.OK, status);
        var job = sim.Cluster.FindJob((string)body!["jobid"]!)!;
        Assert.Equal(3, job.Parallelism);
        Assert.Equal(["--window", "30m"], job.ProgramArgs);
    }

    [Fact]
    public async Task Run_WithoutParallelism_UsesClusterDefaultOfOne()
    {
        await using var sim = await SimHarness.StartAsync();

        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar");

        Assert.Equal(1, job.Parallelism);
    }

    [Fact]
    public async Task Run_FaultyJar_RestartLoopWithoutCheckpointThenFailed()
    {
        await using var sim = await SimHarness.StartAsync();
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        var job = await sim.RunJarAsync("orders-enricher-2.5.0-faulty.jar", $$"""{"savepointPath":"{{location}}","parallelism":4}""");
        sim.Advance(sim.Options.JobStartDuration);
        Assert.Equal("RUNNING", job.Status);

        sim.Advance(sim.Options.FaultyJobFailsAfter);

        Assert.Equal(("RESTARTING", 1), (job.Status, job.RestartCount));
        var details = await sim.GetJsonAsync($"jobs/{job.JobId}");
        Assert.Equal(sim.Clock.GetUtcNow().ToUnixTimeMilliseconds(), (long)details["timestamps"]!["RESTARTING"]!);
        var entry = (await sim.GetJsonAsync($"jobs/{job.JobId}/exceptions"))["exceptionHistory"]!["entries"]![0]!;
        Assert.Equal("java.lang.NullPointerException", (string)entry["exceptionName"]!);
        Assert.StartsWith(
            "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"value\" is null\n\tat com.example.flink.OrdersEnricherJob$EnrichFunction",
            (string)entry["stacktrace"]!);
        Assert.Equal("KeyedProcess -> Map (1/4)#0", (string)entry["taskName"]!);

        for (var restart = 0; restart < sim.Options.RestartAttempts; restart++)
        {
            sim.Advance(sim.Options.RestartDelay);
            Assert.Equal("RUNNING", job.Status);
            sim.Advance(sim.Options.FaultyJobFailsAfter);
        }

        Assert.Equal(("FAILED", 3), (job.Status, job.RestartCount));
        Assert.Equal(sim.Clock.GetUtcNow(), job.EndTime);
        var checkpoints = await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints");
        Assert.Equal((0L, 4L), ((long)checkpoints["counts"]!["completed"]!, (long)checkpoints["counts"]!["restored"]!));
        var history = (await sim.GetJsonAsync($"jobs/{job.JobId}/exceptions?maxExceptions=2"))["exceptionHistory"]!;
        Assert.Equal((2, true), (history["entries"]!.AsArray().Count, (bool)history["truncated"]!));
    }

    [Fact]
    public async Task Run_FailsOnRestoreJarFromSavepoint_FailsAsSoonAsItRuns()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.AddJar("orders-enricher-2.6.0.jar", JarBehavior.FailsOnRestore);
        var location = await sim.StopWithSavepointAsync(sim.Orders);

        var job = await sim.RunJarAsync("orders-enricher-2.6.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal(("RESTARTING", 1), (job.Status, job.RestartCount));
        var entry = (await sim.GetJsonAsync($"jobs/{job.JobId}/exceptions"))["exceptionHistory"]!["entries"]![0]!;
        Assert.Contains("Caused by: org.apache.flink.util.StateMigrationException", (string)entry["stacktrace"]!);
    }

    [Fact]
    public async Task Run_FailsOnRestoreJarWithoutState_RunsHealthy()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.AddJar("orders-enricher-2.6.0.jar", JarBehavior.FailsOnRestore);

        var job = await sim.RunJarAsync("orders-enricher-2.6.0.jar");
        sim.Advance(sim.Options.JobStartDuration + sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);

        Assert.Equal(("RUNNING", 0, 1L), (job.Status, job.RestartCount, job.CompletedCheckpoints));
    }

    [Fact]
    public async Task Run_NotEnoughFreeSlots_StaysCreatedUntilSlotsAreFreed()
    {
        await using var sim = await SimHarness.StartAsync(options => options.TotalSlots = 20);
        var old = sim.Orders;
        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar", """{"parallelism":4}""");

        sim.Advance(sim.Options.JobStartDuration * 3);

        Assert.Equal("CREATED", job.Status);
        Assert.Equal(2, (int)(await sim.GetJsonAsync("overview"))["slots-available"]!);

        await sim.SendAsync(HttpMethod.Patch, $"jobs/{old.JobId}?mode=cancel");
        sim.Advance(sim.Options.CancelDuration);

        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(2, (int)(await sim.GetJsonAsync("overview"))["slots-available"]!);
    }
}
