using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest;

public sealed class FaultInjectionTests
{
    [Fact]
    public async Task FailNextRequests_Default_LeaderElection503ThenServesAgain()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailNextRequests(2);

        var first = await sim.SendAsync(HttpMethod.Get, "overview");
        var second = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop");
        var third = await sim.SendAsync(HttpMethod.Get, "overview");

        Assert.Equal((HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK), (first.Status, second.Status, third.Status));
        Assert.Equal("Service temporarily unavailable due to an ongoing leader election. Please refresh.", (string)first.Body!["errors"]![0]!);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("RUNNING", sim.Orders.Status);
        Assert.Equal(503, sim.Cluster.Calls.All.Single().StatusCode);
    }

    [Fact]
    public async Task FailNextRequests_500_InternalServerErrorBody()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailNextRequests(1, 500);

        var (status, body) = await sim.SendAsync(HttpMethod.Get, "jobs");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var errors = body!["errors"]!.AsArray();
        Assert.Equal("Internal server error.", (string)errors[0]!);
        Assert.StartsWith("<Exception on server side:\n", (string)errors[1]!);
    }

    [Fact]
    public async Task AddLatency_ClientGivesUpFirst_TimesOutButTheStopIsDone()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.AddLatency(TimeSpan.FromMinutes(5), count: 1);
        using var impatient = new HttpClient { BaseAddress = sim.Server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.PostAsync($"jobs/{sim.Orders.JobId}/stop", null));

        var next = await sim.SendAsync(HttpMethod.Get, "jobs/overview");
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal(202, sim.Cluster.Calls.All.Single().StatusCode);
        sim.Advance(sim.Options.SavepointDuration);
        Assert.Equal("FINISHED", sim.Orders.Status);
    }

    [Fact]
    public async Task AddLatency_EveryRequestUntilRemoved_EachDelayedThenNone()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.AddLatency(TimeSpan.FromMinutes(5));
        using var impatient = new HttpClient { BaseAddress = sim.Server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.GetAsync("overview"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.GetAsync("jobs"));
        sim.Cluster.Faults.AddLatency(TimeSpan.Zero);

        Assert.Equal(HttpStatusCode.OK, (await impatient.GetAsync("jobs")).StatusCode);
    }

    [Fact]
    public async Task AddLatency_Short_ResponseArrivesWhole()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.AddLatency(TimeSpan.FromMilliseconds(20), count: 1);

        var (status, trigger) = await sim.PostAsync($"jobs/{sim.Orders.JobId}/savepoints");

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Matches("^[0-9a-f]{32}$", (string)trigger!["request-id"]!);
    }

    [Fact]
    public async Task HangNextRequests_One_NeverAnsweredDoesNothingThenServes()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.HangNextRequests(1);
        using var impatient = new HttpClient { BaseAddress = sim.Server.BaseAddress, Timeout = TimeSpan.FromMilliseconds(200) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => impatient.PostAsync($"jobs/{sim.Orders.JobId}/stop", null));
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal("RUNNING", sim.Orders.Status);
        Assert.Empty(sim.Cluster.Mutations.All);
        await WaitForAsync(() => sim.Cluster.Calls.All.Count == 1);
        Assert.Equal(0, sim.Cluster.Calls.All.Single().StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop")).Status);
    }

    [Fact]
    public async Task HangNextRequests_ServerStops_DisposeDoesNotWaitForTheClient()
    {
        var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.HangNextRequests(1);
        var hanging = sim.Http.GetAsync("overview");

        await sim.DisposeAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => hanging);
    }

    [Fact]
    public async Task FailRandomly_RateOne_EveryRequestFailsAndDoesNothing()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailRandomly(1.0, 500);

        var overview = await sim.SendAsync(HttpMethod.Get, "overview");
        var stop = await sim.PostAsync($"jobs/{sim.Orders.JobId}/stop");
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal((HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError), (overview.Status, stop.Status));
        Assert.Equal("RUNNING", sim.Orders.Status);
        Assert.Empty(sim.Cluster.Mutations.All);
    }

    [Fact]
    public async Task FailRandomly_Seeded_SameSeedSameFailuresAndSomeOfEach()
    {
        await using var sim = await SimHarness.StartAsync();

        async Task<List<HttpStatusCode>> RunAsync()
        {
            sim.Cluster.Faults.FailRandomly(0.5, seed: 7);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 30; i++) statuses.Add((await sim.SendRawAsync(HttpMethod.Get, "jobs")).Status);
            return statuses;
        }

        var first = await RunAsync();
        var second = await RunAsync();
        sim.Cluster.Faults.FailRandomly(0);

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.ServiceUnavailable, first);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Equal(HttpStatusCode.OK, (await sim.SendRawAsync(HttpMethod.Get, "jobs")).Status);
    }

    [Fact]
    public async Task FailRandomly_RateOutOfRange_Throws()
    {
        await using var sim = await SimHarness.StartAsync();

        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Cluster.Faults.FailRandomly(1.01));
        Assert.Throws<ArgumentOutOfRangeException>(() => sim.Cluster.Faults.FailRandomly(double.NaN));
    }

    [Fact]
    public async Task FailAfterRestore_ArmedAtRuntime_RestoredJobFailsUntilFailedButFreshStartRuns()
    {
        await using var sim = await SimHarness.StartAsync();
        sim.Cluster.Faults.FailAfterRestore("orders-enricher-2.4.0.jar");
        var location = await sim.StopWithSavepointAsync(sim.Orders);

        var restored = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}"}""");
        sim.Advance(sim.Options.JobStartDuration);

        Assert.Equal("RESTARTING", (string)(await sim.GetJsonAsync($"jobs/{restored.JobId}"))["state"]!);
        var entry = (await sim.GetJsonAsync($"jobs/{restored.JobId}/exceptions"))["exceptionHistory"]!["entries"]![0]!;
        Assert.Equal("java.lang.Exception", (string)entry["exceptionName"]!);
        Assert.Contains("StateMigrationException", (string)entry["stacktrace"]!);
        sim.Advance((sim.Options.RestartAttempts + 1) * sim.Options.RestartDelay);
        Assert.Equal("FAILED", restored.Status);

        var fresh = await sim.RunJarAsync("orders-enricher-2.4.0.jar");
        sim.Advance(sim.Options.JobStartDuration + sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);
        Assert.Equal(("RUNNING", 0), (fresh.Status, fresh.RestartCount));
    }

    [Fact]
    public async Task FailAfterRestore_Off_JarBehavesAsUploaded()
    {
        await using var sim = await SimHarness.StartAsync();
        var jar = sim.Jar("orders-enricher-2.4.0.jar");
        sim.Cluster.Faults.FailAfterRestore(jar.Id);
        Assert.Equal(JarBehavior.FailsOnRestore, jar.Behavior);

        sim.Cluster.Faults.FailAfterRestore(jar.FileName, on: false);

        Assert.Equal(JarBehavior.Healthy, jar.Behavior);
        Assert.Throws<ArgumentException>(() => sim.Cluster.Faults.FailAfterRestore("no-such.jar"));
    }

    [Fact]
    public async Task RestartLoop_On_RestartsPastTheAttemptLimitWithExceptionsThenOffStaysRunning()
    {
        await using var sim = await SimHarness.StartAsync();
        var job = sim.Orders;
        var failsAfter = sim.Options.FaultyJobFailsAfter;
        var cycle = failsAfter + sim.Options.RestartDelay;

        sim.Cluster.Faults.RestartLoop(job.JobId, true);
        sim.Advance(failsAfter);
        Assert.Equal(("RESTARTING", 1), (job.Status, job.RestartCount));

        sim.Advance(5 * cycle);
        var details = await sim.GetJsonAsync($"jobs/{job.JobId}");
        Assert.Equal("RESTARTING", (string)details["state"]!);
        Assert.Equal(6, job.RestartCount);
        Assert.True(6 > sim.Options.RestartAttempts);
        var entries = (await sim.GetJsonAsync($"jobs/{job.JobId}/exceptions"))["exceptionHistory"]!["entries"]!.AsArray();
        Assert.Equal(6, entries.Count);
        Assert.All(entries, entry => Assert.Equal("org.apache.flink.util.FlinkRuntimeException", (string)entry!["exceptionName"]!));

        sim.Cluster.Faults.RestartLoop(job.JobId, false);
        var completed = job.CompletedCheckpoints;
        sim.Advance(sim.Options.RestartDelay + sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);
        Assert.Equal(("RUNNING", 6), (job.Status, job.RestartCount));
        Assert.True(job.CompletedCheckpoints > completed);
    }

    [Fact]
    public async Task ClearAll_EveryFaultArmed_NoneTakesEffect()
    {
        await using var sim = await SimHarness.StartAsync();
        var faults = sim.Cluster.Faults;
        var id = sim.Orders.JobId;
        faults.FailNextRequests(3);
        faults.HangNextRequests(2);
        faults.AddLatency(TimeSpan.FromMinutes(5));
        faults.FailRandomly(1.0);
        faults.FailNextStopWithSavepoint(id);
        faults.FailCheckpoints(id, true);
        faults.RestartLoop(id, true);
        faults.FailAfterRestore("orders-enricher-2.4.0.jar");

        faults.ClearAll();

        var before = sim.Orders.CompletedCheckpoints;
        sim.Advance(sim.Options.CheckpointInterval + sim.Options.CheckpointDuration);
        Assert.Equal(("RUNNING", 0), (sim.Orders.Status, sim.Orders.RestartCount));
        Assert.True(sim.Orders.CompletedCheckpoints > before);
        Assert.Equal(JarBehavior.Healthy, sim.Jar("orders-enricher-2.4.0.jar").Behavior);
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        Assert.StartsWith("s3://flink-demo/savepoints/", location);
    }

    [Fact]
    public async Task DropOperationResults_AfterStop_StatusIs404()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        var (_, trigger) = await sim.PostAsync($"jobs/{id}/stop");
        sim.Advance(sim.Options.SavepointDuration);

        sim.Cluster.Faults.DropOperationResults(id);

        Assert.Equal(HttpStatusCode.NotFound, (await sim.SendAsync(HttpMethod.Get, $"jobs/{id}/savepoints/{trigger!["request-id"]}")).Status);
    }

    // The server records a hung call when it notices the client left, just after the client's timeout.
    internal static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++) await Task.Delay(25);
        Assert.True(condition(), "the condition did not hold within 5 s");
    }
}
