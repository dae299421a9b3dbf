using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Cluster;

public sealed class SimMutationLedgerTests
{
    private const string TriggerA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string TriggerB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    [Fact]
    public async Task Stop_SameTriggerIdRepeated_OneMutationWithItsSavepointAndNoDuplicate()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");
        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");
        sim.Advance(sim.Options.SavepointDuration);
        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");

        var mutation = Assert.Single(sim.Cluster.Mutations.All);
        Assert.Equal((SimMutationKind.StopWithSavepoint, id, TriggerA), (mutation.Kind, mutation.JobId, mutation.TriggerId));
        Assert.Equal(sim.Orders.Savepoints.Single(), mutation.SavepointPath);
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
        Assert.Equal(3, sim.Cluster.Calls.Count("POST", $"/jobs/{id}/stop"));
    }

    [Fact]
    public async Task Stop_TwoTriggerIdsWhileTheFirstRuns_DuplicateNamingBoth()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");
        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerB}}"}""");
        sim.Advance(sim.Options.SavepointDuration);

        var duplicate = Assert.Single(sim.Cluster.Mutations.Duplicates());
        Assert.Equal("stop", duplicate.Rule);
        Assert.Equal([TriggerA, TriggerB], duplicate.Mutations.Select(m => m.TriggerId));
        Assert.Contains(id, duplicate.Message, StringComparison.Ordinal);
        Assert.Equal("FINISHED", sim.Orders.Status);
    }

    [Fact]
    public async Task Stop_RetriedWithNewTriggerIdAfterFailure_NotADuplicate()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        sim.Cluster.Faults.FailNextStopWithSavepoint(id);

        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");
        sim.Advance(sim.Options.SavepointDuration);
        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerB}}"}""");
        sim.Advance(sim.Options.SavepointDuration);

        Assert.Equal(2, sim.Cluster.Mutations.All.Count);
        Assert.Null(sim.Cluster.Mutations.All[0].SavepointPath);
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
    }

    [Fact]
    public async Task Stop_ResultDroppedThenSameTriggerIdWhileRunning_DuplicateBecauseFlinkStartsANewOne()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");
        sim.Cluster.Faults.DropOperationResults(id);
        await sim.PostAsync($"jobs/{id}/stop", $$"""{"triggerId":"{{TriggerA}}"}""");

        Assert.Equal("stop", Assert.Single(sim.Cluster.Mutations.Duplicates()).Rule);
    }

    [Fact]
    public async Task Savepoints_SeveralWhileRunning_NotDuplicates()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.PostAsync($"jobs/{id}/savepoints");
        await sim.PostAsync($"jobs/{id}/savepoints");

        Assert.Equal([SimMutationKind.Savepoint, SimMutationKind.Savepoint], sim.Cluster.Mutations.All.Select(m => m.Kind));
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
    }

    [Fact]
    public async Task JarRun_FromSavepoint_RecordsLineageAndSameJarTwiceIsDuplicateButRollbackJarIsNot()
    {
        await using var sim = await SimHarness.StartAsync();
        var old = sim.Orders;
        var location = await sim.StopWithSavepointAsync(old);
        var body = $$"""{"savepointPath":"{{location}}"}""";

        var upgraded = await sim.RunJarAsync("orders-enricher-2.4.0.jar", body);
        var rollback = await sim.RunJarAsync("orders-enricher-2.3.1.jar", body);
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
        var again = await sim.RunJarAsync("orders-enricher-2.4.0.jar", $$"""{"savepointPath":"{{location}}/_metadata"}""");

        var run = sim.Cluster.Mutations.All.First(m => m.Kind == SimMutationKind.JarRun);
        Assert.Equal((old.JobId, upgraded.JobId, location, sim.Jar("orders-enricher-2.4.0.jar").Id), (run.JobId, run.ResultJobId, run.SavepointPath, run.JarId));
        var duplicate = Assert.Single(sim.Cluster.Mutations.Duplicates());
        Assert.Equal("restore", duplicate.Rule);
        Assert.Equal([upgraded.JobId, again.JobId], duplicate.Mutations.Select(m => m.ResultJobId));
        Assert.DoesNotContain(duplicate.Mutations, m => m.ResultJobId == rollback.JobId);
    }

    [Fact]
    public async Task JarRun_SameClientJobIdRetried_RefusedAndNotRecordedTwice()
    {
        await using var sim = await SimHarness.StartAsync();
        var location = await sim.StopWithSavepointAsync(sim.Orders);
        var path = $"jars/{sim.Jar("orders-enricher-2.4.0.jar").Id}/run";
        var body = $$"""{"savepointPath":"{{location}}","jobId":"0123456789abcdef0123456789abcdef"}""";

        Assert.Equal(HttpStatusCode.OK, (await sim.PostAsync(path, body)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await sim.PostAsync(path, body)).Status);

        Assert.Single(sim.Cluster.Mutations.All, m => m.Kind == SimMutationKind.JarRun);
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
    }

    [Fact]
    public async Task Cancel_Repeated_OneMutation()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.SendAsync(HttpMethod.Patch, $"jobs/{id}?mode=cancel");
        await sim.SendAsync(HttpMethod.Patch, $"jobs/{id}?mode=cancel");
        sim.Advance(sim.Options.CancelDuration);
        await sim.SendAsync(HttpMethod.Patch, $"jobs/{id}?mode=cancel");

        var cancel = Assert.Single(sim.Cluster.Mutations.ForJob(id));
        Assert.Equal((SimMutationKind.Cancel, (string?)null), (cancel.Kind, cancel.TriggerId));
        Assert.Empty(sim.Cluster.Mutations.Duplicates());
    }

    [Fact]
    public async Task SavepointWithCancelJob_OneCancelWithSavepointMutation()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;

        await sim.PostAsync($"jobs/{id}/savepoints", """{"cancel-job":true}""");
        sim.Advance(sim.Options.SavepointDuration + sim.Options.CancelDuration);

        Assert.Equal("CANCELED", sim.Orders.Status);
        var mutation = Assert.Single(sim.Cluster.Mutations.All);
        Assert.Equal(SimMutationKind.CancelWithSavepoint, mutation.Kind);
        Assert.NotNull(mutation.SavepointPath);
    }

    [Fact]
    public async Task Stop_OfJobNotRunning_NotAMutation()
    {
        await using var sim = await SimHarness.StartAsync();
        var id = sim.Orders.JobId;
        await sim.StopWithSavepointAsync(sim.Orders);

        await sim.PostAsync($"jobs/{id}/stop");
        await sim.PostAsync("jobs/0123456789abcdef0123456789abcdef/stop");

        Assert.Single(sim.Cluster.Mutations.All);
    }
}
