using System.Net;

namespace FlinkOpsBot.FlinkSim.Tests.Rest.Jars;

/// <summary>POST /jars/:jarid/plan, and restoring a savepoint into a program whose operator ids changed.</summary>
public sealed class JarPlanTests
{
    [Fact]
    public async Task Plan_CompatibleVersions_SameVertexIdsAsTheRunningJob()
    {
        await using var sim = await SimHarness.StartAsync();

        var running = (await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}"))["vertices"]!.AsArray().Select(v => (string)v!["id"]!).ToList();
        var plan = await PlanAsync(sim, "orders-enricher-2.4.0.jar", """{"parallelism":4}""");

        Assert.Equal(running, plan.Select(n => n.Id));
        Assert.All(plan, n => Assert.Equal(4, n.Parallelism));
    }

    [Fact]
    public async Task Plan_NewMajorVersion_DedupOperatorHasANewId()
    {
        await using var sim = await SimHarness.StartAsync();

        var old = await PlanAsync(sim, "orders-enricher-2.3.1.jar", "{}");
        var next = await PlanAsync(sim, "orders-enricher-3.0.0.jar", "{}");

        Assert.Equal(old[0].Id, next[0].Id);
        Assert.NotEqual(old[1].Id, next[1].Id);
    }

    [Fact]
    public async Task Run_SavepointIntoProgramWithoutItsOperator_FailsUnlessAllowNonRestoredState()
    {
        await using var sim = await SimHarness.StartAsync();
        var stateVertex = (string)(await sim.GetJsonAsync($"jobs/{sim.Orders.JobId}"))["vertices"]![1]!["id"]!;
        var location = await sim.StopWithSavepointAsync(sim.Orders);

        var (status, body) = await sim.PostAsync($"jars/{sim.Jar("orders-enricher-3.0.0.jar").Id}/run", $$"""{"savepointPath":"{{location}}"}""");
        var allowed = await sim.RunJarAsync("orders-enricher-3.0.0.jar", $$"""{"savepointPath":"{{location}}","allowNonRestoredState":true}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var trace = (string)body!["errors"]![0]!;
        Assert.Contains(
            $"Failed to rollback to checkpoint/savepoint {location}. Cannot map checkpoint/savepoint state for operator {stateVertex} to the new program",
            trace, StringComparison.Ordinal);
        Assert.Equal(location, allowed.RestoredFrom);
    }

    [Fact]
    public async Task Run_PipelineName_NamesTheJob()
    {
        await using var sim = await SimHarness.StartAsync();

        var job = await sim.RunJarAsync("orders-enricher-2.4.0.jar", """{"flinkConfiguration":{"pipeline.name":"orders-backfill-0412"}}""");

        Assert.Equal("orders-backfill-0412", job.Name);
    }

    [Fact]
    public async Task Plan_UnknownJar_400()
    {
        await using var sim = await SimHarness.StartAsync();

        var (status, body) = await sim.PostAsync("jars/nope.jar/plan");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("does not exist", SimHarness.FirstErrorLine(body), StringComparison.Ordinal);
    }

    private static async Task<List<(string Id, int Parallelism)>> PlanAsync(SimHarness sim, string jar, string body)
    {
        var (status, plan) = await sim.PostAsync($"jars/{sim.Jar(jar).Id}/plan", body);
        Assert.Equal(HttpStatusCode.OK, status);
        return [.. plan!["plan"]!["nodes"]!.AsArray().Select(n => ((string)n!["id"]!, (int)n["parallelism"]!))];
    }
}
