using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Metrics;

/// <summary>GET/PUT /jobs/:jobid/resource-requirements under the default and the adaptive scheduler.</summary>
public sealed class ResourceRequirementsTests
{
    [Fact]
    public async Task Get_DefaultScheduler_500UnsupportedOperationAsFlinkAnswers()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.SendAsync(HttpMethod.Get, $"jobs/{sim.Orders.JobId}/resource-requirements");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var errors = body!["errors"]!.AsArray();
        Assert.Equal("Internal server error.", (string)errors[0]!);
        Assert.Contains("java.lang.UnsupportedOperationException: The DefaultScheduler does not support", (string)errors[1]!);
    }

    [Fact]
    public async Task Put_AdaptiveScheduler_RestartsFromCheckpointWithNewParallelism()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Scheduler = "adaptive");
        var job = sim.Cluster.FindJob("clickstream-sessionizer")!;
        var requirements = await sim.GetJsonAsync($"jobs/{job.JobId}/resource-requirements");
        var body = Body(requirements.AsObject().Select(v => v.Key), lower: 1, upper: 10);

        var (status, _) = await sim.SendAsync(HttpMethod.Put, $"jobs/{job.JobId}/resource-requirements", body);
        var restarting = job.Status;
        sim.Advance(sim.Options.RestartDelay);
        var after = await sim.GetJsonAsync($"jobs/{job.JobId}/resource-requirements");
        var config = await sim.GetJsonAsync("jobmanager/config");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(("RESTARTING", "RUNNING", 10), (restarting, job.Status, job.Parallelism));
        Assert.All(after.AsObject(), v => Assert.Equal(10, (int)v.Value!["parallelism"]!["upperBound"]!));
        Assert.NotNull((await sim.GetJsonAsync($"jobs/{job.JobId}/checkpoints"))["latest"]!["restored"]);
        Assert.Contains(config.AsArray(), e => (string)e!["key"]! == "jobmanager.scheduler" && (string)e["value"]! == "adaptive");
    }

    [Fact]
    public async Task Put_MissingVertexAndUpperAboveMax_400ListingEach()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Scheduler = "adaptive");
        var vertex = (string)(await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}"))["vertices"]![0]!["id"]!;

        var (status, body) = await sim.SendAsync(
            HttpMethod.Put, $"jobs/{sim.Orders.JobId}/resource-requirements", Body([vertex], lower: 1, upper: 100_000));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = (string)body!["errors"]![0]!;
        Assert.Contains("must not exceed its max parallelism", error, StringComparison.Ordinal);
        Assert.Contains("is missing from the requirements", error, StringComparison.Ordinal);
        Assert.Equal(4, sim.Orders.Parallelism);
    }

    [Fact]
    public async Task Put_MoreThanFreeSlots_BoundedByTheSlots()
    {
        await using var sim = await SimHarness.StartAsync(o => o.Scheduler = "adaptive");
        var job = sim.Cluster.FindJob("clickstream-sessionizer")!;
        var requirements = await sim.GetJsonAsync($"jobs/{job.JobId}/resource-requirements");
        var body = Body(requirements.AsObject().Select(v => v.Key), lower: 1, upper: 64);

        await sim.SendAsync(HttpMethod.Put, $"jobs/{job.JobId}/resource-requirements", body);
        sim.Advance(sim.Options.RestartDelay);

        // 32 slots, 4 + 8 held by the other demo jobs: 20 for this one.
        Assert.Equal(("RUNNING", 20), (job.Status, job.Parallelism));
    }

    private static string Body(IEnumerable<string> vertexIds, int lower, int upper) =>
        "{" + string.Join(',', vertexIds.Select(id => $"\"{id}\":{{\"parallelism\":{{\"lowerBound\":{lower},\"upperBound\":{upper}}}}}")) + "}";
}
